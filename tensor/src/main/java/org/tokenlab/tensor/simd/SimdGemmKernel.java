package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel: a register-blocked MR × NR tile of C, {@code C_tile += Ap_panel · Bp_panel}.
 *
 * <p>NR = 2 vectors (16 floats on AVX2, 32 on AVX-512) by MR rows: MR × 2 accumulators, 2 B vectors and
 * the broadcasts of A. MR depends on how many vector registers the species has:
 * <ul>
 *   <li><b>AVX2, 16 ymm registers: MR = 4</b>, 8 accumulators. Eight independent FMA chains cover the FMA
 *       latency (4 cycles × 2 pipes) exactly. OpenBLAS's and BLIS's Haswell kernels use 6 × 16 (12
 *       accumulators, 15 of the 16 ymm registers), but C2 hoists the six broadcasts ahead of the FMAs, runs
 *       out of registers and spills two accumulators to the stack: the store-to-load forwarding then sits
 *       on their dependency chains and the 6 × 16 kernel ran at 41 GFLOP/s where this one runs at 90 on the
 *       same core (L1-resident panels, kc = 256; 5 × 16 and 4 × 24 spill too, 3 × 24 reached 75, 8 × 8
 *       reached 80).
 *   <li><b>AVX-512, 32 zmm registers: MR = 8</b>, 16 accumulators, 19 registers in all, no spills. Twice the
 *       chains the latency needs, and 16 FMAs per 10 loads instead of 8 per 6: on an Intel Xeon (Emerald
 *       Rapids) the bare kernel ran at 157 GFLOP/s where the 4-row one ran at 133 and a 6-row one at 152.
 * </ul>
 * {@code -Dtokenlab.simd.mr=4|8} overrides the choice (for measuring; 8 rows on 16 registers spill).
 * MR only decides which tiles one call computes, never how an element of C is summed, so the bits do not
 * depend on it.
 *
 * <p>The kernels are deliberately straight-line: no branches but the k loop and the add-or-store choice
 * after it, no helper taking vectors
 * (such helpers, when C2 does not inline them after a recompilation, box every vector and made a
 * kernel 7× slower for the rest of a run). The packed operands hold exactly what it needs:
 * {@code ap[ai + k·MR + r] = A(r, k)} and {@code bp[bi + k·NR + j] = B(k, j)}. What the sums are added to
 * is {@code old[oi + r·ldo + j]}: C itself (old = c, oi = ci, ldo = ldc: a later k slab, or beta = 1), a
 * Linear layer's bias in every row (old = bias, ldo = 0: the first slab of its forward), or nothing
 * (old = null: the sums are stored, the first slab of a product with beta = 0).
 *
 * <p>Scalar reference (what one call computes):
 * <pre>
 * for (int r = 0; r &lt; MR; r++)
 *     for (int j = 0; j &lt; NR; j++) {
 *         float s = 0;
 *         for (int k = 0; k &lt; kc; k++) s += ap[ai + k*MR + r] * bp[bi + k*NR + j];
 *         c[ci + r*ldc + j] = old != null ? old[oi + r*ldo + j] + s : s;
 *     }
 * </pre>
 */
final class SimdGemmKernel {
    /** Rows of C per tile: 4 with 16 vector registers (AVX2), 8 with 32 (AVX-512). */
    static final int MR = rows(System.getProperty("tokenlab.simd.mr"), L);
    /** Columns of C per tile: two vectors. */
    static final int NR = 2 * L;

    private SimdGemmKernel() {
    }

    /** MR for a property value (null or blank: by the lane count; 16 lanes means AVX-512's 32 registers). */
    static int rows(String property, int lanes) {
        if (property == null || property.isBlank()) {
            return lanes >= 16 ? 8 : 4;
        }
        return switch (property.trim()) {
            case "4" -> 4;
            case "8" -> 8;
            default -> throw new IllegalArgumentException("-Dtokenlab.simd.mr must be 4 or 8, got '" + property + "'");
        };
    }

    /** One MR × NR tile (see the class comment); picks the kernel of this MR (a constant, folded by C2). */
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        if (MR == 8) {
            kernel8(kc, ap, ai, bp, bi, c, ci, ldc, old, oi, ldo);
        } else {
            kernel4(kc, ap, ai, bp, bi, c, ci, ldc, old, oi, ldo);
        }
    }

    /**
     * {@link #kernel} with A read in place, {@code A(r, k) = a[ai + r·rs + k·ks]}: rows of a row-major A
     * (rs = lda, ks = 1) or columns of a transposed one (rs = 1, ks = lda). See {@link #kernelStridedA4}.
     */
    static void kernelStridedA(int kc, float[] a, int ai, int rs, int ks, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        if (MR == 8) {
            kernelStridedA8(kc, a, ai, rs, ks, bp, bi, c, ci, ldc, old, oi, ldo);
        } else {
            kernelStridedA4(kc, a, ai, rs, ks, bp, bi, c, ci, ldc, old, oi, ldo);
        }
    }

    // ap (kc, 4) packed, bp (kc, NR) packed, c (4, NR) with row stride ldc: c = old + ap · bp, or ap · bp without old
    static void kernel4(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        // one induction variable, A's index: B's index is (NR / MR)·ai + a constant, one lea on x86
        // (two separate ones cost C2 two more integer µops per k step, in a loop of 24; 1 % faster)
        int bShift = bi - (NR / 4) * ai;
        for (int end = ai + kc * 4; ai < end; ai += 4) {
            int b = bShift + (NR / 4) * ai;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a = FloatVector.broadcast(F, ap[ai]);
            c00 = FMA ? a.fma(b0, c00) : a.mul(b0).add(c00);
            c01 = FMA ? a.fma(b1, c01) : a.mul(b1).add(c01);
            a = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = FMA ? a.fma(b0, c10) : a.mul(b0).add(c10);
            c11 = FMA ? a.fma(b1, c11) : a.mul(b1).add(c11);
            a = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = FMA ? a.fma(b0, c20) : a.mul(b0).add(c20);
            c21 = FMA ? a.fma(b1, c21) : a.mul(b1).add(c21);
            a = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = FMA ? a.fma(b0, c30) : a.mul(b0).add(c30);
            c31 = FMA ? a.fma(b1, c31) : a.mul(b1).add(c31);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (old != null) { // old first, as in old + s (the operand order only matters for NaN payloads)
            int o1 = oi + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
            c00 = FloatVector.fromArray(F, old, oi).add(c00);
            c01 = FloatVector.fromArray(F, old, oi + L).add(c01);
            c10 = FloatVector.fromArray(F, old, o1).add(c10);
            c11 = FloatVector.fromArray(F, old, o1 + L).add(c11);
            c20 = FloatVector.fromArray(F, old, o2).add(c20);
            c21 = FloatVector.fromArray(F, old, o2 + L).add(c21);
            c30 = FloatVector.fromArray(F, old, o3).add(c30);
            c31 = FloatVector.fromArray(F, old, o3 + L).add(c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    /**
     * {@link #kernel4} reading A in place instead of packed: {@code A(r, k) = a[ai + r·rs + k·ks]}, four row
     * streams of a row-major A (rs = lda, ks = 1) or four adjacent columns of a transposed one (rs = 1,
     * ks = lda). The same arithmetic in the same order (so the same bits as packing A with alpha = 1); for
     * products whose A meets only one or two NR-panels of B, where packing A would cost more than it saves
     * (attention's P·V and dS·K, and Pᵀ·dO and dSᵀ·Q with A transposed: N = the head size).
     */
    static void kernelStridedA4(int kc, float[] a, int ai, int rs, int ks, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs;
        for (int k = 0, ak = 0; k < kc; k++, ak += ks) {
            int b = bi + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, a[ai + ak]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(F, a[a1 + ak]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(F, a[a2 + ak]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(F, a[a3 + ak]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (old != null) {
            int o1 = oi + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
            c00 = FloatVector.fromArray(F, old, oi).add(c00);
            c01 = FloatVector.fromArray(F, old, oi + L).add(c01);
            c10 = FloatVector.fromArray(F, old, o1).add(c10);
            c11 = FloatVector.fromArray(F, old, o1 + L).add(c11);
            c20 = FloatVector.fromArray(F, old, o2).add(c20);
            c21 = FloatVector.fromArray(F, old, o2 + L).add(c21);
            c30 = FloatVector.fromArray(F, old, o3).add(c30);
            c31 = FloatVector.fromArray(F, old, o3 + L).add(c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    // ap (kc, 8) packed, bp (kc, NR) packed, c (8, NR) with row stride ldc: c = old + ap · bp, or ap · bp without old
    static void kernel8(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int bShift = bi - (NR / 8) * ai; // one induction variable, as in kernel4
        for (int end = ai + kc * 8; ai < end; ai += 8) {
            int b = bShift + (NR / 8) * ai;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a = FloatVector.broadcast(F, ap[ai]);
            c00 = FMA ? a.fma(b0, c00) : a.mul(b0).add(c00);
            c01 = FMA ? a.fma(b1, c01) : a.mul(b1).add(c01);
            a = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = FMA ? a.fma(b0, c10) : a.mul(b0).add(c10);
            c11 = FMA ? a.fma(b1, c11) : a.mul(b1).add(c11);
            a = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = FMA ? a.fma(b0, c20) : a.mul(b0).add(c20);
            c21 = FMA ? a.fma(b1, c21) : a.mul(b1).add(c21);
            a = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = FMA ? a.fma(b0, c30) : a.mul(b0).add(c30);
            c31 = FMA ? a.fma(b1, c31) : a.mul(b1).add(c31);
            a = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = FMA ? a.fma(b0, c40) : a.mul(b0).add(c40);
            c41 = FMA ? a.fma(b1, c41) : a.mul(b1).add(c41);
            a = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = FMA ? a.fma(b0, c50) : a.mul(b0).add(c50);
            c51 = FMA ? a.fma(b1, c51) : a.mul(b1).add(c51);
            a = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = FMA ? a.fma(b0, c60) : a.mul(b0).add(c60);
            c61 = FMA ? a.fma(b1, c61) : a.mul(b1).add(c61);
            a = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = FMA ? a.fma(b0, c70) : a.mul(b0).add(c70);
            c71 = FMA ? a.fma(b1, c71) : a.mul(b1).add(c71);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (old != null) {
            int o1 = oi + ldo, o2 = o1 + ldo, o3 = o2 + ldo, o4 = o3 + ldo, o5 = o4 + ldo, o6 = o5 + ldo, o7 = o6 + ldo;
            c00 = FloatVector.fromArray(F, old, oi).add(c00);
            c01 = FloatVector.fromArray(F, old, oi + L).add(c01);
            c10 = FloatVector.fromArray(F, old, o1).add(c10);
            c11 = FloatVector.fromArray(F, old, o1 + L).add(c11);
            c20 = FloatVector.fromArray(F, old, o2).add(c20);
            c21 = FloatVector.fromArray(F, old, o2 + L).add(c21);
            c30 = FloatVector.fromArray(F, old, o3).add(c30);
            c31 = FloatVector.fromArray(F, old, o3 + L).add(c31);
            c40 = FloatVector.fromArray(F, old, o4).add(c40);
            c41 = FloatVector.fromArray(F, old, o4 + L).add(c41);
            c50 = FloatVector.fromArray(F, old, o5).add(c50);
            c51 = FloatVector.fromArray(F, old, o5 + L).add(c51);
            c60 = FloatVector.fromArray(F, old, o6).add(c60);
            c61 = FloatVector.fromArray(F, old, o6 + L).add(c61);
            c70 = FloatVector.fromArray(F, old, o7).add(c70);
            c71 = FloatVector.fromArray(F, old, o7 + L).add(c71);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + L);
    }

    /** {@link #kernel8} reading A in place, eight rows (or columns): the same arithmetic as {@link #kernelStridedA4}. */
    static void kernelStridedA8(int kc, float[] a, int ai, int rs, int ks, float[] bp, int bi, float[] c, int ci, int ldc, float[] old, int oi, int ldo) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int a1 = ai + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        for (int k = 0, ak = 0; k < kc; k++, ak += ks) {
            int b = bi + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, a[ai + ak]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(F, a[a1 + ak]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(F, a[a2 + ak]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(F, a[a3 + ak]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
            x = FloatVector.broadcast(F, a[a4 + ak]);
            c40 = FMA ? x.fma(b0, c40) : x.mul(b0).add(c40);
            c41 = FMA ? x.fma(b1, c41) : x.mul(b1).add(c41);
            x = FloatVector.broadcast(F, a[a5 + ak]);
            c50 = FMA ? x.fma(b0, c50) : x.mul(b0).add(c50);
            c51 = FMA ? x.fma(b1, c51) : x.mul(b1).add(c51);
            x = FloatVector.broadcast(F, a[a6 + ak]);
            c60 = FMA ? x.fma(b0, c60) : x.mul(b0).add(c60);
            c61 = FMA ? x.fma(b1, c61) : x.mul(b1).add(c61);
            x = FloatVector.broadcast(F, a[a7 + ak]);
            c70 = FMA ? x.fma(b0, c70) : x.mul(b0).add(c70);
            c71 = FMA ? x.fma(b1, c71) : x.mul(b1).add(c71);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (old != null) {
            int o1 = oi + ldo, o2 = o1 + ldo, o3 = o2 + ldo, o4 = o3 + ldo, o5 = o4 + ldo, o6 = o5 + ldo, o7 = o6 + ldo;
            c00 = FloatVector.fromArray(F, old, oi).add(c00);
            c01 = FloatVector.fromArray(F, old, oi + L).add(c01);
            c10 = FloatVector.fromArray(F, old, o1).add(c10);
            c11 = FloatVector.fromArray(F, old, o1 + L).add(c11);
            c20 = FloatVector.fromArray(F, old, o2).add(c20);
            c21 = FloatVector.fromArray(F, old, o2 + L).add(c21);
            c30 = FloatVector.fromArray(F, old, o3).add(c30);
            c31 = FloatVector.fromArray(F, old, o3 + L).add(c31);
            c40 = FloatVector.fromArray(F, old, o4).add(c40);
            c41 = FloatVector.fromArray(F, old, o4 + L).add(c41);
            c50 = FloatVector.fromArray(F, old, o5).add(c50);
            c51 = FloatVector.fromArray(F, old, o5 + L).add(c51);
            c60 = FloatVector.fromArray(F, old, o6).add(c60);
            c61 = FloatVector.fromArray(F, old, o6 + L).add(c61);
            c70 = FloatVector.fromArray(F, old, o7).add(c70);
            c71 = FloatVector.fromArray(F, old, o7 + L).add(c71);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + L);
    }
}
