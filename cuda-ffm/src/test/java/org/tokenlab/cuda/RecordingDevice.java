package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeviceOps} without a GPU: memory is fake addresses from a {@link DeviceAllocator}, copies
 * do nothing (downloads read zeros), and every launch and GEMM is recorded with its arguments' sizes
 * and values, so tests can check what CudaBackend would have sent.
 */
final class RecordingDevice implements DeviceOps {
    /** One kernel launch as the backend packed it. */
    record Launch(String kernel, List<Long> sizes, List<Long> values, List<byte[]> bytes, long gx, int gy, int gz, int threads,
                  long shared) {
    }

    /** One GEMM call. */
    record Gemm(GemmMapping.ColumnMajor g, int batch, float alpha, long first, long strideFirst, long second,
                long strideSecond, float beta, long c, long strideC, boolean bf16) {
    }

    final Arena arena = Arena.ofShared();
    final KernelArgs args = new KernelArgs(arena);
    final DeviceAllocator allocator = new DeviceAllocator(new DeviceAllocator.Device() {
        long next = 1L << 32;

        @Override
        public long malloc(long bytes) {
            long p = next;
            next += bytes;
            return p;
        }

        @Override
        public void free(long ptr) {
        }
    });
    final List<Launch> launches = new ArrayList<>();
    final List<Gemm> gemms = new ArrayList<>();
    int mathMode;

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
        return MemorySegment.NULL;
    }

    @Override
    public void launch(String kernel, long gx, int gy, int gz, int threads, long sharedBytes) {
        List<Long> sizes = new ArrayList<>(), values = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        for (int i = 0; i < args.count(); i++) {
            long size = args.size(i);
            sizes.add(size);
            MemorySegment v = args.valueOf(i, size);
            bytes.add(v.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            values.add(size == 4 ? v.get(java.lang.foreign.ValueLayout.JAVA_INT, 0)
                    : size == 8 ? v.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0) : -1L);
        }
        launches.add(new Launch(kernel, sizes, values, bytes, gx, gy, gz, threads, sharedBytes));
    }

    @Override
    public void toDevice(MemorySegment src, long dst) {
    }

    @Override
    public void toHost(long src, MemorySegment dst) {
        dst.fill((byte) 0);
    }

    @Override
    public void memsetZero(long dst, long bytes) {
    }

    @Override
    public void copyDeviceToDevice(long dst, long src, long bytes) {
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void setMathMode(int mode) {
        mathMode = mode;
    }

    @Override
    public void sgemm(GemmMapping.ColumnMajor g, int batch, float alpha, long first, long strideFirst, long second,
                      long strideSecond, float beta, long c, long strideC) {
        gemms.add(new Gemm(g, batch, alpha, first, strideFirst, second, strideSecond, beta, c, strideC, false));
    }

    @Override
    public void gemmBf16(GemmMapping.ColumnMajor g, long first, long second, long c) {
        gemms.add(new Gemm(g, 1, 1f, first, 0, second, 0, 0f, c, 0, true));
    }

    @Override
    public void close() {
        allocator.freeAll();
        arena.close();
    }
}
