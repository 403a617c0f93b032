package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Shared test helpers: a clock-seeded random source whose seed every failure message repeats, and
 * tolerance checks of the form |actual − expected| ≤ atol + rtol·|expected|.
 */
final class SimdTesting {
    /** Unit roundoff of float32. */
    static final double U = 0x1.0p-24;

    final long seed;
    final SplittableRandom rnd;

    SimdTesting() {
        this(Long.getLong("tokenlab.test.seed", System.nanoTime()));
    }

    SimdTesting(long seed) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
    }

    /** Uniform in [lo, hi). */
    float[] uniform(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return x;
    }

    float[] normal(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) gaussian();
        }
        return x;
    }

    private double gaussian() {
        double u1 = 1 - rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    String where(String what) {
        return what + " (seed " + seed + "; rerun with -Dtokenlab.test.seed=" + seed + ")";
    }

    void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(where(what) + ": lengths " + expected.length + " vs " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean same = Double.compare(e, a) == 0 || (Double.isNaN(e) && Double.isNaN(a));
            if (!same && !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(where(what) + ": index " + i + " expected " + e + " got " + a + " (|diff| " + Math.abs(a - e)
                        + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
        }
    }

    void assertBitwise(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(where(what) + ": index " + i + " expected " + expected[i] + " got " + actual[i] + " (not bitwise equal)");
            }
        }
    }

    /** SimdOps.laneSum's order written out with scalars: level k adds lane i and lane i + k (k = L/2, …, 1) into lane i. */
    static float treeSum(float[] lanes) {
        float[] v = lanes.clone();
        for (int k = v.length / 2; k >= 1; k /= 2) {
            for (int i = 0; i < k; i++) {
                v[i] = v[i] + v[i + k];
            }
        }
        return v[0];
    }

    /** The same float bit for bit; any NaN matches any NaN (payloads are not part of the contract). */
    static boolean sameBits(float expected, float actual) {
        return Float.isNaN(expected) ? Float.isNaN(actual) : Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(actual);
    }
}
