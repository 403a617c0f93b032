package org.tokenlab.cuda;

import static org.tokenlab.cuda.bindings.Native.ptr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.cuda.bindings.Cudart;

/**
 * The device resources one {@link CudaBackend} owns: one stream (every copy, kernel and GEMM goes on
 * it, so work is ordered without events), a cuBLAS handle bound to that stream, the caching
 * allocator, our kernel library, pinned host staging for transfers, the reusable launch-argument
 * buffer and preallocated alpha/beta scalars. Not thread-safe.
 */
final class CudaContext implements DeviceOps {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stream;
    private final MemorySegment cublas;
    private final DeviceAllocator allocator;
    private final KernelLibrary library;
    private final KernelArgs args;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private final MemorySegment grid;
    private final MemorySegment block;
    private final MemorySegment out;

    /** Pinned host memory for transfers; {@link #stagingUsed} bytes are owned by enqueued copies. */
    private MemorySegment staging = MemorySegment.NULL;
    private long stagingUsed;

    CudaContext(int device) {
        Cuda.requireAvailable();
        out = arena.allocate(8, 8);
        MemorySegment mallocOut = arena.allocate(ValueLayout.ADDRESS);
        MemorySegment s = MemorySegment.NULL;
        MemorySegment h = MemorySegment.NULL;
        try {
            CudaCalls.check("cudaSetDevice", Cudart.cudaSetDevice(device));
            CudaCalls.check("cudaStreamCreateWithFlags",
                    Cudart.cudaStreamCreateWithFlags(out, Cudart.cudaStreamNonBlocking));
            s = out.get(ValueLayout.ADDRESS, 0);
            CudaCalls.checkBlas("cublasCreate", Cublas.cublasCreate_v2(out));
            h = out.get(ValueLayout.ADDRESS, 0);
            CudaCalls.checkBlas("cublasSetStream", Cublas.cublasSetStream_v2(h, s));
            CudaCalls.checkBlas("cublasSetMathMode", Cublas.cublasSetMathMode(h, Cublas.CUBLAS_DEFAULT_MATH));
            library = new KernelLibrary(arena);
        } catch (RuntimeException e) { // give back what was created, then report
            if (!h.equals(MemorySegment.NULL)) {
                Cublas.cublasDestroy_v2(h);
            }
            if (!s.equals(MemorySegment.NULL)) {
                Cudart.cudaStreamDestroy(s);
            }
            arena.close();
            throw e;
        }
        stream = s;
        cublas = h;
        allocator = new DeviceAllocator(new DeviceAllocator.Device() {
            @Override
            public long malloc(long bytes) {
                CudaCalls.check("cudaMalloc(" + bytes + ")", Cudart.cudaMalloc(mallocOut, bytes));
                return mallocOut.get(ValueLayout.ADDRESS, 0).address();
            }

            @Override
            public void free(long p) {
                CudaCalls.check("cudaFree", Cudart.cudaFree(ptr(p)));
            }
        });
        args = new KernelArgs(arena);
        alpha = arena.allocate(ValueLayout.JAVA_FLOAT);
        beta = arena.allocate(ValueLayout.JAVA_FLOAT);
        grid = arena.allocate(Cudart.DIM3);
        block = arena.allocate(Cudart.DIM3);
    }

    // ------------------------------------------------------------------ launches

    @Override
    public Arena arena() {
        return arena;
    }

    @Override
    public KernelArgs args() {
        return args;
    }

    @Override
    public DeviceAllocator allocator() {
        return allocator;
    }

    @Override
    public MemorySegment stream() {
        return stream;
    }

    @Override
    public void launch(String kernel, long gx, int gy, int gz, int threads, long sharedBytes) {
        if (gx <= 0 || gy <= 0 || gz <= 0) {
            return; // an empty problem: nothing to do (a zero grid is an error in CUDA)
        }
        if (gx > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": grid " + gx + " exceeds the CUDA limit");
        }
        grid.set(ValueLayout.JAVA_INT, 0, (int) gx);
        grid.set(ValueLayout.JAVA_INT, 4, gy);
        grid.set(ValueLayout.JAVA_INT, 8, gz);
        block.set(ValueLayout.JAVA_INT, 0, threads);
        block.set(ValueLayout.JAVA_INT, 4, 1);
        block.set(ValueLayout.JAVA_INT, 8, 1);
        CudaCalls.check("cudaLaunchKernel(" + kernel + ")", Cudart.cudaLaunchKernel(library.kernel(kernel),
                grid, block, args.array(), sharedBytes, stream));
    }

    // ------------------------------------------------------------------ cuBLAS

    private MemorySegment alpha(float a) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, a);
        return alpha;
    }

    private MemorySegment beta(float b) {
        beta.set(ValueLayout.JAVA_FLOAT, 0, b);
        return beta;
    }

    /**
     * Gives cuBLAS {@code bytes} of device memory as this handle's workspace ({@code cublasSetWorkspace}; the
     * cuBLAS guide recommends 32 MiB on Hopper, and PyTorch sets that on its handles). The backend does not
     * call it: DeviceBenchmark times it against cuBLAS's default, to learn whether it explains TF32 at
     * n = 1024 running at 0.84 of torch.mm (docs/performance.md §8). The block is freed with the context.
     */
    void setCublasWorkspace(long bytes) {
        long p = allocator.allocate(bytes);
        CudaCalls.checkBlas("cublasSetWorkspace", Cublas.cublasSetWorkspace_v2(cublas, ptr(p), bytes));
    }

    @Override
    public void setMathMode(int mode) {
        CudaCalls.checkBlas("cublasSetMathMode", Cublas.cublasSetMathMode(cublas, mode));
    }

    @Override
    public void sgemm(GemmMapping.ColumnMajor g, int batch, float a, long first, long strideFirst, long second,
                      long strideSecond, float b, long c, long strideC) {
        int st = batch == 1
                ? Cublas.cublasSgemm_v2(cublas, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), alpha(a), ptr(first),
                        g.ldFirst(), ptr(second), g.ldSecond(), beta(b), ptr(c), g.ldc())
                : Cublas.cublasSgemmStridedBatched(cublas, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), alpha(a),
                        ptr(first), g.ldFirst(), strideFirst, ptr(second), g.ldSecond(), strideSecond, beta(b), ptr(c),
                        g.ldc(), strideC, batch);
        CudaCalls.checkBlas(batch == 1 ? "cublasSgemm_v2" : "cublasSgemmStridedBatched", st);
    }

    @Override
    public void gemmBf16(GemmMapping.ColumnMajor g, long first, long second, long c) {
        gemmBf16(g, first, second, c, Cublas.CUDA_R_32F);
    }

    /** bf16 operands, fp32 accumulation, C of type {@code cType} (CUDA_R_32F, or CUDA_R_16BF as torch.mm gives). */
    void gemmBf16(GemmMapping.ColumnMajor g, long first, long second, long c, int cType) {
        gemmEx(g, first, second, Cublas.CUDA_R_16BF, c, cType, Cublas.CUBLAS_COMPUTE_32F);
    }

    /**
     * C = first·second through {@code cublasGemmEx}: operands of type {@code abType}, C of type {@code cType},
     * arithmetic {@code computeType} (e.g. fp32 operands with CUBLAS_COMPUTE_32F_FAST_TF32: TF32 asked for in
     * the call rather than through the handle's math mode; DeviceBenchmark times both).
     */
    void gemmEx(GemmMapping.ColumnMajor g, long first, long second, int abType, long c, int cType, int computeType) {
        CudaCalls.checkBlas("cublasGemmEx", Cublas.cublasGemmEx(cublas, g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(),
                alpha(1f), ptr(first), abType, g.ldFirst(), ptr(second), abType, g.ldSecond(),
                beta(0f), ptr(c), cType, g.ldc(), computeType, Cublas.CUBLAS_GEMM_DEFAULT));
    }

    @Override
    public void memsetZero(long dst, long bytes) {
        CudaCalls.check("cudaMemsetAsync", Cudart.cudaMemsetAsync(ptr(dst), 0, bytes, stream));
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
        CudaCalls.check("cudaMemcpyAsync(D2D)", Cudart.cudaMemcpyAsync(ptr(dst), ptr(src), bytes,
                Cudart.cudaMemcpyDeviceToDevice, stream));
    }

    // ------------------------------------------------------------------ transfers

    /** Space in pinned memory for {@code bytes}; waits for earlier copies when the buffer is full. */
    private MemorySegment stage(long bytes) {
        long aligned = (bytes + 255) & ~255L;
        if (stagingUsed + aligned > staging.byteSize()) {
            synchronize(); // every copy from the staging buffer has finished
            stagingUsed = 0;
            if (aligned > staging.byteSize()) {
                if (!staging.equals(MemorySegment.NULL)) {
                    CudaCalls.check("cudaFreeHost", Cudart.cudaFreeHost(staging));
                }
                long size = Math.max(aligned, 4L << 20);
                CudaCalls.check("cudaMallocHost(" + size + ")", Cudart.cudaMallocHost(out, size));
                staging = out.get(ValueLayout.ADDRESS, 0).reinterpret(size);
            }
        }
        MemorySegment s = staging.asSlice(stagingUsed, bytes);
        stagingUsed += aligned;
        return s;
    }

    /** Transfers larger than this go through the staging buffer in pieces, which bounds pinned memory. */
    static final long CHUNK = 64L << 20;

    /** Enqueues host → device of {@code src} (any heap or native segment) to {@code dst}. */
    @Override
    public void toDevice(MemorySegment src, long dst) {
        long bytes = src.byteSize();
        for (long at = 0; at < bytes; at += CHUNK) {
            long n = Math.min(CHUNK, bytes - at);
            MemorySegment s = stage(n);
            s.copyFrom(src.asSlice(at, n));
            CudaCalls.check("cudaMemcpyAsync(H2D)", Cudart.cudaMemcpyAsync(ptr(dst + at), s, n,
                    Cudart.cudaMemcpyHostToDevice, stream));
        }
    }

    /** Copies device → host {@code dst} and waits for it (and everything before it on the stream). */
    @Override
    public void toHost(long src, MemorySegment dst) {
        long bytes = dst.byteSize();
        if (bytes == 0) {
            synchronize();
            return;
        }
        for (long at = 0; at < bytes; at += CHUNK) {
            long n = Math.min(CHUNK, bytes - at);
            MemorySegment s = stage(n);
            CudaCalls.check("cudaMemcpyAsync(D2H)", Cudart.cudaMemcpyAsync(s, ptr(src + at), n,
                    Cudart.cudaMemcpyDeviceToHost, stream));
            synchronize();
            dst.asSlice(at, n).copyFrom(s);
            stagingUsed = 0;
        }
    }

    @Override
    public void synchronize() {
        CudaCalls.check("cudaStreamSynchronize", Cudart.cudaStreamSynchronize(stream));
    }

    @Override
    public void close() {
        synchronize();
        library.unload();
        allocator.freeAll();
        if (!staging.equals(MemorySegment.NULL)) {
            Cudart.cudaFreeHost(staging);
        }
        Cublas.cublasDestroy_v2(cublas);
        Cudart.cudaStreamDestroy(stream);
        arena.close();
    }
}
