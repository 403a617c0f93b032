package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Deterministic vector math: lane sums in a fixed order, and exp/tanh as polynomials built only from
 * exactly rounded IEEE operations (add, mul, fma, div, integer bit moves).
 *
 * <p>Why not {@code reduceLanes(ADD)} and {@code lanewise(EXP)}: their results depend on whether C2
 * has compiled the calling method. The intrinsic adds lanes in a tree and calls Intel SVML, while the
 * interpreter's fallback adds lanes in sequence and calls {@link Math#exp} per lane. Background
 * compilation makes that switch-over time-dependent, so a training run would not repeat bit for bit
 * (the thread-count test caught it). Everything here computes the same bits in every JIT tier.
 *
 * <p>Accuracy (measured against double over the float range in SimdMathTest): {@link #exp} within
 * 2 ulp on [−87.3, 88.7] (Cody–Waite reduction, Cephes expf polynomial), results below 2^−126 flush to
 * 0 (absolute error &lt; 1.2e−38); {@link #tanh} within 2e−7 absolute (Cephes tanhf polynomial below
 * |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above).
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

    private SimdMath() {
    }

    /** Σ of the lanes in lane order (0, 1, …), the same bits in every JIT tier. */
    static float sum(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Σ of the lanes in lane order. */
    static double sum(DoubleVector v) {
        double s = v.lane(0);
        for (int i = 1; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    // a·b + c, fused unless -Dtokenlab.simd.fma=false
    private static FloatVector madd(FloatVector a, float b, FloatVector c) {
        return FMA ? a.fma(FloatVector.broadcast(F, b), c) : a.mul(b).add(c);
    }

    // one Horner step: p·x + c
    private static FloatVector horner(FloatVector p, FloatVector x, float c) {
        return FMA ? p.fma(x, FloatVector.broadcast(F, c)) : p.mul(x).add(c);
    }

    /** e^x per lane. */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_MIN);
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.mul(LOG2E).add(ROUND_MAGIC);  // round(x·log2 e) in the low bits
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = madd(n, -LN2_HI, xc);            // r = x − n·ln 2, in two parts
        r = madd(n, -LN2_LO, r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500E-4f);
        p = horner(p, r, 1.3981999507E-3f);
        p = horner(p, r, 8.3334519073E-3f);
        p = horner(p, r, 4.1665795894E-2f);
        p = horner(p, r, 1.6666665459E-1f);
        p = horner(p, r, 5.0000001201E-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);                // e^r ≈ 1 + r + r²·P(r)
        // × 2^n as 2^h · 2^(n−h), h = n/2: each factor stays a normal float even for n = 128 or −126
        IntVector n2 = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
        IntVector h = n2.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2).blend(0f, under);
    }

    /** tanh x per lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        // large |x|: 1 − 2/(e^{2|x|} + 1), with the sign of x
        FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(exp(ax.mul(2f)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        // small |x|: x + x·z·P(z), z = x²
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(F, -5.70498872745E-3f);
        p = horner(p, z, 2.06390887954E-2f);
        p = horner(p, z, -5.37397155531E-2f);
        p = horner(p, z, 1.33314422036E-1f);
        p = horner(p, z, -3.33332819422E-1f);
        FloatVector small = p.mul(z).mul(x).add(x);
        return big.blend(small, ax.compare(VectorOperators.LT, 0.625f));
    }
}
