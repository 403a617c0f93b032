package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdGemmKernel.MR;
import static org.tokenlab.tensor.simd.SimdGemmKernel.NR;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Batched SGEMM {@code C = alpha·op(A)·op(B) + beta·C} in the GotoBLAS/BLIS scheme: B is packed in
 * KC × NC slabs shared by all threads, each task packs its own MC × KC block of A, and the
 * {@link SimdGemmKernel} micro-kernel sweeps MR × NR tiles of C. See docs/simd-gemm.md.
 *
 * <p>Scalar reference (what every element must match, up to float rounding):
 * <pre>
 * C(i,j) = alpha · Σ_k op(A)(i,k) · op(B)(k,j) + beta · C(i,j)      (beta = 0: old C ignored)
 * </pre>
 *
 * <p>Determinism: an element of C is always summed the same way: k in slabs of {@link #KC} (a
 * constant), each slab accumulated from zero in the micro-kernel's registers and then added to C.
 * Tasks only decide which tiles a thread computes, and the task grid itself depends only on M and N,
 * so 1, 2 or N threads give bitwise-identical C.
 */
final class SimdGemm {
    /** Depth of one packed slab: a KC × NR panel of B (16 KB) stays in L1. */
    static final int KC = 256;
    /** Most MR-panels of A per task: 42 × 4 = 168 rows, a 168 KB block of A in L2. */
    static final int MC_PANELS = 42;
    /** Width of one packed slab of B; bounds its buffer to KC × NC floats (4 MB). */
    static final int NC = 256 * NR;
    /**
     * Below this many multiply-adds a GEMM stays on the calling thread: 2^22 take about 100 µs on one
     * core, several times what handing blocks to the pool costs (128³ ran at 29 GFLOP/s on 2 threads
     * and 67 on 1).
     */
    static final long PARALLEL_MIN = 1L << 22;
    /** Batch entries too small to split (below {@link #PARALLEL_MIN}) each run on one thread, the batch loop is parallel. */
    static final long BATCH_TASK_MAX = PARALLEL_MIN;

    /** Per-thread packing buffers and the scratch tile for edges; grown on demand, never shrunk. */
    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int n) {
            if (a.length < n) {
                a = new float[n];
            }
            return a;
        }

        float[] b(int n) {
            if (b.length < n) {
                b = new float[n];
            }
            return b;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private SimdGemm() {
    }

    /** One GEMM problem without its batch index; the arrays and offsets of one batch entry. */
    private record Op(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                      float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc) {
    }

    /** The Backend.matmul contract on heap arrays; arguments are checked by the caller. */
    static void matmul(int batch, int M, int N, int K, float alpha,
                       float[] a, int aOff, int lda, int strideA, boolean transA,
                       float[] b, int bOff, int ldb, int strideB, boolean transB,
                       float beta, float[] c, int cOff, int ldc, int strideC) {
        if (batch == 0 || M == 0 || N == 0) {
            return;
        }
        long work = (long) M * N * K;
        boolean disjointC = strideC >= (long) (M - 1) * ldc + N;
        if (batch > 1 && disjointC && work < BATCH_TASK_MAX && work * batch >= PARALLEL_MIN) {
            // many small GEMMs (attention-like) writing disjoint C: one whole GEMM per task
            Parallel.get().forBlocks(batch, work * batch, i -> single(new Op(M, N, K, alpha,
                    a, aOff + i * strideA, lda, transA, b, bOff + i * strideB, ldb, transB,
                    beta, c, cOff + i * strideC, ldc), false));
            return;
        }
        for (int i = 0; i < batch; i++) {
            single(new Op(M, N, K, alpha, a, aOff + i * strideA, lda, transA, b, bOff + i * strideB, ldb,
                    transB, beta, c, cOff + i * strideC, ldc), work >= PARALLEL_MIN);
        }
    }

    /**
     * One GEMM on the calling thread only, for kernels that already run inside a parallel block
     * (attention): {@code C = alpha·op(A)·op(B) + beta·C}, arguments as in {@link #matmul}.
     */
    static void serial(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc) {
        if (M > 0 && N > 0) {
            single(new Op(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc), false);
        }
    }

    private static void single(Op op, boolean parallel) {
        int M = op.M, N = op.N, K = op.K;
        if (K == 0 || op.alpha == 0f) {
            scaleC(op, 0, M, 0, N);
            return;
        }
        int panelsM = (M + MR - 1) / MR;
        int mBlocks = mBlocks(panelsM);
        Buffers mine = BUFFERS.get();
        for (int jc = 0; jc < N; jc += NC) {
            int nc = Math.min(NC, N - jc);
            int panelsN = (nc + NR - 1) / NR;
            int nBlocks = nBlocks(mBlocks, panelsN);
            int tasks = mBlocks * nBlocks;
            for (int pc = 0; pc < K; pc += KC) {
                int kc = Math.min(KC, K - pc);
                float[] bp = mine.b(kc * panelsN * NR);
                int jc0 = jc, pc0 = pc;
                // packing is a pure copy, so its split is free to differ from the compute grid
                int packBlocks = Math.min(panelsN, 6);
                run(parallel, packBlocks, (long) kc * nc * 64, nb ->
                        packB(op, bp, jc0, pc0, kc, split(nb, packBlocks, panelsN), split(nb + 1, packBlocks, panelsN)));
                run(parallel, tasks, (long) M * nc * kc, t -> {
                    int mi = t / nBlocks, ni = t % nBlocks;
                    int p0 = split(mi, mBlocks, panelsM), p1 = split(mi + 1, mBlocks, panelsM);
                    int q0 = split(ni, nBlocks, panelsN), q1 = split(ni + 1, nBlocks, panelsN);
                    block(op, bp, jc0, pc0, kc, p0, p1, q0, q1);
                });
            }
        }
    }

    // One task: rows of MR-panels [p0,p1), columns of NR-panels [q0,q1) of slab (jc, pc).
    private static void block(Op op, float[] bp, int jc, int pc, int kc, int p0, int p1, int q0, int q1) {
        int m0 = p0 * MR, m1 = Math.min(p1 * MR, op.M);
        int n0 = jc + q0 * NR, n1 = Math.min(jc + q1 * NR, op.N);
        if (pc == 0) {
            scaleC(op, m0, m1, n0, n1);
        }
        Buffers mine = BUFFERS.get();
        float[] ap = mine.a((p1 - p0) * MR * kc);
        packA(op, ap, m0, m1, pc, kc);
        float[] c = op.c;
        int ldc = op.ldc;
        for (int q = q0; q < q1; q++) {
            int j = jc + q * NR;
            int nr = Math.min(NR, op.N - j);
            int bi = q * kc * NR;
            for (int p = p0; p < p1; p++) {
                int i = p * MR;
                int mr = Math.min(MR, op.M - i);
                int ai = (p - p0) * MR * kc;
                if (mr == MR && nr == NR) {
                    SimdGemmKernel.kernel(kc, ap, ai, bp, bi, c, op.cOff + i * ldc + j, ldc);
                } else {
                    // edge tile: the same kernel on a zeroed scratch tile, then add its valid part
                    float[] tile = mine.tile;
                    Arrays.fill(tile, 0f);
                    SimdGemmKernel.kernel(kc, ap, ai, bp, bi, tile, 0, NR);
                    for (int r = 0; r < mr; r++) {
                        int ci = op.cOff + (i + r) * ldc + j;
                        for (int x = 0; x < nr; x++) {
                            c[ci + x] += tile[r * NR + x];
                        }
                    }
                }
            }
        }
    }

    // ap[(p·kc + k)·MR + r] = alpha · op(A)(m0 + p·MR + r, pc + k), zero past M; k outer so writes are sequential
    private static void packA(Op op, float[] ap, int m0, int m1, int pc, int kc) {
        float alpha = op.alpha;
        float[] a = op.a;
        int lda = op.lda;
        int panels = (m1 - m0 + MR - 1) / MR;
        for (int p = 0; p < panels; p++) {
            int i0 = m0 + p * MR, rows = Math.min(MR, m1 - i0);
            int dst = p * MR * kc;
            if (rows < MR) {
                Arrays.fill(ap, dst, dst + MR * kc, 0f);
            }
            if (op.transA) {
                // op(A)(i, k) = a[k·lda + i]: the MR values of one k are contiguous
                for (int k = 0, src = op.aOff + pc * lda + i0; k < kc; k++, src += lda, dst += MR) {
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = alpha * a[src + r];
                    }
                }
            } else if (rows == MR) {
                // op(A)(i, k) = a[i·lda + k]: the MR = 4 row streams, one value of each per k
                int s0 = op.aOff + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                for (int k = 0; k < kc; k++, dst += MR) {
                    ap[dst] = alpha * a[s0 + k];
                    ap[dst + 1] = alpha * a[s1 + k];
                    ap[dst + 2] = alpha * a[s2 + k];
                    ap[dst + 3] = alpha * a[s3 + k];
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = op.aOff + (i0 + r) * lda + pc;
                    for (int k = 0; k < kc; k++) {
                        ap[dst + k * MR + r] = alpha * a[src + k];
                    }
                }
            }
        }
    }

    // bp[(q·kc + k)·NR + x] = op(B)(pc + k, jc + q·NR + x) for panels q in [q0,q1), zero past N
    private static void packB(Op op, float[] bp, int jc, int pc, int kc, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            int j = jc + q * NR;
            int nr = Math.min(NR, op.N - j);
            int base = q * kc * NR;
            if (!op.transB) {
                int src = op.bOff + pc * op.ldb + j;
                for (int k = 0; k < kc; k++, src += op.ldb) {
                    int dst = base + k * NR;
                    if (nr == NR) {
                        // one NR-wide row of B: two vectors
                        FloatVector.fromArray(F, op.b, src).intoArray(bp, dst);
                        FloatVector.fromArray(F, op.b, src + L).intoArray(bp, dst + L);
                    } else {
                        System.arraycopy(op.b, src, bp, dst, nr);
                        Arrays.fill(bp, dst + nr, dst + NR, 0f);
                    }
                }
            } else {
                for (int x = 0; x < NR; x++) {
                    if (x >= nr) {
                        for (int k = 0; k < kc; k++) {
                            bp[base + k * NR + x] = 0f;
                        }
                        continue;
                    }
                    int src = op.bOff + (j + x) * op.ldb + pc;
                    for (int k = 0; k < kc; k++) {
                        bp[base + k * NR + x] = op.b[src + k];
                    }
                }
            }
        }
    }

    // C(m0..m1, n0..n1) *= beta; beta = 0 writes zeros (old NaNs are ignored, as in BLAS)
    private static void scaleC(Op op, int m0, int m1, int n0, int n1) {
        float beta = op.beta;
        if (beta == 1f) {
            return;
        }
        for (int i = m0; i < m1; i++) {
            int row = op.cOff + i * op.ldc;
            if (beta == 0f) {
                Arrays.fill(op.c, row + n0, row + n1, 0f);
            } else {
                for (int j = n0; j < n1; j++) {
                    op.c[row + j] *= beta;
                }
            }
        }
    }

    /** Blocks of MR-panels: at most MC_PANELS each, a multiple of 6 when there is room (even load for 1, 2, 3 threads). */
    static int mBlocks(int panelsM) {
        int blocks = (panelsM + MC_PANELS - 1) / MC_PANELS;
        int even = (blocks + 5) / 6 * 6;
        return Math.min(panelsM, blocks > 1 || panelsM >= 6 ? even : blocks);
    }

    /** Splits N only when M gives fewer than 6 blocks (short, wide products). */
    static int nBlocks(int mBlocks, int panelsN) {
        return mBlocks >= 6 ? 1 : Math.min(panelsN, (6 + mBlocks - 1) / mBlocks);
    }

    /** Start of part {@code i} of {@code n} nearly equal parts of {@code total}. */
    static int split(int i, int n, int total) {
        return (int) ((long) i * total / n);
    }

    private static void run(boolean parallel, int blocks, long work, java.util.function.IntConsumer body) {
        if (parallel) {
            Parallel.get().forBlocks(blocks, work, body);
        } else {
            for (int i = 0; i < blocks; i++) {
                body.accept(i);
            }
        }
    }
}
