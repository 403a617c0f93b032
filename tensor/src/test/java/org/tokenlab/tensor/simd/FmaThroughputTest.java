package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FmaThroughputTest {
    @Test
    void measuresAPositiveFiniteRate() {
        double g = FmaThroughput.measure(5);
        assertTrue(g > 0 && Double.isFinite(g), "GFLOP/s " + g);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> FmaThroughput.gflops(0));
        assertThrows(IllegalArgumentException.class, () -> FmaThroughput.measure(0));
        assertThrows(IllegalArgumentException.class, () -> FmaThroughput.measure(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FmaThroughput.measure(Double.POSITIVE_INFINITY));
    }
}
