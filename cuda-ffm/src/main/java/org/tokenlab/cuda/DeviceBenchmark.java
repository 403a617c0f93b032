package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.cuda.bindings.Cudart;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.backend.Strided;

/**
 * Times square GEMMs through our cuBLAS binding with CUDA events on the backend's stream: fp32, TF32,
 * bf16 (bf16 inputs, fp32 output and accumulation), bf16-out16 (the same with a bf16 output, as
 * torch.mm of bf16 tensors) and bf16+convert (matmulBf16 as called, rounding the fp32 inputs each time)
 * at the given sizes, on uniform random operands, and "tf32-ex" (fp32 operands through cublasGemmEx with
 * CUBLAS_COMPUTE_32F_FAST_TF32, TF32 asked for in the call instead of the handle's math mode). Warm-up calls
 * first; then enough calls for about 0.2 s of GPU time; each row also records the host's microseconds per
 * call spent enqueueing (when that reaches the GPU time per call, the GPU waits on the host). Then fp32,
 * TF32, tf32-ex, bf16 and bf16-out16 again through a second handle given a 32 MiB cuBLAS workspace (rows
 * "…-ws32"). The rows torch_peer.py also has come first, in its order (under sustained load the GPU's clocks
 * fall as it heats, so a row's place in the sequence matters; the variants come last). Prints a table and
 * writes JSON.
 * Then times a few of our kernels at training sizes and reports their effective bandwidth (bytes the
 * kernel must move at least, over its time): axpy, softmax over a GPT-2 vocabulary, layer norm, and
 * causal attention, forward and forward + backward (also with dropout 0.1), at GPT-2 small's and the medium preset's head shapes
 * (reported in ms).
 * Usage: {@code DeviceBenchmark OUT.json [N ...]} (default GEMM sizes 1024 2048 4096 8192), or
 * {@code DeviceBenchmark --probe-kernels N [MODE ...]}: each GEMM mode (default fp32, tf32, tf32-ex) three
 * times at n = N on both handles and nothing else, for Nsight Compute to name the kernels cuBLAS picks (the
 * device check does this next to torch's).
 * This is a device-check tool, not a JMH benchmark: GPU time is measured by the GPU's own events.
 */
public final class DeviceBenchmark {
    private DeviceBenchmark() {
    }

    /** GPU milliseconds per call (events around the calls) and host microseconds per call spent enqueueing them. */
    private record Timing(double ms, int iters, double hostUs) {
    }

    /** Times {@code iters} calls of {@code body} with events on the backend's stream. */
    static Timing time(CudaBackend be, Runnable body, int iters) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment e = arena.allocate(ValueLayout.ADDRESS, 2);
            CudaCalls.check("cudaEventCreate", Cudart.cudaEventCreate(e));
            CudaCalls.check("cudaEventCreate", Cudart.cudaEventCreate(e.asSlice(8)));
            MemorySegment start = e.getAtIndex(ValueLayout.ADDRESS, 0), stop = e.getAtIndex(ValueLayout.ADDRESS, 1);
            CudaCalls.check("cudaEventRecord", Cudart.cudaEventRecord(start, be.stream()));
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                body.run();
            }
            long hostNs = System.nanoTime() - t0;
            CudaCalls.check("cudaEventRecord", Cudart.cudaEventRecord(stop, be.stream()));
            CudaCalls.check("cudaEventSynchronize", Cudart.cudaEventSynchronize(stop));
            MemorySegment ms = arena.allocate(ValueLayout.JAVA_FLOAT);
            CudaCalls.check("cudaEventElapsedTime", Cudart.cudaEventElapsedTime(ms, start, stop));
            Cudart.cudaEventDestroy(start);
            Cudart.cudaEventDestroy(stop);
            return new Timing(ms.get(ValueLayout.JAVA_FLOAT, 0) / iters, iters, hostNs / 1e3 / iters);
        }
    }

    /** Two warm-up calls, a probe, then enough calls for about {@code windowMs} of GPU time. */
    private static Timing timeWindow(CudaBackend be, Runnable call, double windowMs, int maxIters) {
        time(be, call, 2); // warm-up: cuBLAS heuristics, kernel loading
        double probe = time(be, call, 1).ms();
        int iters = (int) Math.max(3, Math.min(maxIters, windowMs / Math.max(probe, 1e-3)));
        return time(be, call, iters);
    }

    /** One kernel timing row: GPU ms per call and effective GB/s for {@code bytes} moved per call (none if ≤ 0). */
    private static Map<String, Object> kernelRow(CudaBackend be, String name, String shape, long bytes, Runnable call) {
        Timing t = timeWindow(be, call, 100, 5000); // about 0.1 s of GPU time
        double ms = t.ms();
        int iters = t.iters();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("impl", "tokenlab-ffm");
        r.put("mode", "kernel");
        r.put("kernel", name);
        r.put("shape", shape);
        r.put("iters", iters);
        r.put("ms", ms);
        double gbps = bytes > 0 ? bytes / (ms * 1e-3) / 1e9 : Double.NaN;
        if (bytes > 0) {
            r.put("gbps", gbps);
        }
        System.out.printf("tokenlab-ffm kernel %-10s %-34s %9.3f ms  %8.1f GB/s%n", name, shape, ms, gbps);
        return r;
    }

    /** axpy, softmax, layer norm and attention at GPT-2-small training sizes (B=8, T=1024). */
    static List<Map<String, Object>> kernels(CudaBackend be) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = 1 << 26;
        CudaStorage x = be.allocate(n), y = be.allocate(n);
        rows.add(kernelRow(be, "axpy", "n=" + n, 12L * n, () -> be.axpy(n, 0.5f, x, 0, y, 0)));
        x.close();
        y.close();
        int rowsN = 8 * 1024, V = 50304, C = 768;
        CudaStorage logits = be.allocate(rowsN * V), probs = be.allocate(rowsN * V);
        rows.add(kernelRow(be, "softmax", rowsN + "x" + V, 8L * rowsN * V,
                () -> be.softmax(rowsN, V, logits, 0, probs, 0, false)));
        logits.close();
        probs.close();
        CudaStorage in = be.allocate(rowsN * C), out = be.allocate(rowsN * C), w = be.allocate(C), b = be.allocate(C);
        CudaStorage mean = be.allocate(rowsN), rstd = be.allocate(rowsN);
        be.fill(w, 0, C, 1f);
        rows.add(kernelRow(be, "layerNorm", rowsN + "x" + C, 8L * rowsN * C,
                () -> be.layerNorm(rowsN, C, 1e-5f, in, 0, w, b, out, 0, mean, rstd)));
        for (CudaStorage st : List.of(in, out, w, b, mean, rstd)) {
            st.close();
        }
        rows.addAll(attention(be, 8, 1024, 12, 64)); // GPT-2 small's heads
        rows.addAll(attention(be, 8, 256, 8, 32));   // the medium preset's
        return rows;
    }

    /** Causal attention forward, and forward + backward, on q, k, v interleaved in one (B,T,3C) buffer. */
    static List<Map<String, Object>> attention(CudaBackend be, int B, int T, int NH, int HS) {
        int C = NH * HS;
        CudaStorage qkv = be.upload(uniform(B * T * 3 * C, 3)), att = be.allocate(B * T * C), lse = be.allocate(B * NH * T);
        CudaStorage dAtt = be.upload(uniform(B * T * C, 4)), dQkv = be.allocate(B * T * 3 * C);
        var s = new AttentionShape(B, NH, T, T, HS, (float) (1 / Math.sqrt(HS)), true);
        Strided q = new Strided(qkv, 0, T * 3 * C, 3 * C), k = new Strided(qkv, C, T * 3 * C, 3 * C);
        Strided v = new Strided(qkv, 2 * C, T * 3 * C, 3 * C), o = new Strided(att, 0, T * C, C);
        Strided dO = new Strided(dAtt, 0, T * C, C), dq = new Strided(dQkv, 0, T * 3 * C, 3 * C);
        Strided dk = new Strided(dQkv, C, T * 3 * C, 3 * C), dv = new Strided(dQkv, 2 * C, T * 3 * C, 3 * C);
        String shape = "B" + B + " T" + T + " NH" + NH + " HS" + HS + " causal";
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(kernelRow(be, "attention", shape, 0, () -> be.attention(s, q, k, v, o, lse)));
        var dropped = new AttentionShape(B, NH, T, T, HS, s.scale(), true, 0.1f, 7L, 0L); // the _dropout kernels
        for (var a : List.of(s, dropped)) {
            rows.add(kernelRow(be, "attn-fwd+bwd", shape + (a.dropout() > 0f ? " drop0.1" : ""), 0, () -> {
                be.attention(a, q, k, v, o, lse);
                be.attentionBackward(a, q, k, v, o, lse, dO, dq, dk, dv);
            }));
        }
        for (CudaStorage st : List.of(qkv, att, lse, dAtt, dQkv)) {
            st.close();
        }
        return rows;
    }

    /** {@code count} floats uniform in [-1, 1) from a fixed seed (torch_peer.py draws the same distribution). */
    static float[] uniform(int count, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    /** The 32 MiB cuBLAS workspace PyTorch sets on its handles, given to the second handle of the "…-ws32" rows. */
    private static final long WORKSPACE_BYTES = 32L << 20;

    /**
     * The operands of n × n GEMMs on one backend: a, b, c in fp32 and a16, b16, c16 in bf16, with the row-major
     * product's column-major mapping. The operands are uniform random: constant or zero data draws less power
     * and runs faster (KINDS.md: 894 vs 788 TFLOP/s for bf16 at 8192), so both sides time uniform [-1, 1) data.
     * The bf16 copies are converted once, for the GEMM-only rows ("bf16"); "bf16+convert" times matmulBf16 as
     * callers see it, rounding the fp32 inputs on every call.
     */
    private record GemmOperands(CudaBackend be, int n, CudaStorage a, CudaStorage b, CudaStorage c,
                                long a16, long b16, long c16, GemmMapping.ColumnMajor g) implements AutoCloseable {
        static GemmOperands of(CudaBackend be, int n) {
            CudaStorage a = be.upload(uniform(n * n, 1)), b = be.upload(uniform(n * n, 2)), c = be.allocate(n * n);
            long a16 = be.ops().scratch(2L * n * n), b16 = be.ops().scratch(2L * n * n), c16 = be.ops().scratch(2L * n * n);
            be.toBf16(a.address(0), a16, (long) n * n);
            be.toBf16(b.address(0), b16, (long) n * n);
            return new GemmOperands(be, n, a, b, c, a16, b16, c16, GemmMapping.rowMajor(n, n, n, false, n, false, n, n));
        }

        /**
         * One GEMM call of the given mode (see the class comment). Sets the backend's matmul precision the mode
         * needs (TF32 only for "tf32").
         */
        Runnable call(String mode) {
            be.setMatmulPrecision(mode.equals("tf32") ? MatmulPrecision.TF32 : MatmulPrecision.FP32);
            CudaContext ctx = (CudaContext) be.ops();
            return switch (mode) {
                case "bf16" -> () -> ctx.gemmBf16(g, b16, a16, c.address(0));
                // bf16 C as well: what torch.mm of two bf16 tensors computes, for the like-for-like row
                case "bf16-out16" -> () -> ctx.gemmBf16(g, b16, a16, c16, Cublas.CUDA_R_16BF);
                case "bf16+convert" -> () -> be.matmulBf16(n, n, n, a, 0, n, false, b, 0, n, false, c, 0, n);
                case "tf32-ex" -> () -> ctx.gemmEx(g, b.address(0), a.address(0), Cublas.CUDA_R_32F, c.address(0),
                        Cublas.CUDA_R_32F, Cublas.CUBLAS_COMPUTE_32F_FAST_TF32);
                case "fp32", "tf32" -> () -> be.matmul(1, n, n, n, 1f, a, 0, n, 0, false, b, 0, n, 0, false, 0f, c, 0, n, 0);
                default -> throw new IllegalArgumentException("DeviceBenchmark: unknown GEMM mode " + mode);
            };
        }

        /** Gives every block back and leaves the backend in fp32. */
        @Override
        public void close() {
            be.setMatmulPrecision(MatmulPrecision.FP32);
            for (long block : new long[] {a16, b16, c16}) {
                be.ops().allocator().release(block);
            }
            a.close();
            b.close();
            c.close();
        }
    }

    /** GEMM rows at n for the given modes, each labelled mode + suffix (see the class comment). */
    static List<Map<String, Object>> gemms(CudaBackend be, int n, List<String> modes, String suffix) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (GemmOperands ops = GemmOperands.of(be, n)) {
            for (String mode : modes) {
                rows.add(gemmRow(be, n, mode, suffix, ops.call(mode)));
            }
        }
        return rows;
    }

    /** One timed GEMM row, printed and returned. */
    private static Map<String, Object> gemmRow(CudaBackend be, int n, String mode, String suffix, Runnable call) {
        // about 0.2 s of GPU time: a window of a few ms (the old cap of 200 calls at n = 1024) scattered by ±25 %
        Timing t = timeWindow(be, call, 200, 20_000);
        double ms = t.ms();
        double tflops = 2.0 * n * n * (double) n / (ms * 1e-3) / 1e12;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("impl", "tokenlab-ffm");
        r.put("mode", mode + suffix);
        r.put("n", n);
        r.put("iters", t.iters());
        r.put("ms", ms);
        r.put("tflops", tflops);
        r.put("host_us", t.hostUs());
        System.out.printf("tokenlab-ffm %-14s n=%5d  %9.3f ms  %8.2f TFLOP/s  host %6.1f us/call%n",
                mode + suffix, n, ms, tflops, t.hostUs());
        return r;
    }

    /**
     * Each fp32/TF32 variant three times at n, the default handle's first, then a handle with a 32 MiB
     * workspace; a line before each names it, so that Nsight Compute's per-launch report (printed in launch
     * order) says which kernel cuBLAS chose for which variant.
     */
    static void probeKernels(int n, List<String> modes) {
        for (String suffix : List.of("", "-ws32")) {
            try (CudaBackend be = new CudaBackend()) {
                if (!suffix.isEmpty()) {
                    ((CudaContext) be.ops()).setCublasWorkspace(WORKSPACE_BYTES);
                }
                probe(be, n, modes, suffix);
            }
        }
    }

    // three calls of each mode on one backend's operands, each announced by a line
    private static void probe(CudaBackend be, int n, List<String> modes, String suffix) {
        try (GemmOperands ops = GemmOperands.of(be, n)) {
            for (String mode : modes) {
                Runnable call = ops.call(mode);
                be.ops().synchronize();
                System.out.println("probe-kernels: " + mode + suffix + " n=" + n + ", 3 calls");
                System.out.flush(); // before ncu's own lines about the launches that follow
                for (int i = 0; i < 3; i++) {
                    call.run();
                }
                be.ops().synchronize();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].equals("--probe-kernels") && args.length < 2) {
            System.err.println("usage: DeviceBenchmark OUT.json [N ...]  |  DeviceBenchmark --probe-kernels N [MODE ...]");
            System.exit(2);
        }
        if (args[0].equals("--probe-kernels")) {
            List<String> modes = List.of(args).subList(2, args.length);
            probeKernels(Integer.parseInt(args[1]), modes.isEmpty() ? List.of("fp32", "tf32", "tf32-ex") : modes);
            return;
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
            // first the rows torch_peer.py also times, in its order, so both sides meet the GPU's power and
            // clock state at the same point of the sequence; then the kernels; then our extra variants
            for (int n : sizes) {
                rows.addAll(gemms(be, n, List.of("fp32", "tf32", "bf16", "bf16-out16"), ""));
            }
            rows.addAll(kernels(be));
            for (int n : sizes) {
                rows.addAll(gemms(be, n, List.of("tf32-ex", "bf16+convert"), ""));
            }
        }
        // The cuBLAS workspace experiment (docs/performance.md §8): a second backend, so a second cuBLAS handle,
        // given the 32 MiB workspace that PyTorch sets on its handles; rows "…-ws32". A failure here is
        // reported and leaves the rows above intact.
        String workspaceError = null;
        try (CudaBackend ws = new CudaBackend()) {
            ((CudaContext) ws.ops()).setCublasWorkspace(WORKSPACE_BYTES);
            for (int n : sizes) {
                rows.addAll(gemms(ws, n, List.of("fp32", "tf32", "tf32-ex", "bf16", "bf16-out16"), "-ws32"));
            }
        } catch (RuntimeException e) {
            workspaceError = e.toString();
            System.out.println("tokenlab-ffm workspace experiment failed: " + workspaceError);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (workspaceError != null) {
            out.put("workspace_error", workspaceError);
        }
        out.put("availability", CudaInfo.describe(Cuda.availability()));
        out.put("note", "bf16: bf16 inputs, fp32 output, fp32 accumulation (cublasGemmEx); bf16+convert also "
                + "rounds the fp32 inputs to bf16 on the device in every call");
        out.put("results", rows);
        CudaInfo.writeJson(Path.of(args[0]), out);
    }
}
