package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;

/**
 * The GEMM micro-kernel: a register-blocked MR × NR tile of C, {@code C_tile += Ap_panel · Bp_panel}.
 *
 * <p>MR = 4 rows by NR = 2 vectors (16 floats on AVX2): 8 accumulators, 2 B vectors and the
 * broadcasts of A. Eight independent FMA chains cover the FMA latency (4 cycles × 2 pipes) exactly.
 * OpenBLAS's and BLIS's Haswell kernels use 6 × 16 (12 accumulators, 15 of the 16 ymm registers),
 * but C2 hoists the six broadcasts ahead of the FMAs, runs out of registers and spills two
 * accumulators to the stack: the store-to-load forwarding then sits on their dependency chains and
 * the 6 × 16 kernel ran at 41 GFLOP/s where this one runs at 90 on the same core (L1-resident
 * panels, kc = 256; 5 × 16 and 4 × 24 spill too, 3 × 24 reached 75, 8 × 8 reached 80).
 *
 * <p>The kernel is deliberately straight-line: no branches but the k loop and the add-or-store choice
 * after it (store: the first k slab of a product with beta = 0), no helper taking vectors
 * (such helpers, when C2 does not inline them after a recompilation, box every vector and made a
 * kernel 7× slower for the rest of a run). The packed operands hold exactly what it needs:
 * {@code ap[ai + k·MR + r] = A(r, k)} and {@code bp[bi + k·NR + j] = B(k, j)}.
 *
 * <p>Scalar reference (what one call computes):
 * <pre>
 * for (int r = 0; r &lt; MR; r++)
 *     for (int j = 0; j &lt; NR; j++) {
 *         float s = 0;
 *         for (int k = 0; k &lt; kc; k++) s += ap[ai + k*MR + r] * bp[bi + k*NR + j];
 *         c[ci + r*ldc + j] = add ? c[ci + r*ldc + j] + s : s;
 *     }
 * </pre>
 */
final class SimdGemmKernel {
    /** Rows of C per tile. */
    static final int MR = 4;
    /** Columns of C per tile: two vectors. */
    static final int NR = 2 * L;

    private SimdGemmKernel() {
    }

    // ap (kc, MR) packed, bp (kc, NR) packed, c (MR, NR) with row stride ldc: c += ap · bp (add) or c = ap · bp
    static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        // one induction variable, A's index: B's index is (NR / MR)·ai + a constant, one lea on x86
        // (two separate ones cost C2 two more integer µops per k step, in a loop of 24; 1 % faster)
        int bShift = bi - (NR / MR) * ai;
        for (int end = ai + kc * MR; ai < end; ai += MR) {
            int b = bShift + (NR / MR) * ai;
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
        if (add) { // old C first, as in c + s (the operand order only matters for NaN payloads)
            c00 = FloatVector.fromArray(F, c, ci).add(c00);
            c01 = FloatVector.fromArray(F, c, ci + L).add(c01);
            c10 = FloatVector.fromArray(F, c, r1).add(c10);
            c11 = FloatVector.fromArray(F, c, r1 + L).add(c11);
            c20 = FloatVector.fromArray(F, c, r2).add(c20);
            c21 = FloatVector.fromArray(F, c, r2 + L).add(c21);
            c30 = FloatVector.fromArray(F, c, r3).add(c30);
            c31 = FloatVector.fromArray(F, c, r3 + L).add(c31);
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
     * {@link #kernel} reading A in place instead of packed: {@code A(r, k) = a[ai + r·lda + k]}, four row
     * streams. The same arithmetic in the same order (so the same bits as packing A with alpha = 1); for
     * products whose A meets only one or two NR-panels of B, where packing A would cost more than it saves
     * (attention's P·V and dS·K: N = the head size).
     */
    static void kernelRowsA(int kc, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int a1 = ai + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int k = 0; k < kc; k++) {
            int b = bi + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, a[ai + k]);
            c00 = FMA ? x.fma(b0, c00) : x.mul(b0).add(c00);
            c01 = FMA ? x.fma(b1, c01) : x.mul(b1).add(c01);
            x = FloatVector.broadcast(F, a[a1 + k]);
            c10 = FMA ? x.fma(b0, c10) : x.mul(b0).add(c10);
            c11 = FMA ? x.fma(b1, c11) : x.mul(b1).add(c11);
            x = FloatVector.broadcast(F, a[a2 + k]);
            c20 = FMA ? x.fma(b0, c20) : x.mul(b0).add(c20);
            c21 = FMA ? x.fma(b1, c21) : x.mul(b1).add(c21);
            x = FloatVector.broadcast(F, a[a3 + k]);
            c30 = FMA ? x.fma(b0, c30) : x.mul(b0).add(c30);
            c31 = FMA ? x.fma(b1, c31) : x.mul(b1).add(c31);
        }
        int r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (add) {
            c00 = FloatVector.fromArray(F, c, ci).add(c00);
            c01 = FloatVector.fromArray(F, c, ci + L).add(c01);
            c10 = FloatVector.fromArray(F, c, r1).add(c10);
            c11 = FloatVector.fromArray(F, c, r1 + L).add(c11);
            c20 = FloatVector.fromArray(F, c, r2).add(c20);
            c21 = FloatVector.fromArray(F, c, r2 + L).add(c21);
            c30 = FloatVector.fromArray(F, c, r3).add(c30);
            c31 = FloatVector.fromArray(F, c, r3 + L).add(c31);
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
}
