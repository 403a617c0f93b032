package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What {@link CudaBackend} asks of the device: launches, copies, memory and cuBLAS calls, all on one
 * stream. {@link CudaContext} is the real one; tests use a recording fake to check, without a GPU,
 * that every launch packs the arguments each kernel's PTX declares.
 */
interface DeviceOps extends AutoCloseable {
    /** Threads per block of the row and grid-stride kernels. */
    int THREADS = 256;

    /** Owns the backend's small native buffers (struct arguments). */
    Arena arena();

    /** The reusable argument buffer of the next launch. */
    KernelArgs args();

    DeviceAllocator allocator();

    /** The stream all work runs on (NULL for a fake). */
    MemorySegment stream();

    /** Launches {@code kernel} with {@link #args()}; an empty grid is a no-op. */
    void launch(String kernel, long gx, int gy, int gz, int threads, long sharedBytes);

    /** A grid-stride launch over {@code n} elements. */
    default void launch1d(String kernel, long n) {
        launch(kernel, Math.min((n + THREADS - 1) / THREADS, 1L << 20), 1, 1, THREADS, 0);
    }

    /** Enqueues host → device from any segment (staged through pinned memory). */
    void toDevice(MemorySegment src, long dst);

    /** Device → host, waiting for the copy and everything before it. */
    void toHost(long src, MemorySegment dst);

    void memsetZero(long dst, long bytes);

    void copyDeviceToDevice(long dst, long src, long bytes);

    void synchronize();

    /** A temporary device block; the caller releases it after enqueuing its last use. */
    default long scratch(long bytes) {
        return allocator().allocate(Math.max(bytes, 4));
    }

    /** cuBLAS math mode (CUBLAS_DEFAULT_MATH or CUBLAS_TF32_TENSOR_OP_MATH). */
    void setMathMode(int mode);

    /**
     * fp32 GEMM, column-major as mapped by {@link GemmMapping}: {@code first}/{@code second} are the
     * row-major B and A; batch 1 uses cublasSgemm_v2, more cublasSgemmStridedBatched.
     */
    void sgemm(GemmMapping.ColumnMajor g, int batch, float alpha, long first, long strideFirst, long second,
               long strideSecond, float beta, long c, long strideC);

    /** cublasGemmEx with bf16 inputs, fp32 output and CUBLAS_COMPUTE_32F (alpha 1, beta 0). */
    void gemmBf16(GemmMapping.ColumnMajor g, long first, long second, long c);

    @Override
    void close();
}
