package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdGemmKernel.MR;
import static org.tokenlab.tensor.simd.SimdGemmKernel.NR;

import java.util.Arrays;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Batched SGEMM {@code C = alpha·op(A)·op(B) + beta·C} in the GotoBLAS/BLIS scheme: B is packed once
 * per column slice (all K rows, KC-deep slabs) and shared by all threads, each task packs its own
 * block of rows of A (all k slabs) once, and walks its C block in L2-sized column chunks through the
 * k slabs while the {@link SimdGemmKernel} micro-kernel sweeps MR × NR tiles. Packing is in
 * {@link SimdGemmPack}. See docs/simd-gemm.md.
 *
 * <p>Scalar reference (what every element must match, up to float rounding):
 * <pre>
 * C(i,j) = alpha · Σ_k op(A)(i,k) · op(B)(k,j) + beta · C(i,j)      (beta = 0: old C ignored)
 * </pre>
 *
 * <p>Determinism: an element of C is always summed the same way: k in slabs of {@link #KC} (a
 * constant), each slab accumulated from zero in the micro-kernel's registers and then added to
 * {@code beta·C} (stored, for the first slab when beta = 0: the same bits). Tasks only decide which
 * tiles a thread computes (the grid depends on M, N and the thread count), never how an element is
 * summed, so 1, 2 or N threads give bitwise-identical C. SimdGemmBitsTest pins these bits.
 */
final class SimdGemm {
    /** Depth of one packed slab: a KC × NR panel of B (16 KB with AVX2, 32 KB with AVX-512) stays in L1. */
    static final int KC = 256;
    /** Most rows of A per task: 168; one KC slab of them is a 168 KB block of A in L2. */
    static final int MC_ROWS = 168;
    /** {@link #MC_ROWS} in MR-panels: 42 of 4 rows or 21 of 8. */
    static final int MC_PANELS = MC_ROWS / MR;
    /**
     * Products whose op(B) has at most this many NR-panels read A in place instead of packing it: each packed
     * element would feed at most 2·NR multiply-adds, about what packing it costs (attention's products with
     * N = the head size; a transposed A, Pᵀ or dSᵀ, is read a row of MR adjacent values per k).
     */
    static final int DIRECT_A_PANELS = 2;
    /**
     * Products this shallow (K at most 64) read A in place too, whatever N: a tile's MR rows of A are then at most
     * 2 KB, so the rows of a whole task (attention's query block Q: 128 rows of HS = 32, 16 KB) stay in L1 while
     * the column panels of B sweep past them, and packing them would only copy data already in cache
     * (attention's S = Q·Kᵀ and dP = dO·Vᵀ with K = the head size).
     */
    static final int DIRECT_A_MAX_K = 64;
    /** Widest column slice of B packed at once. */
    static final int NC = 256 * NR;
    /** Bound on the packed B buffer: 2^22 floats (16 MB), all K rows of a column slice (shared via L3). */
    static final int B_PACK_FLOATS = 1 << 22;
    /** A packed B slice larger than this (1 MB) is streamed from L3 by every row block: see {@link #mBlocks}. */
    static final long B_STREAMED_FLOATS = 1 << 18;
    /** Fewest rows of a row block on more than one thread when B is streamed (see {@link #mBlocks}). */
    static final int MIN_STREAM_ROWS = 64;
    /** One task's block of C stays below this (a quarter of the 512 KB L2), so it stays in L2 across k slabs. */
    static final int C_BLOCK_BYTES = 128 * 1024;
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

    /**
     * One GEMM problem without its batch index; the arrays and offsets of one batch entry, the triangle of it
     * that is known to be zero or unused ({@link Triangle#NONE} for a dense product), a Linear forward's bias
     * (or null), and where the row sums of op(A) go when packing A is to add them up on the way (or null; see
     * {@link #matmulWeightGrad}).
     */
    record Op(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
              float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc, Triangle tri,
              float[] bias, int biasOff, float[] rowSums, int rowSumsOff) {
        Op(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
           float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc, Triangle tri,
           float[] bias, int biasOff) {
            this(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc, tri, bias, biasOff, null, 0);
        }

        Op(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
           float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc, Triangle tri) {
            this(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc, tri, null, 0);
        }

        Op(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
           float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc) {
            this(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc, Triangle.NONE);
        }
    }

    /**
     * The causal mask's structure in one of attention's products (row i of C, column j, depth k; see
     * SimdAttention), used per MR-row panel to skip work that cannot change the result:
     * <ul>
     *   <li>{@link Kind#C_UPPER_UNUSED}: C(i, j) for j &gt; i + off is never read: tiles wholly there are
     *       not computed and keep whatever C held (scores S = Q·Kᵀ and dP = dO·Vᵀ);
     *   <li>{@link Kind#A_UPPER_ZERO}: op(A)(i, k) = 0 for k &gt; i + off: a row panel's k loop stops after
     *       its last row's last nonzero (O = P·V and dQ = dS·K);
     *   <li>{@link Kind#A_LOWER_ZERO}: op(A)(i, k) = 0 for k &lt; i − off: a row panel's k loop starts at its
     *       first row's first nonzero (dV = Pᵀ·dO and dK = dSᵀ·Q).
     * </ul>
     * Skipped terms are exact zeros times finite numbers, and the micro-kernel's sums start from +0 and are
     * never −0, so the computed elements have the same bits as the dense product's (SimdGemmTriangleTest);
     * they differ only where the skipped operand holds an Inf or NaN, which the dense product would spread.
     */
    record Triangle(Kind kind, int off) {
        enum Kind { NONE, C_UPPER_UNUSED, A_UPPER_ZERO, A_LOWER_ZERO }

        static final Triangle NONE = new Triangle(Kind.NONE, 0);

        /** First k that can be nonzero in the rows [i0, i0 + MR). */
        int kStart(int i0) {
            return kind == Kind.A_LOWER_ZERO ? Math.max(0, i0 - off) : 0;
        }

        /** End (exclusive) of the k that can be nonzero in the rows [i0, i0 + MR), at most K. */
        int kEnd(int i0, int K) {
            return kind == Kind.A_UPPER_ZERO ? Math.min(K, Math.max(0, i0 + MR + off)) : K;
        }

        /** End (exclusive) of the columns of C that rows [i0, i0 + MR) need, at most N. */
        int nEnd(int i0, int N) {
            return kind == Kind.C_UPPER_UNUSED ? Math.min(N, Math.max(0, i0 + MR + off)) : N;
        }
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
     * A Linear layer's forward: {@code C (M,N) = bias (N) in every row + A·op(B)} with A (M,K) not transposed,
     * C at cOff with row stride N, K ≥ 1. The bits of writing the bias into C and then running {@link #matmul}
     * with alpha = beta = 1: the micro-kernel of the first k slab adds its sums s to the bias in registers and
     * stores {@code bias + s} (the kernel's {@code old + s} with the bias as old C, row stride 0), and the later
     * slabs add to C as usual. C is written once, not filled first and not read back for the bias.
     */
    static void matmulBias(int M, int N, int K, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           boolean transB, float[] bias, int biasOff, float[] c, int cOff) {
        if (M == 0 || N == 0) {
            return;
        }
        if (K == 0) {
            throw new IllegalArgumentException("matmulBias: K must be at least 1");
        }
        single(new Op(M, N, K, 1f, a, aOff, lda, false, b, bOff, ldb, transB, 0f, c, cOff, N, Triangle.NONE,
                bias, biasOff), (long) M * N * K >= PARALLEL_MIN);
    }

    /**
     * A Linear layer's weight and bias gradients in one pass over g: {@code C (M,N) = gᵀ·x + beta·C} with g (K,M)
     * contiguous at gOff (K tokens of M output features) and x (K,N) with row stride ldx, and
     * {@code rowSums[rowSumsOff + i] = Σ_k g[k, i]} (written), each summed from zero with k in order: the bits of
     * {@link #matmul} with A = g transposed and then the column sums of g (SimdReduce's plain float loop). g is
     * read from memory once instead of twice: packing gᵀ's panels adds up their rows as it copies them. Every
     * row of gᵀ is packed whole by one task (the tasks of the first column block; a later column slice packs it
     * again without summing), slab after slab, so the order of each sum does not depend on the thread count.
     */
    static void matmulWeightGrad(int M, int N, int K, float[] g, int gOff, float[] x, int xOff, int ldx,
                                 float beta, float[] c, int cOff, float[] rowSums, int rowSumsOff) {
        if (M < 1 || N < 1 || K < 1) {
            throw new IllegalArgumentException("matmulWeightGrad: M, N and K must be at least 1, got " + M + ", " + N + ", " + K);
        }
        Arrays.fill(rowSums, rowSumsOff, rowSumsOff + M, 0f);
        single(new Op(M, N, K, 1f, g, gOff, M, true, x, xOff, ldx, false, beta, c, cOff, N, Triangle.NONE,
                null, 0, rowSums, rowSumsOff), (long) M * N * K >= PARALLEL_MIN);
    }

    /**
     * One GEMM on the calling thread only, for kernels that already run inside a parallel block
     * (attention): {@code C = alpha·op(A)·op(B) + beta·C}, arguments as in {@link #matmul}.
     */
    static void serial(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc) {
        serial(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc, Triangle.NONE);
    }

    /** {@link #serial} skipping the work that {@code tri} says cannot change the result. */
    static void serial(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                       float[] b, int bOff, int ldb, boolean transB, float beta, float[] c, int cOff, int ldc, Triangle tri) {
        if (M > 0 && N > 0) {
            single(new Op(M, N, K, alpha, a, aOff, lda, transA, b, bOff, ldb, transB, beta, c, cOff, ldc, tri), false);
        }
    }

    /**
     * op(B) (K × N) packed once, for several products that each use its first k ≤ K rows and n ≤ N
     * columns (attention's keys and values, shared by all query blocks of a head). The layout is the
     * one {@link #single} builds for one column slice: slab pc (KC rows) at {@code off + pc·panels·NR}, its
     * NR-panels {@code min(KC, K − pc)·NR} apart; {@code off} put the data on a cache line when it was packed.
     */
    record PackedB(float[] data, int off, int K, int N) {
        /** NR-panels per slab. */
        int panels() {
            return (N + NR - 1) / NR;
        }
    }

    /**
     * Packs op(B) (K × N) on the calling thread into {@code into} (a new array when it is too small), all N
     * columns as one slice: wider than {@link #NC} is allowed (the column slices of {@link #single} bound its
     * buffer, not the arithmetic).
     */
    static PackedB packB(int K, int N, float[] b, int bOff, int ldb, boolean transB, float[] into) {
        int panels = (N + NR - 1) / NR, size = K * panels * NR + HeapAddress.SLACK_FLOATS;
        float[] data = into != null && into.length >= size ? into : new float[size];
        int off = HeapAddress.lineStart(data);
        Op op = new Op(K, N, K, 1f, null, 0, 0, false, b, bOff, ldb, transB, 0f, null, 0, 0);
        for (int pc = 0; pc < K; pc += KC) {
            SimdGemmPack.packB(op, data, off + pc * panels * NR, 0, pc, Math.min(KC, K - pc), 0, panels);
        }
        return new PackedB(data, off, K, N);
    }

    /**
     * {@link #serial} with op(B) already packed: {@code C = alpha·op(A)·op(B)[0:K, 0:N] + beta·C}. The same
     * arithmetic, so the same bits, as {@link #serial} on the unpacked B.
     */
    static void serialPackedB(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                              PackedB b, float beta, float[] c, int cOff, int ldc) {
        serialPackedB(M, N, K, alpha, a, aOff, lda, transA, b, beta, c, cOff, ldc, Triangle.NONE);
    }

    /** {@link #serialPackedB} skipping the work that {@code tri} says cannot change the result. */
    static void serialPackedB(int M, int N, int K, float alpha, float[] a, int aOff, int lda, boolean transA,
                              PackedB b, float beta, float[] c, int cOff, int ldc, Triangle tri) {
        if (K > b.K() || N > b.N()) {
            throw new IllegalArgumentException("serialPackedB: product " + K + " × " + N + " exceeds the packed B " + b.K() + " × " + b.N());
        }
        if (M == 0 || N == 0) {
            return;
        }
        Op op = new Op(M, N, K, alpha, a, aOff, lda, transA, null, 0, 0, false, beta, c, cOff, ldc, tri);
        if (K == 0 || alpha == 0f) {
            scaleC(op, 0, M, 0, N);
            return;
        }
        int panelsM = (M + MR - 1) / MR, blocks = mBlocks(panelsM, 1, false);
        for (int mi = 0; mi < blocks; mi++) {
            block(op, b.data(), b.off(), 0, b.panels(), b.K(), split(mi, blocks, panelsM), split(mi + 1, blocks, panelsM),
                    0, (N + NR - 1) / NR);
        }
    }

    private static void single(Op op, boolean parallel) {
        int M = op.M, N = op.N, K = op.K;
        if (K == 0 || op.alpha == 0f) {
            scaleC(op, 0, M, 0, N);
            return;
        }
        int panelsM = (M + MR - 1) / MR;
        int threads = parallel ? Parallel.get().threads() : 1;
        int slabs = (K + KC - 1) / KC;
        int width = sliceWidth(K);
        int mBlocks = mBlocks(panelsM, threads, (long) K * Math.min(width, N) > B_STREAMED_FLOATS);
        Buffers mine = BUFFERS.get();
        for (int jc = 0; jc < N; jc += width) {
            int nc = Math.min(width, N - jc);
            int panelsN = (nc + NR - 1) / NR;
            int nBlocks = nBlocks(mBlocks, panelsN, threads);
            int tasks = mBlocks * nBlocks;
            // the panels start on a cache line (asked anew each time: the GC may have moved the buffer), so none of
            // the kernel's 32-byte loads of B straddles two lines
            float[] bp = mine.b(K * panelsN * NR + HeapAddress.SLACK_FLOATS);
            int b0 = HeapAddress.lineStart(bp), jc0 = jc;
            // all of B's K rows for these columns at once, so a task can keep its C block in L2 across
            // the k slabs; packing is a pure copy, so its split is free to differ from the compute grid
            int packBlocks = Math.min(panelsN, 6);
            claimed(parallel, slabs * packBlocks, (long) K * nc * 64, u -> {
                int pc = u / packBlocks * KC, nb = u % packBlocks;
                SimdGemmPack.packB(op, bp, b0 + pc * panelsN * NR, jc0, pc, Math.min(KC, K - pc),
                        split(nb, packBlocks, panelsN), split(nb + 1, packBlocks, panelsN));
            });
            claimed(parallel, tasks, (long) M * nc * K, t -> {
                int mi = t / nBlocks, ni = t % nBlocks;
                int p0 = split(mi, mBlocks, panelsM), p1 = split(mi + 1, mBlocks, panelsM);
                int q0 = split(ni, nBlocks, panelsN), q1 = split(ni + 1, nBlocks, panelsN);
                block(op, bp, b0, jc0, panelsN, K, p0, p1, q0, q1);
            });
        }
    }

    // One task: rows of MR-panels [p0,p1), columns of NR-panels [q0,q1) of the column slice at jc, all k slabs;
    // bp holds the slice packed for packedK ≥ K rows in panelsN panels (slab pc at b0 + pc·panelsN·NR)
    private static void block(Op op, float[] bp, int b0, int jc, int panelsN, int packedK, int p0, int p1, int q0, int q1) {
        int m0 = p0 * MR, m1 = Math.min(p1 * MR, op.M), K = op.K;
        Buffers mine = BUFFERS.get();
        int panels = p1 - p0;
        // columns in chunks whose C block (≤ C_BLOCK_BYTES) stays in L2 while the k slabs are added to it
        int chunk = Math.max(1, C_BLOCK_BYTES / (panels * MR * NR * Float.BYTES));
        // Each slab of A is packed just before the first chunk uses it, so that chunk finds it in L2. With several
        // chunks, A is packed once for all k slabs (slab pc at offset pc·panels·MR) and reused by every chunk; with
        // one chunk, every slab goes to the same place (offset 0), so the packing writes to lines already in L2
        // instead of walking the whole K·panels·MR buffer (a weight gradient's 1 MB: write misses, write-backs)
        boolean oneChunk = q1 - q0 <= chunk;
        float[] ap = mine.a(panels * MR * (oneChunk ? Math.min(K, KC) : K));
        // A read in place by full row panels when it meets at most DIRECT_A_PANELS panels of B (rows of A, or
        // columns when A is stored transposed) or K is at most DIRECT_A_MAX_K: only a last, partial row panel is
        // packed then. A whose row sums are wanted is always packed, and summed by the first column block's task
        boolean direct = op.alpha == 1f && op.rowSums == null && (op.N <= DIRECT_A_PANELS * NR || K <= DIRECT_A_MAX_K);
        boolean sumRows = op.rowSums != null && jc == 0 && q0 == 0;
        int packedPanels = direct ? (m1 - m0) % MR == 0 ? 0 : 1 : panels;
        for (int qc = q0; qc < q1; qc += chunk) {
            int qe = Math.min(q1, qc + chunk);
            // beta·C just before the chunk's first slab, so the chunk is in cache when the kernel adds to it;
            // with beta = 0 the first slab stores its sums instead (0 + s == s bitwise: s is never −0)
            boolean store = op.beta == 0f;
            if (op.beta == 1f) {
                touchC(op, m0, m1, jc + qc * NR, Math.min(jc + qe * NR, op.N));
            } else if (!store) {
                scaleC(op, m0, m1, jc + qc * NR, Math.min(jc + qe * NR, op.N));
            }
            for (int pc = 0; pc < K; pc += KC) {
                int kc = Math.min(KC, K - pc);
                int aSlab = oneChunk ? 0 : pc * panels * MR;
                if (qc == q0 && packedPanels > 0) {
                    int first = panels - packedPanels;
                    SimdGemmPack.packA(op, ap, aSlab + first * MR * kc, m0 + first * MR, m1, pc, kc, sumRows);
                }
                tiles(op, direct, ap, aSlab, bp, b0 + pc * panelsN * NR, Math.min(KC, packedK - pc) * NR, jc, pc, kc,
                        p0, p1, qc, qe, !(store && pc == 0));
            }
        }
    }

    // C tiles (p, q) for p in [p0,p1), q in [q0,q1) += (add) or = A slab · B slab (its first kc rows, starting at
    // depth pc of the product; panels bPanel floats apart); B panel q stays in L1 while p sweeps. op.tri skips
    // tiles and trims each row panel's k range (a dense product runs every tile over all kc). direct: full row
    // panels read A in place (SimdGemmKernel.kernelStridedA), only a partial last one is packed.
    private static void tiles(Op op, boolean direct, float[] ap, int aSlab, float[] bp, int bSlab, int bPanel, int jc, int pc,
                              int kc, int p0, int p1, int q0, int q1, boolean add) {
        float[] c = op.c, tile = BUFFERS.get().tile;
        float[] bias = pc == 0 ? op.bias : null; // the first slab of matmulBias stores bias + sums (beta = 0, add false)
        int ldc = op.ldc;
        Triangle tri = op.tri;
        for (int q = q0; q < q1; q++) {
            int j = jc + q * NR;
            int nr = Math.min(NR, op.N - j);
            int bi = bSlab + q * bPanel;
            for (int p = p0; p < p1; p++) {
                int i = p * MR;
                if (j >= tri.nEnd(i, op.N)) {
                    continue; // a tile of C that nobody reads
                }
                int mr = Math.min(MR, op.M - i);
                // this slab's k in [k0, k1): outside it the panel's A is zero (an empty range still stores or adds +0)
                int k0 = Math.clamp(tri.kStart(i) - pc, 0, kc), k1 = Math.clamp(tri.kEnd(i, op.K) - pc, k0, kc);
                int ai = aSlab + (p - p0) * MR * kc + k0 * MR, bk = bi + k0 * NR;
                // a full tile goes straight into C; an edge tile into the scratch tile, then its valid part into C
                boolean edge = mr < MR || nr < NR;
                float[] dst = edge ? tile : c;
                int di = edge ? 0 : op.cOff + i * ldc + j, dld = edge ? NR : ldc;
                // what the kernel adds its sums to: C (add), the bias in every row (first slab of matmulBias), or nothing
                float[] old = edge ? null : add ? c : bias;
                int oi = add ? di : op.biasOff + j, ldo = add ? ldc : 0;
                if (direct && mr == MR && op.transA) { // A(i + r, pc + k) = a[aOff + (pc + k)·lda + i + r]
                    SimdGemmKernel.kernelStridedA(k1 - k0, op.a, op.aOff + (pc + k0) * op.lda + i, 1, op.lda, bp, bk, dst, di, dld, old, oi, ldo);
                } else if (direct && mr == MR) { // A(i + r, pc + k) = a[aOff + (i + r)·lda + pc + k]
                    SimdGemmKernel.kernelStridedA(k1 - k0, op.a, op.aOff + i * op.lda + pc + k0, op.lda, 1, bp, bk, dst, di, dld, old, oi, ldo);
                } else {
                    SimdGemmKernel.kernel(k1 - k0, ap, ai, bp, bk, dst, di, dld, old, oi, ldo);
                }
                if (edge) {
                    for (int r = 0; r < mr; r++) {
                        int ci = op.cOff + (i + r) * ldc + j;
                        for (int x = 0; x < nr; x++) {
                            float s = tile[r * NR + x];
                            c[ci + x] = add ? c[ci + x] + s : bias != null ? bias[op.biasOff + j + x] + s : s;
                        }
                    }
                }
            }
        }
    }

    /** Written by {@link #touchC} so that C2 keeps its loads; never read. */
    @SuppressWarnings("unused")
    private static int touched;

    // Reads one float per 64-byte line of C(m0..m1, n0..n1): a software prefetch of the chunk (beta = 1 has no
    // scaling pass), so the kernel's adds to C find it in cache instead of waiting on memory at every tile.
    private static void touchC(Op op, int m0, int m1, int n0, int n1) {
        int x = 0;
        for (int i = m0; i < m1; i++) {
            int row = op.cOff + i * op.ldc;
            for (int j = n0; j < n1; j += 16) {
                x ^= Float.floatToRawIntBits(op.c[row + j]);
            }
        }
        touched = x;
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

    /**
     * Blocks of MR-panels: at most MC_PANELS each; on more than one thread a multiple of 6 when there is
     * room (even load for 2 and 3 threads, and several tasks per thread for the dynamic claim). One
     * thread gets the fewest blocks, so each packed B panel is reused by as many A panels as possible.
     *
     * <p>When the packed B slice is larger than {@link #B_STREAMED_FLOATS} (it comes from L3, not L2), every
     * row block streams all of it, so blocks keep at least {@link #MIN_STREAM_ROWS} rows, and
     * {@link #nBlocks} splits N to make up the tasks. A weight gradient of 128 rows by 512 columns with K = 2048
     * on two threads was cut into six blocks of 16–24 rows, each streaming the 4 MB of packed B: 135–150
     * GFLOP/s; two blocks of 64 rows by three column blocks: 183–184 (Xeon, session 12).
     */
    static int mBlocks(int panelsM, int threads, boolean bStreamed) {
        int blocks = (panelsM + MC_PANELS - 1) / MC_PANELS;
        if (threads == 1) {
            return blocks;
        }
        int even = (blocks + 5) / 6 * 6;
        int most = bStreamed ? Math.max(blocks, panelsM * MR / MIN_STREAM_ROWS) : panelsM;
        return Math.max(1, Math.min(most, blocks > 1 || panelsM >= 6 ? even : blocks));
    }

    /** Splits N only on more than one thread, when M gives fewer than 6 blocks (short, wide products). */
    static int nBlocks(int mBlocks, int panelsN, int threads) {
        return threads == 1 || mBlocks >= 6 ? 1 : Math.min(panelsN, (6 + mBlocks - 1) / mBlocks);
    }

    /** Columns of B packed at once: all K rows of them, at most {@link #B_PACK_FLOATS} floats, at most {@link #NC}. */
    static int sliceWidth(int K) {
        int panels = Math.max(1, B_PACK_FLOATS / (K * NR));
        return Math.min(NC, panels * NR);
    }

    /** Start of part {@code i} of {@code n} nearly equal parts of {@code total}. */
    static int split(int i, int n, int total) {
        return (int) ((long) i * total / n);
    }

    /** Runs {@code body} for every unit in [0, units): claimed by the pool's threads ({@link SimdOps#claimEach}), or in order here. */
    private static void claimed(boolean parallel, int units, long work, java.util.function.IntConsumer body) {
        if (parallel) {
            SimdOps.claimEach(units, work, body);
        } else {
            for (int u = 0; u < units; u++) {
                body.accept(u);
            }
        }
    }
}
