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
 * (SimdDeterminismTest caught it). Lane sums therefore go through {@link SimdOps#laneSum} (a fixed tree of
 * lanewise adds, the same in every tier), and exp/tanh live here.
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
    // the exp's constants, package-private for the one other loop that inlines its steps (SimdUnary.gelu)
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float EXP_MAX = 88.72283f;
    static final float EXP_MIN = -87.33654f;
    /** 1.5·2^23: adding it rounds a float below 2^22 to an integer held in the low mantissa bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** Cephes expf: e^r ≈ 1 + r + r²·(((((P0·r + P1)·r + P2)·r + P3)·r + P4)·r + P5) on |r| ≤ ln 2 / 2. */
    static final float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f, P3 = 4.1665795894E-2f,
            P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;
    private static final float TANH_SMALL = 0.625f;

    /** Kernels' scratch rows (see {@link #scratch}); tanh keeps its own so callers may hold theirs. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4096]);
    private static final ThreadLocal<float[]> TANH_SCRATCH = ThreadLocal.withInitial(() -> new float[4096]);
    /** exp's running lane sums and its −b while its last vectors go through {@link #expColumn}. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L + 1]);

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
     * y[yi+j] = e^(a·x[xi+j] + b) for j &lt; n, and returns their sum (the vector lanes' running sums, then
     * {@link SimdOps#laneSum} of the lanes). x and y may be the same range. No scalar tail: the last n mod L elements are
     * one masked vector step, the same lane arithmetic (attention's softmax rows have any length from 1 to T,
     * and a tail of up to L − 1 {@link Math#exp} calls cost more than the row's vectors).
     *
     * <p>Two vectors per step while two are left, then one: each lane's arithmetic is the same in both
     * loops (so are its bits), and the sum adds the vectors in index order. Why two: one vector's exp is a
     * chain of about twenty dependent operations (60 cycles of latency) and the out-of-order window
     * overlaps only two or three iterations of it, so the loop waited on latency; written side by side, the
     * two chains fill each other's gaps (1.05 → 0.87 ns per element on the Zen 3 development machine).
     * SimdMathTest pins the two loops, the masked last step and the order of the sum against each other. Why the
     * one-vector loop is separate: folding an odd last vector into the pair loop (computed twice,
     * kept once, behind a branch) made C2's loop slower than the one-vector loop it replaced (1.07 against
     * 0.98 ns per element; the two loops here: 0.84).
     */
    static float exp(float[] x, int xi, float a, float b, float[] y, int yi, int n) {
        return exp(x, xi, a, b, y, yi, n, true);
    }

    /**
     * {@link #exp} without the sum, for callers that only want y: the same bits in y, and no lane sum at the end, a
     * chain of L dependent adds (about 60 cycles) that costs a short row as much as its exps (attention's backward
     * recomputes a row of probabilities per query).
     */
    static void expOnly(float[] x, int xi, float a, float b, float[] y, int yi, int n) {
        exp(x, xi, a, b, y, yi, n, false);
    }

    private static float exp(float[] x, int xi, float a, float b, float[] y, int yi, int n, boolean sum) {
        int j = 0;
        FloatVector acc = FloatVector.zero(F);
        FloatVector av = FloatVector.broadcast(F, a), bv = FloatVector.broadcast(F, b);
        // the same steps as the one-vector loop below, on x0 (lanes j…) and x1 (lanes j + L…) interleaved
        for (int pairs = n - 2 * L; j <= pairs; j += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(F, x, xi + j), x1 = FloatVector.fromArray(F, x, xi + j + L);
            x0 = FMA ? x0.fma(av, bv) : x0.mul(av).add(bv);
            x1 = FMA ? x1.fma(av, bv) : x1.mul(av).add(bv);
            VectorMask<Float> under0 = x0.compare(VectorOperators.LT, EXP_MIN), under1 = x1.compare(VectorOperators.LT, EXP_MIN);
            FloatVector c0 = x0.blend(EXP_MIN, under0).blend(EXP_MAX, x0.compare(VectorOperators.GT, EXP_MAX));
            FloatVector c1 = x1.blend(EXP_MIN, under1).blend(EXP_MAX, x1.compare(VectorOperators.GT, EXP_MAX));
            FloatVector t0 = c0.mul(LOG2E).add(ROUND_MAGIC), t1 = c1.mul(LOG2E).add(ROUND_MAGIC);
            FloatVector n0 = t0.sub(ROUND_MAGIC), n1 = t1.sub(ROUND_MAGIC);
            FloatVector r0 = FMA ? n0.fma(FloatVector.broadcast(F, -LN2_HI), c0) : n0.mul(-LN2_HI).add(c0);
            FloatVector r1 = FMA ? n1.fma(FloatVector.broadcast(F, -LN2_HI), c1) : n1.mul(-LN2_HI).add(c1);
            r0 = FMA ? n0.fma(FloatVector.broadcast(F, -LN2_LO), r0) : n0.mul(-LN2_LO).add(r0);
            r1 = FMA ? n1.fma(FloatVector.broadcast(F, -LN2_LO), r1) : n1.mul(-LN2_LO).add(r1);
            FloatVector p0 = FloatVector.broadcast(F, P0), p1 = p0;
            p0 = FMA ? p0.fma(r0, FloatVector.broadcast(F, P1)) : p0.mul(r0).add(P1);
            p1 = FMA ? p1.fma(r1, FloatVector.broadcast(F, P1)) : p1.mul(r1).add(P1);
            p0 = FMA ? p0.fma(r0, FloatVector.broadcast(F, P2)) : p0.mul(r0).add(P2);
            p1 = FMA ? p1.fma(r1, FloatVector.broadcast(F, P2)) : p1.mul(r1).add(P2);
            p0 = FMA ? p0.fma(r0, FloatVector.broadcast(F, P3)) : p0.mul(r0).add(P3);
            p1 = FMA ? p1.fma(r1, FloatVector.broadcast(F, P3)) : p1.mul(r1).add(P3);
            p0 = FMA ? p0.fma(r0, FloatVector.broadcast(F, P4)) : p0.mul(r0).add(P4);
            p1 = FMA ? p1.fma(r1, FloatVector.broadcast(F, P4)) : p1.mul(r1).add(P4);
            p0 = FMA ? p0.fma(r0, FloatVector.broadcast(F, P5)) : p0.mul(r0).add(P5);
            p1 = FMA ? p1.fma(r1, FloatVector.broadcast(F, P5)) : p1.mul(r1).add(P5);
            p0 = p0.mul(r0.mul(r0)).add(r0).add(1f);
            p1 = p1.mul(r1.mul(r1)).add(r1).add(1f);
            IntVector k0 = ((IntVector) t0.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            IntVector k1 = ((IntVector) t1.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            IntVector h0 = k0.lanewise(VectorOperators.ASHR, 1), h1 = k1.lanewise(VectorOperators.ASHR, 1);
            FloatVector a0 = h0.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector a1 = h1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector b0 = k0.sub(h0).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector b1 = k1.sub(h1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e0 = p0.mul(a0).mul(b0).blend(0f, under0), e1 = p1.mul(a1).mul(b1).blend(0f, under1);
            e0.intoArray(y, yi + j);
            e1.intoArray(y, yi + j + L);
            acc = acc.add(e0).add(e1);
        }
        // then one vector at a time, the last one masked to the n − j < L elements left (its other lanes
        // load 0, are not stored, and are not added): a column of one row ({@link #expColumn}), the running sums passed through memory
        if (j < n) {
            float[] lanes = LANES.get(); // the running sums in lanes [0, L), −b in lane L
            acc.intoArray(lanes, 0);
            lanes[L] = -b;
            for (; j < n; j += L) {
                expColumn(x, xi, y, yi, 0, j, 0, 1, n, 0, a, lanes, L, sum ? lanes : null, 0);
            }
            acc = FloatVector.fromArray(F, lanes, 0);
        }
        if (!sum) {
            return 0f;
        }
        return SimdOps.laneSum(acc);
    }

    /**
     * One vector column of exp over several rows: for each row r in [r0, r1) (x's row at {@code xi + r·ld}, y's at
     * {@code yi + r·ld}, holding {@code n0 + step·r} elements), {@code y[j + l] = e^(a·x[j + l] − negB[bOff + r])} for
     * the lanes l with j + l inside the row, and, when {@code acc} is not null, {@code acc[accOff + r·L + l]} += those
     * values (the other lanes of y and acc are left as they are). The lane arithmetic of every exp here, so the same
     * bits. No vector crosses the call, so a call costs no boxing where C2 does not inline it (it is too large to be),
     * and one call covers a column of rows: attention's softmax ({@link SimdAttentionRows}) walks short rows side by
     * side this way, and {@link #exp}'s last vectors are a column of one row.
     */
    static void expColumn(float[] x, int xi, float[] y, int yi, int ld, int j, int r0, int r1, int n0, int step, float a,
                          float[] negB, int bOff, float[] acc, int accOff) {
        FloatVector av = FloatVector.broadcast(F, a);
        for (int row = r0; row < r1; row++) {
            VectorMask<Float> m = F.indexInRange(j, n0 + step * row);
            FloatVector xv = FloatVector.fromArray(F, x, xi + row * ld + j, m);
            float b = -negB[bOff + row];
            xv = FMA ? xv.fma(av, FloatVector.broadcast(F, b)) : xv.mul(av).add(b);
            VectorMask<Float> under = xv.compare(VectorOperators.LT, EXP_MIN);
            // clamp by compare and blend, reusing `under`: lanewise max/min follow Math.max (NaN, −0)
            // and cost C2 several instructions each on x86; for this clamp the blends give the same bits
            FloatVector xc = xv.blend(EXP_MIN, under).blend(EXP_MAX, xv.compare(VectorOperators.GT, EXP_MAX));
            FloatVector t = xc.mul(LOG2E).add(ROUND_MAGIC); // round(x·log2 e) in the low bits
            FloatVector nf = t.sub(ROUND_MAGIC);
            // r = x − n·ln 2 in two parts (Cody–Waite), then e^r ≈ 1 + r + r²·P(r)
            FloatVector r = FMA ? nf.fma(FloatVector.broadcast(F, -LN2_HI), xc) : nf.mul(-LN2_HI).add(xc);
            r = FMA ? nf.fma(FloatVector.broadcast(F, -LN2_LO), r) : nf.mul(-LN2_LO).add(r);
            FloatVector p = FloatVector.broadcast(F, P0);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, P1)) : p.mul(r).add(P1);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, P2)) : p.mul(r).add(P2);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, P3)) : p.mul(r).add(P3);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, P4)) : p.mul(r).add(P4);
            p = FMA ? p.fma(r, FloatVector.broadcast(F, P5)) : p.mul(r).add(P5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            // × 2^n as 2^h · 2^(n−h), h = n/2: each factor stays a normal float even for n = 128 or −126
            IntVector n2 = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            IntVector h = n2.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(s1).mul(s2).blend(0f, under);
            e.intoArray(y, yi + row * ld + j, m);
            if (acc != null) {
                int ai = accOff + row * L;
                FloatVector.fromArray(F, acc, ai).add(e, m).intoArray(acc, ai);
            }
        }
    }

    /** y[yi+j] = tanh(x[xi+j]) for j &lt; n; x and y must not overlap unless identical. */
    static void tanh(float[] x, int xi, float[] y, int yi, int n) {
        int bound = F.loopBound(n);
        float[] t = grow(TANH_SCRATCH, bound);
        // t = |x|, then t = e^{−2|x|} (in place), then combine with the small-|x| polynomial
        for (int j = 0; j < bound; j += L) {
            FloatVector.fromArray(F, x, xi + j).abs().intoArray(t, j);
        }
        expOnly(t, 0, -2f, 0f, t, 0, bound);
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
