package org.tokenlab.theory.coding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrequencyTableTest {

    @Test
    void quantisedTablesSumToTwoToBetaWithFloorOne() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 500; trial++) {
            int precision = 1 + rng.nextInt(FrequencyTable.MAX_PRECISION);
            int alphabet = 1 + rng.nextInt(Math.min(1000, 1 << precision));
            double[] p = RandomModels.randomDistribution(alphabet, rng);
            FrequencyTable t = FrequencyTable.quantize(p, precision);
            long sum = 0;
            for (int s = 0; s < alphabet; s++) {
                assertTrue(t.frequency(s) >= 1);
                sum += t.frequency(s);
                assertEquals(s, t.symbolAt(t.cumulative(s)));
                assertEquals(s, t.symbolAt(t.cumulative(s) + t.frequency(s) - 1));
            }
            assertEquals(1L << precision, sum);
            // deterministic: same input, same table
            FrequencyTable again = FrequencyTable.quantize(p.clone(), precision);
            for (int s = 0; s < alphabet; s++) {
                assertEquals(t.frequency(s), again.frequency(s));
            }
        }
    }

    @Test
    void proportionalUpToOneCountPerSymbol() {
        double[] p = {0.5, 0.25, 0.125, 0.125};
        FrequencyTable t = FrequencyTable.quantize(p, 14);
        assertEquals(8192, t.frequency(0), 4);
        assertEquals(4096, t.frequency(1), 2);
        assertEquals(0.25, t.probability(1), 1e-3);
    }

    @Test
    void badInputsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[] {0.5, Double.NaN}, 14));
        assertTrue(e.getMessage().contains("symbol 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[] {-1, 2}, 14));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[] {0, 0}, 14));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[0], 14));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[5], 2));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.quantize(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.ofCounts(new int[] {0, 16}, 4));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.ofCounts(new int[] {1, 14}, 4));
        assertThrows(IllegalArgumentException.class, () -> FrequencyTable.uniform(3, 14).symbolAt(1 << 14));
    }
}
