package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.ScalarBackend;
import org.tokenlab.tensor.backend.Storage;

/** Kernels of the reference backend that the tensor-level tests do not reach, checked by hand. */
class ScalarBackendTest {
    final Backend be = new ScalarBackend();

    @Test
    void scalarIsRegisteredAndAvailable() {
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("scalar") && p.availability().available()));
        assertEquals("scalar", Backends.create("scalar").name());
    }

    @Test
    void adamWMatchesTheFormula() {
        Storage p = be.upload(new float[] {1f, -2f});
        Storage g = be.upload(new float[] {0.5f, 0.25f});
        Storage m = be.allocate(2);
        Storage v = be.allocate(2);
        float lr = 0.1f;
        float b1 = 0.9f;
        float b2 = 0.99f;
        float wd = 0.01f;
        be.adamW(2, p, g, m, v, lr, b1, b2, 1e-8f, wd, 1, 2f);
        float[] got = HeapStorage.array(p);
        float[] p0 = {1f, -2f};
        float[] g0 = {1f, 0.5f}; // gradScale 2
        for (int i = 0; i < 2; i++) {
            double mi = (1 - b1) * g0[i];
            double vi = (1 - b2) * g0[i] * g0[i];
            double mHat = mi / (1 - b1);
            double vHat = vi / (1 - b2);
            double expected = p0[i] - lr * (mHat / (Math.sqrt(vHat) + 1e-8) + wd * p0[i]);
            assertEquals(expected, got[i], 1e-6);
        }
    }

    @Test
    void gemmWithBetaIgnoresNaNsWhenBetaIsZeroAndAccumulatesOtherwise() {
        Storage a = be.upload(new float[] {1, 2, 3, 4}); // (2,2)
        Storage b = be.upload(new float[] {1, 0, 0, 1});
        Storage c = be.upload(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN});
        be.matmul(1, 2, 2, 2, 1f, a, 0, 2, 0, false, b, 0, 2, 0, false, 0f, c, 0, 2, 0);
        assertArrayEquals(new float[] {1, 2, 3, 4}, HeapStorage.array(c));
        be.matmul(1, 2, 2, 2, 2f, a, 0, 2, 0, true, b, 0, 2, 0, false, 1f, c, 0, 2, 0);
        assertArrayEquals(new float[] {3, 8, 7, 12}, HeapStorage.array(c));
    }

    @Test
    void reduceMaxReportsTheFirstArgmaxAndSumOfSquaresIsExact() {
        Storage x = be.upload(new float[] {1, 3, 3, 2});
        Storage out = be.allocate(1);
        int[] arg = new int[1];
        be.reduce(ReduceOp.MAX, 1, 4, 1, x, 0, out, 0, arg);
        assertEquals(3f, HeapStorage.array(out)[0]);
        assertEquals(1, arg[0]);
        assertEquals(23.0, be.sumOfSquares(x, 0, 4));
    }

    @Test
    void gatherFollowsStrides() {
        Storage x = be.upload(new float[] {0, 1, 2, 3, 4, 5});
        Storage out = be.allocate(6);
        be.gather(new int[] {3, 2}, x, 0, new int[] {1, 3}, out, 0);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, HeapStorage.array(out));
    }
}
