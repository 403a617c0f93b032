package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Accuracy of the deterministic vector exp and tanh against double-precision Math, on a dense sweep
 * plus random points: exp within 2 ulp of the float-rounded exact value on [−87.3, 88.7] (the Cephes
 * expf bound), tanh within 2.5e−7 absolute and 2 ulp relative below |x| = 0.625.
 */
class SimdMathTest {
    private final SimdTesting t = new SimdTesting();

    private static float[] apply(boolean exp, float[] x) {
        float[] y = new float[x.length];
        // whole vectors only (tanh's scalar tail is Math's), so round the length down to the lane count
        int n = SimdSpecies.F.loopBound(x.length);
        if (exp) {
            SimdMath.exp(x, 0, 1f, 0f, y, 0, n);
        } else {
            SimdMath.tanh(x, 0, y, 0, n);
        }
        return java.util.Arrays.copyOf(y, n);
    }

    private float[] sweep(float lo, float hi, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n / 2; i++) {
            x[i] = lo + (hi - lo) * i / (n / 2f);
        }
        float[] r = t.uniform(n - n / 2, lo, hi);
        System.arraycopy(r, 0, x, n / 2, r.length);
        return x;
    }

    @Test
    void expWithinTwoUlp() {
        float[] x = sweep(-87.3f, 88.7f, 1 << 16);
        float[] y = apply(true, x);
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            float exact = (float) Math.exp(x[i]);
            double ulps = Math.abs(y[i] - exact) / Math.ulp(exact);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 2, t.where("exp(" + x[i] + ") = " + y[i] + ", exact " + exact + ", " + ulps + " ulp"));
        }
        assertTrue(worst < 2);
    }

    @Test
    void expExtremes() {
        int L = SimdSpecies.L;
        float[] x = new float[L];
        float[] probe = {0f, -0f, 1f, -200f, 100f, Float.NEGATIVE_INFINITY, 88.7f, -87.3f};
        for (int i = 0; i < L; i++) {
            x[i] = probe[i % probe.length];
        }
        float[] y = apply(true, x);
        for (int i = 0; i < L; i++) {
            float e = (float) Math.exp(x[i]);
            if (x[i] < -87.34f) {
                assertEquals(0f, y[i], "below the float normal range exp flushes to 0");
            } else if (x[i] > 88.73f) {
                assertTrue(y[i] >= 3.4e38f, "large x saturates at the top of the float range, got " + y[i]);
            } else {
                assertTrue(Math.abs(y[i] - e) <= 2 * Math.ulp(e), "exp(" + x[i] + ") = " + y[i] + " vs " + e);
            }
        }
    }

    /**
     * The clamp of the argument (compare-and-blend, not lanewise max/min) must keep NaN as NaN, send +∞
     * and huge values to the top of the range and −∞ to exactly 0, in every lane.
     */
    @Test
    void expClampKeepsNaNAndSaturates() {
        int L = SimdSpecies.L;
        float[] probe = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
                88.72283f, -87.33654f, -0f};
        float top = apply(true, new float[] {88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f,
                88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f, 88.72283f})[0];
        assertTrue(top >= 3.4e38f && top < Float.POSITIVE_INFINITY, "exp(88.72283) = " + top);
        for (int shift = 0; shift < probe.length; shift++) { // each probe in each lane
            float[] x = new float[L];
            for (int i = 0; i < L; i++) {
                x[i] = probe[(i + shift) % probe.length];
            }
            float[] y = apply(true, x);
            for (int i = 0; i < L; i++) {
                float xi = x[i], yi = y[i];
                if (Float.isNaN(xi)) {
                    assertTrue(Float.isNaN(yi), "exp(NaN) must be NaN, got " + yi);
                } else if (xi > 88.72283f) {
                    assertEquals(top, yi, "exp(" + xi + ") saturates like exp(88.72283)");
                } else if (xi < -87.33654f) {
                    assertEquals(0f, yi, "exp(" + xi + ") flushes to +0");
                } else {
                    float e = (float) Math.exp(xi);
                    assertTrue(Math.abs(yi - e) <= 2 * Math.ulp(e), "exp(" + xi + ") = " + yi + " vs " + e);
                }
            }
        }
    }

    /**
     * exp runs two vectors per step while two are left, then one, the last one masked to the elements left.
     * Each element must have the bits of a one-vector call on its own chunk (the last, partial chunk padded
     * with anything), and the sum must add the chunks' lanes in index order, then the lanes by SimdOps.laneSum's
     * pairwise tree: the order that makes the result independent of how the loops are unrolled.
     */
    @Test
    void expPairAndSingleVectorLoopsGiveTheSameBitsAndSumOrder() {
        int L = SimdSpecies.L;
        float[] extremes = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 100f, -100f, 0f, -0f};
        for (int n : new int[] {1, 3, L - 1, L, L + 3, 2 * L, 3 * L, 3 * L + 5, 6 * L + 1}) {
            for (float a : new float[] {1f, -2f}) {
                float b = -0.75f;
                float[] x = t.uniform(n, -12f, 12f);
                if (n > 2 * L) {
                    System.arraycopy(extremes, 0, x, L + 1, extremes.length); // through the two-vector loop
                }
                float[] y = new float[n + L];
                java.util.Arrays.fill(y, n, n + L, 7f); // past the end: the masked last step must not write there
                float sum = SimdMath.exp(x, 0, a, b, y, 0, n);
                for (int j = n; j < n + L; j++) {
                    assertEquals(7f, y[j], "exp wrote past its " + n + " elements, at " + j);
                }
                float[] only = y.clone();
                java.util.Arrays.fill(only, 0, n, 3f);
                SimdMath.expOnly(x, 0, a, b, only, 0, n);
                assertArrayEquals(y, only, t.where("n " + n + " a " + a + ": expOnly against exp"));
                float[] lanes = new float[L];
                for (int c = 0; c < n; c += L) {
                    int len = Math.min(L, n - c);
                    float[] chunk = t.uniform(L, -1f, 1f), alone = new float[L]; // a partial chunk's padding: anything
                    System.arraycopy(x, c, chunk, 0, len);
                    SimdMath.exp(chunk, 0, a, b, alone, 0, L);
                    for (int l = 0; l < len; l++) {
                        assertTrue(SimdTesting.sameBits(alone[l], y[c + l]),
                                t.where("n " + n + " a " + a + ": exp(" + x[c + l] + ") at " + (c + l) + " is " + y[c + l]
                                        + ", alone " + alone[l]));
                        lanes[l] += y[c + l];
                    }
                }
                float expected = SimdTesting.treeSum(lanes);
                assertTrue(SimdTesting.sameBits(expected, sum),
                        t.where("n " + n + " a " + a + ": sum " + sum + ", in index order, then the lane tree " + expected));
            }
        }
    }

    @Test
    void tanhAbsoluteAndRelativeError() {
        float[] x = sweep(-12f, 12f, 1 << 16);
        float[] y = apply(false, x);
        for (int i = 0; i < y.length; i++) {
            double exact = Math.tanh(x[i]);
            double err = Math.abs(y[i] - exact);
            assertTrue(err <= 2.5e-7, t.where("tanh(" + x[i] + ") = " + y[i] + ", exact " + exact));
            if (Math.abs(x[i]) < 0.625f) {
                assertTrue(err <= 2 * Math.ulp((float) exact) + 1e-45, t.where("tanh(" + x[i] + ") relative"));
            }
        }
    }
}
