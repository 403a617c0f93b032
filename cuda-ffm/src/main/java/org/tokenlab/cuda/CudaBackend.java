package org.tokenlab.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * The {@link Backend} on an NVIDIA GPU: GEMM through cuBLAS (row-major via {@link GemmMapping}),
 * everything else through our own kernels ({@code src/main/cuda/*.cu}, loaded by {@link KernelLibrary}).
 * All work runs in order on one stream; host arrays (indices, targets, weights) are staged through
 * pinned memory. Results are deterministic for a given GPU: no floating-point atomics, fixed reduction
 * trees. Not thread-safe: use one backend per thread (and, for a device other than 0, the thread that
 * created it: the runtime's current device is per thread).
 *
 * <p>Every constructor and factory throws {@link CudaUnavailableException} (with the availability
 * record's text) when CUDA cannot run here.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    /** Shared memory a block may use without opting in (48 KiB), static and dynamic together. */
    static final int MAX_SHARED_BYTES = 48 * 1024;
    /** Static shared memory of attention.cu's kernels: block_max's and block_sum's 32 floats each. */
    static final int ATTENTION_STATIC_SHARED_BYTES = 2 * 32 * 4;
    /**
     * Floats of slack after each score array of attention.cu's kernels. Their loops over the scores are
     * unrolled by four, and the scalar tail (up to three floats) is evidently read as one 12-byte load,
     * which can reach two floats past the last score; the extra values are never used, but past the end of
     * the allocation compute-sanitizer's memcheck reports the read (the device check of 2026-11-30 did, for
     * Tq = Tk = 70, with the size and address of such a load). The slack keeps every read inside the
     * block's shared memory.
     */
    static final int ATTENTION_SHARED_SLACK = 4;

    private final DeviceOps ctx;
    private final MemorySegment dims;
    private final MemorySegment attnShape;
    private final MemorySegment attnDropout;
    private final MemorySegment[] operands = new MemorySegment[6];
    private MatmulPrecision precision = MatmulPrecision.FP32;

    /** A backend on device 0. */
    public CudaBackend() {
        this(0);
    }

    /** A backend on the given device. */
    public CudaBackend(int device) {
        this(new CudaContext(device));
    }

    /** A backend over any device implementation (tests pass a recording fake). */
    CudaBackend(DeviceOps ops) {
        this.ctx = ops;
        this.dims = ctx.arena().allocate(4 + 3 * 4 * 8, 4);
        this.attnShape = ctx.arena().allocate(7 * 4, 4);
        this.attnDropout = ctx.arena().allocate(ATTN_DROPOUT_BYTES, 8);
        for (int i = 0; i < operands.length; i++) {
            operands[i] = ctx.arena().allocate(16, 8);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /**
     * TF32 lets fp32 GEMMs use the tensor cores (cuBLAS math mode {@code CUBLAS_TF32_TENSOR_OP_MATH});
     * FP32, the default, keeps parity with the CPU backends.
     */
    @Override
    public void setMatmulPrecision(MatmulPrecision p) {
        ctx.setMathMode(p == MatmulPrecision.TF32 ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH);
        precision = p;
    }

    @Override
    public MatmulPrecision matmulPrecision() {
        return precision;
    }

    /** Waits until every enqueued kernel and copy has finished. */
    public void synchronize() {
        ctx.synchronize();
    }

    /** The caching allocator's counters, for logs and benchmarks. */
    public String memoryStats() {
        return ctx.allocator().stats();
    }

    /** The device operations underneath (for the GEMM benchmark). */
    DeviceOps ops() {
        return ctx;
    }

    /** The stream all work runs on (for event timing). */
    MemorySegment stream() {
        return ctx.stream();
    }

    @Override
    public void close() {
        ctx.close();
    }

    // ---------------------------------------------------------------- storage helpers

    private static CudaStorage dev(Storage s, String what) {
        if (s instanceof CudaStorage c) {
            return c;
        }
        throw new IllegalArgumentException(what + ": expected a cuda storage, got one of backend "
                + (s == null ? "null" : s.backendName()));
    }

    /** The device address of {@code s[off]}, after checking {@code [off, off+n)} lies inside it. */
    private static long at(Storage s, int off, long n, String what) {
        CudaStorage c = dev(s, what);
        if (off < 0 || n < 0 || off + n > c.size()) {
            throw new IndexOutOfBoundsException(what + ": range [" + off + ", " + (off + n) + ") outside storage of "
                    + c.size());
        }
        return c.address(off);
    }

    /** Like {@link #at} but a null storage is the null pointer (optional operands). */
    private static long atOrNull(Storage s, int off, long n, String what) {
        return s == null ? 0L : at(s, off, n, what);
    }

    // ---------------------------------------------------------------- memory

    @Override
    public CudaStorage allocate(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("allocate: negative size " + n);
        }
        long p = ctx.allocator().allocate(4L * n);
        ctx.memsetZero(p, 4L * n);
        return new CudaStorage(ctx.allocator(), p, n);
    }

    @Override
    public CudaStorage upload(float[] host) {
        CudaStorage s = new CudaStorage(ctx.allocator(), ctx.allocator().allocate(4L * host.length), host.length);
        ctx.toDevice(MemorySegment.ofArray(host), s.address(0));
        return s;
    }

    @Override
    public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        long p = at(src, srcOff, n, "download");
        ctx.toHost(p, MemorySegment.ofArray(dst).asSlice(4L * dstOff, 4L * n));
    }

    @Override
    public void copy(Storage src, int srcOff, Storage dst, int dstOff, int n) {
        long s = at(src, srcOff, n, "copy src");
        long d = at(dst, dstOff, n, "copy dst");
        if (n > 0) {
            ctx.copyDeviceToDevice(d, s, 4L * n);
        }
    }

    @Override
    public void fill(Storage dst, int off, int n, float value) {
        long d = at(dst, off, n, "fill");
        if (Float.floatToRawIntBits(value) == 0) {
            ctx.memsetZero(d, 4L * n);
        } else {
            ctx.args().reset().ptr(d).i32(n).f32(value);
            ctx.launch1d("fill_f32", n);
        }
    }

    /** Packs a {@code Dims} struct (common.cuh): rank, shape, a's and b's strides. */
    private MemorySegment dims(int[] shape, int[] sa, int[] sb, String what) {
        if (shape.length > 8 || sa.length != shape.length || (sb != null && sb.length != shape.length)) {
            throw new IllegalArgumentException(what + ": rank " + shape.length
                    + " with mismatched strides, or above the kernels' limit of 8");
        }
        dims.fill((byte) 0);
        dims.set(ValueLayout.JAVA_INT, 0, shape.length);
        for (int d = 0; d < shape.length; d++) {
            dims.set(ValueLayout.JAVA_INT, 4 + 4L * d, shape[d]);
            dims.set(ValueLayout.JAVA_INT, 36 + 4L * d, sa[d]);
            dims.set(ValueLayout.JAVA_INT, 68 + 4L * d, sb == null ? 0 : sb[d]);
        }
        return dims;
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** The element span [0, extent) a strided view touches (for bounds checks). */
    private static long extent(int[] shape, int[] strides) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return 0;
            }
            last += (long) (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }

    @Override
    public void gather(int[] shape, Storage x, int xOff, int[] strides, Storage out, int outOff) {
        long n = count(shape);
        MemorySegment d = dims(shape, strides, null, "gather");
        long px = at(x, xOff, extent(shape, strides), "gather x");
        long po = at(out, outOff, n, "gather out");
        ctx.args().reset().struct(d).ptr(px).ptr(po).i64(n);
        ctx.launch1d("gather_f32", n);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void matmul(int batch, int M, int N, int K, float alpha,
                       Storage a, int aOff, int lda, int strideA, boolean transA,
                       Storage b, int bOff, int ldb, int strideB, boolean transB,
                       float beta, Storage c, int cOff, int ldc, int strideC) {
        GemmMapping.ColumnMajor g = GemmMapping.rowMajor(M, N, K, transA, lda, transB, ldb, ldc);
        if (batch <= 0 || M == 0 || N == 0) {
            return;
        }
        long pa = at(a, aOff, (long) (batch - 1) * strideA + span(transA ? K : M, transA ? M : K, lda), "matmul a");
        long pb = at(b, bOff, (long) (batch - 1) * strideB + span(transB ? N : K, transB ? K : N, ldb), "matmul b");
        long pc = at(c, cOff, (long) (batch - 1) * strideC + span(M, N, ldc), "matmul c");
        ctx.sgemm(g, batch, alpha, pb, strideB, pa, strideA, beta, pc, strideC);
    }

    /** Elements spanned by {@code rows} rows of {@code cols} with leading dimension ld. */
    private static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    /**
     * {@code C(M,N) = op(A)·op(B)} with A and B rounded to bfloat16 and fp32 accumulation
     * ({@code cublasGemmEx}, CUDA_R_16BF inputs, CUDA_R_32F output, CUBLAS_COMPUTE_32F). A and B are
     * fp32 storages; the rounding happens on the device into scratch buffers. For benchmarks and
     * mixed-precision experiments.
     */
    public void matmulBf16(int M, int N, int K, Storage a, int aOff, int lda, boolean transA,
                           Storage b, int bOff, int ldb, boolean transB, Storage c, int cOff, int ldc) {
        GemmMapping.ColumnMajor g = GemmMapping.rowMajor(M, N, K, transA, lda, transB, ldb, ldc);
        long na = span(transA ? K : M, transA ? M : K, lda);
        long nb = span(transB ? N : K, transB ? K : N, ldb);
        long pa = at(a, aOff, na, "matmulBf16 a");
        long pb = at(b, bOff, nb, "matmulBf16 b");
        long pc = at(c, cOff, span(M, N, ldc), "matmulBf16 c");
        long ha = ctx.scratch(2 * na);
        long hb = ctx.scratch(2 * nb);
        try {
            toBf16(pa, ha, na);
            toBf16(pb, hb, nb);
            ctx.gemmBf16(g, hb, ha, pc);
        } finally {
            ctx.allocator().release(ha);
            ctx.allocator().release(hb);
        }
    }

    /** Rounds n floats at device address src to bf16 at dst (2 bytes each). */
    void toBf16(long src, long dst, long n) {
        ctx.args().reset().ptr(src).ptr(dst).i32(Math.toIntExact(n));
        ctx.launch1d("f32_to_bf16", n);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void binary(BinaryOp op, int[] shape, Storage a, int aOff, int[] aStrides,
                       Storage b, int bOff, int[] bStrides, Storage out, int outOff) {
        long n = count(shape);
        MemorySegment d = dims(shape, aStrides, bStrides, "binary");
        long pa = at(a, aOff, extent(shape, aStrides), "binary a");
        long pb = at(b, bOff, extent(shape, bStrides), "binary b");
        long po = at(out, outOff, n, "binary out");
        ctx.args().reset().i32(op.ordinal()).struct(d).ptr(pa).ptr(pb).ptr(po).i64(n);
        ctx.launch1d("binary_f32", n);
    }

    @Override
    public void unary(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, int n) {
        ctx.args().reset().i32(op.ordinal()).f32(param).ptr(at(x, xOff, n, "unary x")).ptr(at(y, yOff, n, "unary y")).i32(n);
        ctx.launch1d("unary_f32", n);
    }

    @Override
    public void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                              Storage dY, int dYOff, Storage dX, int dXOff, int n) {
        ctx.args().reset().i32(op.ordinal()).f32(param).ptr(at(x, xOff, n, "unaryBackward x"))
                .ptr(at(y, yOff, n, "unaryBackward y")).ptr(at(dY, dYOff, n, "unaryBackward dY"))
                .ptr(at(dX, dXOff, n, "unaryBackward dX")).i32(n);
        ctx.launch1d("unary_backward_f32", n);
    }

    @Override
    public void axpy(int n, float alpha, Storage src, int srcOff, Storage dst, int dstOff) {
        ctx.args().reset().i32(n).f32(alpha).ptr(at(src, srcOff, n, "axpy src")).ptr(at(dst, dstOff, n, "axpy dst"));
        ctx.launch1d("axpy_f32", n);
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, int outer, int R, int inner, Storage x, int xOff, Storage out, int outOff,
                       int[] argmax) {
        long nOut = (long) outer * inner;
        long px = at(x, xOff, nOut * R, "reduce x");
        long po = at(out, outOff, nOut, "reduce out");
        if (op == ReduceOp.MAX && R < 1) {
            throw new IllegalArgumentException("reduce MAX over an empty axis (R=" + R + ")");
        }
        boolean wantArg = op == ReduceOp.MAX && argmax != null;
        if (wantArg && argmax.length < nOut) {
            throw new IllegalArgumentException("reduce: argmax has " + argmax.length + " entries, needs " + nOut);
        }
        if (op == ReduceOp.SUM && inner == 1 && R >= ROWS_KERNEL_MIN_R) {
            // long contiguous rows: a block per row instead of one thread walking R elements
            ctx.args().reset().i32(R).ptr(px).ptr(po);
            ctx.launch("reduce_sum_rows_f32", outer, 1, 1, DeviceOps.THREADS, 0);
            return;
        }
        if (op == ReduceOp.SUM && inner > 1 && outer <= MAX_GRID_Y) {
            // columns: a block per 32 of them, its 1024 threads summing 32 interleaved row groups (reduce.cu)
            ctx.args().reset().i32(outer).i32(R).i32(inner).ptr(px).ptr(po);
            ctx.launch("reduce_sum_cols_f32", (inner + 31) / 32, outer, 1, COLUMN_THREADS, 0);
            return;
        }
        long pArg = wantArg ? ctx.scratch(4 * nOut) : 0L;
        ctx.args().reset().i32(op.ordinal()).i32(outer).i32(R).i32(inner).ptr(px).ptr(po).ptr(pArg);
        ctx.launch1d("reduce_f32", nOut);
        if (wantArg) {
            ctx.toHost(pArg, MemorySegment.ofArray(argmax).asSlice(0, 4 * nOut));
            ctx.allocator().release(pArg);
        }
    }

    /** Threads of the column-sum kernels (reduce_sum_cols_f32, the norms' weight gradients): 32 columns × 32 row groups. */
    static final int COLUMN_THREADS = 1024;

    /** CUDA's limit on gridDim.y. */
    static final int MAX_GRID_Y = 65_535;

    /** From this row length on, SUM over contiguous rows uses a block per row (a pure function of the shape). */
    static final int ROWS_KERNEL_MIN_R = 2048;

    /** Fixed, so the summation tree of sumOfSquares is the same on every GPU. */
    private static final int SSQ_BLOCKS = 256;

    @Override
    public double sumOfSquares(Storage x, int off, int n) {
        return sumsOfSquares(new Storage[] {x}, new int[] {off}, new int[] {n})[0];
    }

    /**
     * Two launches for all ranges (SSQ_BLOCKS partial sums per range, then each range's fixed-order total)
     * and one copy back; a table of the ranges' device pointers and lengths goes up first.
     */
    @Override
    public double[] sumsOfSquares(Storage[] xs, int[] offs, int[] ns) {
        Backend.requireRanges(xs, offs, ns);
        double[] out = new double[xs.length];
        for (int from = 0; from < xs.length; from += MAX_GRID_Y) {
            int count = Math.min(MAX_GRID_Y, xs.length - from);
            long[] table = new long[2 * count]; // pointers, then lengths
            for (int i = 0; i < count; i++) {
                table[i] = at(xs[from + i], offs[from + i], ns[from + i], "sumOfSquares");
                table[count + i] = ns[from + i];
            }
            long pt = ctx.scratch(16L * count), partial = ctx.scratch(8L * SSQ_BLOCKS * count);
            long results = ctx.scratch(8L * count);
            ctx.toDevice(MemorySegment.ofArray(table), pt);
            ctx.args().reset().ptr(pt).ptr(pt + 8L * count).ptr(partial);
            ctx.launch("sum_squares_partial", SSQ_BLOCKS, count, 1, DeviceOps.THREADS, 0);
            ctx.args().reset().ptr(partial).i32(SSQ_BLOCKS).ptr(results);
            ctx.launch("sum_squares_final", count, 1, 1, DeviceOps.THREADS, 0);
            ctx.toHost(results, MemorySegment.ofArray(out).asSlice(8L * from, 8L * count));
            for (long block : new long[] {pt, partial, results}) {
                ctx.allocator().release(block);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- softmax and norms

    @Override
    public void softmax(int rows, int cols, Storage x, int xOff, Storage y, int yOff, boolean log) {
        long n = (long) rows * cols;
        ctx.args().reset().i32(rows).i32(cols).ptr(at(x, xOff, n, "softmax x")).ptr(at(y, yOff, n, "softmax y")).i32(log ? 1 : 0);
        ctx.launch("softmax_f32", rows, 1, 1, DeviceOps.THREADS, 0);
    }

    @Override
    public void softmaxBackward(int rows, int cols, Storage y, int yOff, Storage dY, int dYOff,
                                Storage dX, int dXOff, boolean log) {
        long n = (long) rows * cols;
        ctx.args().reset().i32(rows).i32(cols).ptr(at(y, yOff, n, "softmaxBackward y"))
                .ptr(at(dY, dYOff, n, "softmaxBackward dY")).ptr(at(dX, dXOff, n, "softmaxBackward dX")).i32(log ? 1 : 0);
        ctx.launch("softmax_backward_f32", rows, 1, 1, DeviceOps.THREADS, 0);
    }

    @Override
    public void layerNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias,
                          Storage y, int yOff, Storage mean, Storage rstd) {
        long n = (long) N * C;
        ctx.args().reset().i32(N).i32(C).f32(eps).ptr(at(x, xOff, n, "layerNorm x")).ptr(at(weight, 0, C, "layerNorm weight"))
                .ptr(atOrNull(bias, 0, C, "layerNorm bias")).ptr(at(y, yOff, n, "layerNorm y"))
                .ptr(at(mean, 0, N, "layerNorm mean")).ptr(at(rstd, 0, N, "layerNorm rstd"));
        ctx.launch("layernorm_f32", N, 1, 1, DeviceOps.THREADS, 0);
    }

    @Override
    public void layerNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                                  Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias) {
        long n = (long) N * C;
        long px = at(x, xOff, n, "layerNormBackward x");
        long pm = at(mean, 0, N, "layerNormBackward mean");
        long pr = at(rstd, 0, N, "layerNormBackward rstd");
        long pdy = at(dY, dYOff, n, "layerNormBackward dY");
        ctx.args().reset().i32(N).i32(C).ptr(px).ptr(at(weight, 0, C, "layerNormBackward weight")).ptr(pm).ptr(pr)
                .ptr(pdy).ptr(at(dX, dXOff, n, "layerNormBackward dX"));
        ctx.launch("layernorm_backward_dx", N, 1, 1, DeviceOps.THREADS, 0);
        ctx.args().reset().i32(N).i32(C).ptr(px).ptr(pm).ptr(pr).ptr(pdy)
                .ptr(at(dWeight, 0, C, "layerNormBackward dWeight")).ptr(atOrNull(dBias, 0, C, "layerNormBackward dBias"));
        ctx.launch("layernorm_backward_dwdb", (C + 31) / 32, 1, 1, COLUMN_THREADS, 0);
    }

    @Override
    public void rmsNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage y, int yOff, Storage rstd) {
        long n = (long) N * C;
        ctx.args().reset().i32(N).i32(C).f32(eps).ptr(at(x, xOff, n, "rmsNorm x")).ptr(at(weight, 0, C, "rmsNorm weight"))
                .ptr(at(y, yOff, n, "rmsNorm y")).ptr(at(rstd, 0, N, "rmsNorm rstd"));
        ctx.launch("rmsnorm_f32", N, 1, 1, DeviceOps.THREADS, 0);
    }

    @Override
    public void rmsNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage rstd,
                                Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight) {
        long n = (long) N * C;
        long px = at(x, xOff, n, "rmsNormBackward x");
        long pr = at(rstd, 0, N, "rmsNormBackward rstd");
        long pdy = at(dY, dYOff, n, "rmsNormBackward dY");
        ctx.args().reset().i32(N).i32(C).ptr(px).ptr(at(weight, 0, C, "rmsNormBackward weight")).ptr(pr).ptr(pdy)
                .ptr(at(dX, dXOff, n, "rmsNormBackward dX"));
        ctx.launch("rmsnorm_backward_dx", N, 1, 1, DeviceOps.THREADS, 0);
        ctx.args().reset().i32(N).i32(C).ptr(px).ptr(pr).ptr(pdy).ptr(at(dWeight, 0, C, "rmsNormBackward dWeight"));
        ctx.launch("rmsnorm_backward_dw", (C + 31) / 32, 1, 1, COLUMN_THREADS, 0);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void embedding(int N, int C, int[] idx, Storage table, Storage out, int outOff) {
        int V = dev(table, "embedding table").size() / Math.max(C, 1);
        EmbeddingGroups.checkIndices("embedding", idx, N, V);
        long pIdx = ctx.scratch(4L * N);
        ctx.toDevice(MemorySegment.ofArray(idx).asSlice(0, 4L * N), pIdx);
        ctx.args().reset().i32(N).i32(C).ptr(pIdx).ptr(at(table, 0, (long) V * C, "embedding table"))
                .ptr(at(out, outOff, (long) N * C, "embedding out"));
        ctx.launch1d("embedding_f32", (long) N * C);
        ctx.allocator().release(pIdx);
    }

    @Override
    public void embeddingBackward(int N, int C, int[] idx, Storage dOut, int dOutOff, Storage dTable) {
        int V = dev(dTable, "embeddingBackward dTable").size() / Math.max(C, 1);
        EmbeddingGroups g = EmbeddingGroups.of(idx, N, V);
        int[] packed = g.packed();
        long p = ctx.scratch(4L * packed.length);
        ctx.toDevice(MemorySegment.ofArray(packed), p);
        ctx.args().reset().i32(g.rowCount()).i32(C).ptr(p).ptr(p + 4L * g.startsOffset()).ptr(p + 4L * g.positionsOffset())
                .ptr(at(dOut, dOutOff, (long) N * C, "embeddingBackward dOut")).ptr(at(dTable, 0, (long) V * C, "embeddingBackward dTable"));
        ctx.launch("embedding_backward_f32", g.rowCount(), Math.max(1, Math.min((C + 255) / 256, 64)), 1, DeviceOps.THREADS, 0);
        ctx.allocator().release(p);
    }

    // ---------------------------------------------------------------- attention

    /** Packs an {@code AttnShape} struct (attention.cu): the sizes, the scale and the causal flag. */
    private MemorySegment shape(AttentionShape s) {
        int[] v = {s.B(), s.NH(), s.Tq(), s.Tk(), s.HS()};
        for (int i = 0; i < v.length; i++) {
            attnShape.set(ValueLayout.JAVA_INT, 4L * i, v[i]);
        }
        attnShape.set(ValueLayout.JAVA_FLOAT, 20, s.scale());
        attnShape.set(ValueLayout.JAVA_INT, 24, s.causal() ? 1 : 0);
        return attnShape;
    }

    /** Bytes of attention.cu's {@code AttnDropout} (its static_assert pins the offsets used here). */
    static final int ATTN_DROPOUT_BYTES = 24;

    /** Packs an {@code AttnDropout} struct (attention.cu): p, the kept entries' multiplier, key, offset. */
    private MemorySegment dropout(AttentionShape s) {
        attnDropout.set(ValueLayout.JAVA_FLOAT, 0, s.dropout());
        attnDropout.set(ValueLayout.JAVA_FLOAT, 4, s.keptScale()); // the float the CPU multiplies by
        attnDropout.set(ValueLayout.JAVA_LONG, 8, s.dropoutKey());
        attnDropout.set(ValueLayout.JAVA_LONG, 16, s.dropoutOffset());
        return attnDropout;
    }

    /** Packs an {@code Operand} struct (attention.cu) into slot {@code i}, after a bounds check. */
    private MemorySegment operand(int i, Strided o, AttentionShape s, int T, String what) {
        long last = (long) (s.B() - 1) * o.batchStride() + (long) (T - 1) * o.rowStride() + (long) s.NH() * s.HS();
        MemorySegment m = operands[i];
        m.set(ValueLayout.JAVA_LONG, 0, at(o.storage(), o.off(), last, what));
        m.set(ValueLayout.JAVA_INT, 8, o.batchStride());
        m.set(ValueLayout.JAVA_INT, 12, o.rowStride());
        return m;
    }

    /** Dynamic shared bytes for {@code floats} scores of attention.cu's kernels, with the slack after them. */
    static long attentionSharedBytes(long floats) {
        return 4 * (floats + ATTENTION_SHARED_SLACK);
    }

    /** The most scores attention.cu's kernels keep in shared memory. */
    static final int MAX_ATTENTION_SCORES = (MAX_SHARED_BYTES - ATTENTION_STATIC_SHARED_BYTES) / 4 - ATTENTION_SHARED_SLACK;

    private static void requireShared(long floats, String what) {
        if (floats > MAX_ATTENTION_SCORES) {
            throw new IllegalArgumentException(what + " keeps " + floats + " scores in shared memory, above the "
                    + MAX_ATTENTION_SCORES + " the CUDA attention kernels support");
        }
    }

    /** Rows a block of the tiled attention kernels owns (attention_tiled.cu's ROWS). */
    static final int ATTENTION_TILE_ROWS = 64;

    /**
     * The padded head size of the tiled attention kernels for this shape (32 or 64), or 0 when the head
     * is larger and the untiled kernels of attention.cu run (one block per row, scores in shared memory).
     */
    static int tiledHead(AttentionShape s) {
        return s.HS() <= 32 ? 32 : s.HS() <= 64 ? 64 : 0;
    }

    /**
     * Launches one attention kernel over {@code rows} rows with the arguments packed so far. Heads up to 64
     * run the tiled build (attention_tiled.cu: one block per 64 rows, two threads per row), and its
     * {@code _dropout} variant, which takes the {@code AttnDropout} as one more argument, when the shape
     * has attention dropout; larger heads run attention.cu's kernel (one block per row, {@code shared}
     * bytes of scores), which always takes the {@code AttnDropout}.
     */
    private void launchAttention(String kernel, int rows, AttentionShape s, long shared) {
        int d = tiledHead(s);
        if (d == 0) {
            ctx.args().struct(dropout(s));
            ctx.launch(kernel, rows, s.NH(), s.B(), 128, shared);
            return;
        }
        String name = kernel + "_tiled" + d;
        if (s.dropout() > 0f) {
            ctx.args().struct(dropout(s));
            name += "_dropout";
        }
        ctx.launch(name, (rows + ATTENTION_TILE_ROWS - 1) / ATTENTION_TILE_ROWS, s.NH(), s.B(), 2 * ATTENTION_TILE_ROWS, 0);
    }

    @Override
    public void attention(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse) {
        if (tiledHead(s) == 0) {
            requireShared(s.Tk(), "attention (Tk)");
        }
        ctx.args().reset().struct(shape(s)).struct(operand(0, q, s, s.Tq(), "attention q"))
                .struct(operand(1, k, s, s.Tk(), "attention k")).struct(operand(2, v, s, s.Tk(), "attention v"))
                .struct(operand(3, out, s, s.Tq(), "attention out"))
                .ptr(at(lse, 0, (long) s.B() * s.NH() * s.Tq(), "attention lse"));
        launchAttention("attention_forward", s.Tq(), s, attentionSharedBytes(s.Tk()));
    }

    @Override
    public void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                  Strided dOut, Strided dQ, Strided dK, Strided dV) {
        if (tiledHead(s) == 0) {
            requireShared(s.Tk(), "attentionBackward (Tk)");
            requireShared(2L * s.Tq(), "attentionBackward (2·Tq)");
        }
        long rows = (long) s.B() * s.NH() * s.Tq();
        long pl = at(lse, 0, rows, "attentionBackward lse");
        long delta = ctx.scratch(4 * rows);
        MemorySegment sh = shape(s);
        ctx.args().reset().struct(sh).struct(operand(0, out, s, s.Tq(), "attentionBackward out"))
                .struct(operand(1, dOut, s, s.Tq(), "attentionBackward dOut")).ptr(delta);
        ctx.launch("attention_backward_delta", s.Tq(), s.NH(), s.B(), 32, 0);
        ctx.args().reset().struct(sh).struct(operand(0, q, s, s.Tq(), "attentionBackward q"))
                .struct(operand(1, k, s, s.Tk(), "attentionBackward k")).struct(operand(2, v, s, s.Tk(), "attentionBackward v"))
                .struct(operand(3, dOut, s, s.Tq(), "attentionBackward dOut")).ptr(pl).ptr(delta)
                .struct(operand(4, dQ, s, s.Tq(), "attentionBackward dQ"));
        launchAttention("attention_backward_dq", s.Tq(), s, attentionSharedBytes(s.Tk()));
        ctx.args().reset().struct(sh).struct(operand(0, q, s, s.Tq(), "attentionBackward q"))
                .struct(operand(1, k, s, s.Tk(), "attentionBackward k")).struct(operand(2, v, s, s.Tk(), "attentionBackward v"))
                .struct(operand(3, dOut, s, s.Tq(), "attentionBackward dOut")).ptr(pl).ptr(delta)
                .struct(operand(4, dK, s, s.Tk(), "attentionBackward dK")).struct(operand(5, dV, s, s.Tk(), "attentionBackward dV"));
        launchAttention("attention_backward_dkdv", s.Tk(), s, attentionSharedBytes(2L * s.Tq()));
        ctx.allocator().release(delta);
    }

    // ---------------------------------------------------------------- loss

    /** Uploads targets and (optional) weights into one scratch block; returns its address. */
    private long stageTargets(int N, int V, int[] targets, float[] weights, int ignoreIndex, String what) {
        CrossEntropyChecks.check(N, V, targets, weights, ignoreIndex, what);
        long p = ctx.scratch(8L * N);
        ctx.toDevice(MemorySegment.ofArray(targets).asSlice(0, 4L * N), p);
        if (weights != null) {
            ctx.toDevice(MemorySegment.ofArray(weights).asSlice(0, 4L * N), p + 4L * N);
        }
        return p;
    }

    @Override
    public void crossEntropy(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                             int ignoreIndex, Storage losses, Storage lse) {
        long pl = at(logits, logitsOff, (long) N * V, "crossEntropy logits");
        long p = stageTargets(N, V, targets, weights, ignoreIndex, "crossEntropy");
        ctx.args().reset().i32(N).i32(V).ptr(pl).ptr(p).ptr(weights == null ? 0L : p + 4L * N).i32(ignoreIndex)
                .ptr(at(losses, 0, N, "crossEntropy losses")).ptr(at(lse, 0, N, "crossEntropy lse"));
        ctx.launch("cross_entropy_f32", N, 1, 1, DeviceOps.THREADS, 0);
        ctx.allocator().release(p);
    }

    @Override
    public void crossEntropyBackward(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                                     int ignoreIndex, Storage lse, Storage dLosses, Storage dLogits, int dLogitsOff) {
        long pl = at(logits, logitsOff, (long) N * V, "crossEntropyBackward logits");
        long p = stageTargets(N, V, targets, weights, ignoreIndex, "crossEntropyBackward");
        ctx.args().reset().i32(N).i32(V).ptr(pl).ptr(p).ptr(weights == null ? 0L : p + 4L * N).i32(ignoreIndex)
                .ptr(at(lse, 0, N, "crossEntropyBackward lse")).ptr(at(dLosses, 0, N, "crossEntropyBackward dLosses"))
                .ptr(at(dLogits, dLogitsOff, (long) N * V, "crossEntropyBackward dLogits"));
        ctx.launch("cross_entropy_backward_f32", N, 1, 1, DeviceOps.THREADS, 0);
        ctx.allocator().release(p);
    }

    // ---------------------------------------------------------------- regularisation and optimisation

    @Override
    public void dropout(int n, float p, long seedKey, long offset, Storage x, int xOff, Storage y, int yOff, Storage mask) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        }
        ctx.args().reset().i32(n).f32(p).i64(seedKey).i64(offset).ptr(at(x, xOff, n, "dropout x"))
                .ptr(at(y, yOff, n, "dropout y")).ptr(at(mask, 0, n, "dropout mask"));
        ctx.launch1d("dropout_f32", n);
    }

    @Override
    public void adamW(int n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                      float eps, float weightDecay, int step, float gradScale) {
        if (step < 1) {
            throw new IllegalArgumentException("adamW: step is 1-based, got " + step);
        }
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        ctx.args().reset().i32(n).ptr(at(param, 0, n, "adamW param")).ptr(at(grad, 0, n, "adamW grad"))
                .ptr(at(m, 0, n, "adamW m")).ptr(at(v, 0, n, "adamW v")).f32(lr).f32(beta1).f32(beta2).f32(eps)
                .f32(weightDecay).f64(bc1).f64(bc2).f32(gradScale);
        ctx.launch1d("adamw_f32", n);
    }
}
