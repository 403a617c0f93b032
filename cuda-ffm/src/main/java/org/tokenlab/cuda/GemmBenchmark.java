package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tokenlab.cuda.bindings.Cudart;

/**
 * Times square GEMMs through our cuBLAS binding with CUDA events on the backend's stream: fp32, TF32,
 * bf16 (bf16 inputs, fp32 output and accumulation) and bf16+convert (matmulBf16 as called, rounding
 * the fp32 inputs each time) at the given sizes. Warm-up calls first; then enough calls for about
 * 0.2 s of GPU time. Prints a table and writes JSON.
 * Usage: {@code GemmBenchmark OUT.json [N ...]} (default sizes 1024 2048 4096 8192).
 * This is a device-check tool, not a JMH benchmark: GPU time is measured by the GPU's own events.
 */
public final class GemmBenchmark {
    private GemmBenchmark() {
    }

    /** Milliseconds of GPU time per call of {@code body}, measured with events around {@code iters} calls. */
    static double timeMs(CudaBackend be, Runnable body, int iters) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment e = arena.allocate(ValueLayout.ADDRESS, 2);
            CudaCalls.check("cudaEventCreate", Cudart.cudaEventCreate(e));
            CudaCalls.check("cudaEventCreate", Cudart.cudaEventCreate(e.asSlice(8)));
            MemorySegment start = e.getAtIndex(ValueLayout.ADDRESS, 0), stop = e.getAtIndex(ValueLayout.ADDRESS, 1);
            CudaCalls.check("cudaEventRecord", Cudart.cudaEventRecord(start, be.stream()));
            for (int i = 0; i < iters; i++) {
                body.run();
            }
            CudaCalls.check("cudaEventRecord", Cudart.cudaEventRecord(stop, be.stream()));
            CudaCalls.check("cudaEventSynchronize", Cudart.cudaEventSynchronize(stop));
            MemorySegment ms = arena.allocate(ValueLayout.JAVA_FLOAT);
            CudaCalls.check("cudaEventElapsedTime", Cudart.cudaEventElapsedTime(ms, start, stop));
            Cudart.cudaEventDestroy(start);
            Cudart.cudaEventDestroy(stop);
            return ms.get(ValueLayout.JAVA_FLOAT, 0) / iters;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GemmBenchmark OUT.json [N ...]");
            System.exit(2);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1024, 2048, 4096, 8192);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (CudaBackend be = new CudaBackend()) {
            for (int n : sizes) {
                CudaStorage a = be.allocate(n * n), b = be.allocate(n * n), c = be.allocate(n * n);
                be.fill(a, 0, n * n, 0.5f);
                be.fill(b, 0, n * n, 0.25f);
                // bf16 operands converted once, for the GEMM-only timing ("bf16"); "bf16+convert" times
                // matmulBf16 as callers see it, rounding fp32 inputs on every call
                long a16 = be.ops().scratch(2L * n * n), b16 = be.ops().scratch(2L * n * n);
                be.toBf16(a.address(0), a16, (long) n * n);
                be.toBf16(b.address(0), b16, (long) n * n);
                GemmMapping.ColumnMajor g = GemmMapping.rowMajor(n, n, n, false, n, false, n, n);
                for (String mode : List.of("fp32", "tf32", "bf16", "bf16+convert")) {
                    be.setTf32(mode.equals("tf32"));
                    Runnable call = switch (mode) {
                        case "bf16" -> () -> be.ops().gemmBf16(g, b16, a16, c.address(0));
                        case "bf16+convert" -> () -> be.matmulBf16(n, n, n, a, 0, n, false, b, 0, n, false, c, 0, n);
                        default -> () -> be.matmul(1, n, n, n, 1f, a, 0, n, 0, false, b, 0, n, 0, false, 0f, c, 0, n, 0);
                    };
                    timeMs(be, call, 2); // warm-up: cuBLAS heuristics, kernel loading
                    double probe = timeMs(be, call, 1);
                    int iters = (int) Math.max(3, Math.min(200, 200 / Math.max(probe, 1e-3)));
                    double ms = timeMs(be, call, iters);
                    double tflops = 2.0 * n * n * (double) n / (ms * 1e-3) / 1e12;
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("impl", "tokenlab-ffm");
                    r.put("mode", mode);
                    r.put("n", n);
                    r.put("iters", iters);
                    r.put("ms", ms);
                    r.put("tflops", tflops);
                    rows.add(r);
                    System.out.printf("tokenlab-ffm %-12s n=%5d  %9.3f ms  %8.2f TFLOP/s%n", mode, n, ms, tflops);
                }
                be.setTf32(false);
                be.ops().allocator().release(a16);
                be.ops().allocator().release(b16);
                a.close();
                b.close();
                c.close();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("availability", CudaInfo.describe(Cuda.availability()));
        out.put("note", "bf16: bf16 inputs, fp32 output, fp32 accumulation (cublasGemmEx); bf16+convert also "
                + "rounds the fp32 inputs to bf16 on the device in every call");
        out.put("results", rows);
        CudaInfo.writeJson(Path.of(args[0]), out);
    }
}
