package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Deterministic vector exp and tanh over arrays, built only from exactly rounded IEEE operations
 * (add, mul, fma, div, integer bit moves), and the per-thread scratch rows the kernels use with them.
 *
 * <p>Why not {@code lanewise(EXP)} and {@code reduceLanes(ADD)}: their results depend on whether C2
 * has compiled the calling method. The intrinsics call Intel SVML and add lanes in a tree, the
 * interpreter's fallback calls {@link Math#exp} per lane and adds lanes in sequence. Background
 * compilation makes the switch-over time-dependent, so a training run would not repeat bit for bit
 * (SimdDeterminismTest caught it). Lane sums are therefore written as {@code lane(0) + lane(1) + …}
 * in the callers, and exp/tanh live here.
 *
 * <p>Why arrays in and out, not a {@code FloatVector exp(FloatVector)} helper: when C2 declines to
 * inline such a helper ("callee is too large", "uses too much stack"), every vector crossing the
 * call is boxed and the kernel runs several times slower; attention ran at a third of the scalar
 * speed that way. Each loop below is self-contained.
 *
 * <p>Accuracy (SimdMathTest, against double): exp within 2 ulp on [−87.3, 88.7] (Cody–Waite
 * reduction, Cephes expf polynomial), below that it flushes to 0 (absolute error &lt; 1.2e−38);
 * tanh within 2.5e−7 absolute, and 2 ulp below |x| = 0.625 (Cephes tanhf polynomial there,
 * (1 − e^{−2|x|})/(1 + e^{−2|x|}) above).
 */
final class SimdMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MAX = 88.72283f;
    private static final float EXP_MIN = -87.33654f;
    /** 1.5·2^23: adding it rounds a float below 2^22 to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float TANH_SMALL = 0.625f;

    /** Kernels' scratch rows (see {@link #scratch}); tanh keeps its own so callers may hold theirs. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4096]);
    private static final ThreadLocal<float[]> TANH_SCRATCH = ThreadLocal.withInitial(() -> new float[4096]);

    private SimdMath() {
    }

    /** A per-thread scratch array of at least n floats (contents undefined). */
    static float[] scratch(int n) {
        return grow(SCRATCH, n);
    }

    private static float[] grow(ThreadLocal<float[]> tl, int n) {
        float[] s = tl.get();
        if (s.length < n) {
            s = new float[Math.max(n, 2 * s.length)];
            tl.set(s);
        }
        return s;
    }

    /**
     * y[yi+j] = e^(a·x[xi+j] + b) for j &lt; n, and returns their sum (vector lanes in lane order, then
     * the tail). x and y may be the same range.
     */
    static float exp(float[] x, int xi, float a, float b, float[] y, int yi, int n) {
        int j = 0;
        float s = 0f;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            FloatVector av = FloatVector.broadcast(F, a), bv = FloatVector.broadcast(F, b);
            for (int bound = F.loopBound(n); j < bound; j += L) {
                FloatVector xv = FloatVector.fromArray(F, x, xi + j);
                xv = FMA ? xv.fma(av, bv) : xv.mul(av).add(bv);
                VectorMask<Float> under = xv.compare(VectorOperators.LT, EXP_MIN);
                // clamp by compare and blend, reusing `under`: lanewise max/min follow Math.max (NaN, −0)
                // and cost C2 several instructions each on x86; for this clamp the blends give the same bits
                FloatVector xc = xv.blend(EXP_MIN, under).blend(EXP_MAX, xv.compare(VectorOperators.GT, EXP_MAX));
                FloatVector t = xc.mul(LOG2E).add(ROUND_MAGIC); // round(x·log2 e) in the low bits
                FloatVector nf = t.sub(ROUND_MAGIC);
                // r = x − n·ln 2 in two parts (Cody–Waite), then e^r ≈ 1 + r + r²·P(r)
                FloatVector r = FMA ? nf.fma(FloatVector.broadcast(F, -LN2_HI), xc) : nf.mul(-LN2_HI).add(xc);
                r = FMA ? nf.fma(FloatVector.broadcast(F, -LN2_LO), r) : nf.mul(-LN2_LO).add(r);
                FloatVector p = FloatVector.broadcast(F, 1.9875691500E-4f);
                p = FMA ? p.fma(r, FloatVector.broadcast(F, 1.3981999507E-3f)) : p.mul(r).add(1.3981999507E-3f);
                p = FMA ? p.fma(r, FloatVector.broadcast(F, 8.3334519073E-3f)) : p.mul(r).add(8.3334519073E-3f);
                p = FMA ? p.fma(r, FloatVector.broadcast(F, 4.1665795894E-2f)) : p.mul(r).add(4.1665795894E-2f);
                p = FMA ? p.fma(r, FloatVector.broadcast(F, 1.6666665459E-1f)) : p.mul(r).add(1.6666665459E-1f);
                p = FMA ? p.fma(r, FloatVector.broadcast(F, 5.0000001201E-1f)) : p.mul(r).add(5.0000001201E-1f);
                p = p.mul(r.mul(r)).add(r).add(1f);
                // × 2^n as 2^h · 2^(n−h), h = n/2: each factor stays a normal float even for n = 128 or −126
                IntVector n2 = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
                IntVector h = n2.lanewise(VectorOperators.ASHR, 1);
                FloatVector s1 = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector s2 = n2.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector e = p.mul(s1).mul(s2).blend(0f, under);
                e.intoArray(y, yi + j);
                acc = acc.add(e);
            }
            for (int l = 0; l < L; l++) {
                s += acc.lane(l);
            }
        }
        for (; j < n; j++) {
            float e = (float) Math.exp(a * x[xi + j] + b);
            y[yi + j] = e;
            s += e;
        }
        return s;
    }

    /** y[yi+j] = tanh(x[xi+j]) for j &lt; n; x and y must not overlap unless identical. */
    static void tanh(float[] x, int xi, float[] y, int yi, int n) {
        int bound = F.loopBound(n);
        float[] t = grow(TANH_SCRATCH, bound);
        // t = |x|, then t = e^{−2|x|} (in place), then combine with the small-|x| polynomial
        for (int j = 0; j < bound; j += L) {
            FloatVector.fromArray(F, x, xi + j).abs().intoArray(t, j);
        }
        exp(t, 0, -2f, 0f, t, 0, bound);
        for (int j = 0; j < bound; j += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xi + j);
            FloatVector e = FloatVector.fromArray(F, t, j);
            FloatVector big = FloatVector.broadcast(F, 1f).sub(e).div(e.add(1f));
            big = big.blend(big.neg(), xv.compare(VectorOperators.LT, 0f));
            FloatVector z = xv.mul(xv);
            FloatVector p = FloatVector.broadcast(F, -5.70498872745E-3f);
            p = FMA ? p.fma(z, FloatVector.broadcast(F, 2.06390887954E-2f)) : p.mul(z).add(2.06390887954E-2f);
            p = FMA ? p.fma(z, FloatVector.broadcast(F, -5.37397155531E-2f)) : p.mul(z).add(-5.37397155531E-2f);
            p = FMA ? p.fma(z, FloatVector.broadcast(F, 1.33314422036E-1f)) : p.mul(z).add(1.33314422036E-1f);
            p = FMA ? p.fma(z, FloatVector.broadcast(F, -3.33332819422E-1f)) : p.mul(z).add(-3.33332819422E-1f);
            FloatVector small = p.mul(z).mul(xv).add(xv);
            big.blend(small, xv.abs().compare(VectorOperators.LT, TANH_SMALL)).intoArray(y, yi + j);
        }
        for (int j = bound; j < n; j++) {
            y[yi + j] = (float) Math.tanh(x[xi + j]);
        }
    }
}
