package org.tokenlab.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * The Linear-layer GEMMs of one training step, SimdBackend against OpenBLAS, as the step runs them: the
 * forward {@code Y = bias + X·Wᵀ} of every layer (c_attn, c_proj, c_fc, mlp c_proj per block, then the tied
 * head), then the backward in reverse layer order, {@code dX += dY·W} and {@code dW += dYᵀ·X} (beta 1, as
 * MatmulOps.linear calls them). Every layer has its own buffers (the medium step's come to 450 MB), so
 * the operands come from memory as in training, not from a cache kept hot by repeating one shape.
 * Whole steps of the two libraries alternate in one JVM; it prints the medians per kind and per shape (summed
 * over the layers) and the median of the per-step ratios. This is what {@code GemmPeerComparison}'s isolated
 * shapes leave out.
 *
 * <p>Usage: {@code java ... org.tokenlab.jmh.TrainGemmComparison [small|medium] [threads] [seconds]}.
 * One thread is the clean comparison: with two, OpenBLAS's worker keeps spinning after each of its calls
 * and takes CPU time from SimdBackend's pool in the same process (use jmh/run-gemm-forks.sh for that).
 */
public final class TrainGemmComparison {
    /** One product: its kind (an index into KINDS), shape, and the offsets of A, B and C in the step's memory. */
    private record Gemm(int kind, int M, int N, int K, boolean transA, boolean transB, int a, int b, int c) {
        /** The row of the table this product's time adds to besides its kind's: kind and shape. */
        String shape() {
            return KINDS[kind].substring(0, KINDS[kind].indexOf(' ')) + " " + M + "×" + N + "×" + K;
        }

        int lda() {
            return transA ? M : K;
        }

        int ldb() {
            return transB ? K : N;
        }
    }

    private static final String[] KINDS = {"forward Y = X·Wᵀ", "input grad dX += dY·W", "weight grad dW += dYᵀ·X"};

    private TrainGemmComparison() {
    }

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "medium";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 20;
        int C, layers;
        switch (preset) {
            case "small" -> { C = 128; layers = 4; }
            case "medium" -> { C = 256; layers = 6; }
            default -> throw new IllegalArgumentException("preset must be small or medium, got '" + preset + "'");
        }
        int rows = 2048, vocab = 256; // B·T = 16·128 = 8·256 tokens per step in both presets
        List<Gemm> forward = new ArrayList<>(), backward = new ArrayList<>();
        int[] top = {0};
        int[][] inOut = {{C, 3 * C}, {C, C}, {C, 4 * C}, {4 * C, C}};
        for (int l = 0; l <= layers; l++) {
            for (int[] io : l < layers ? inOut : new int[][] {{C, vocab}}) { // the last "layer" is the tied head
                int in = io[0], out = io[1];
                int x = take(top, rows * in), w = take(top, out * in), y = take(top, rows * out);
                int dy = take(top, rows * out), dx = take(top, rows * in), dw = take(top, out * in);
                forward.add(new Gemm(0, rows, out, in, false, true, x, w, y));
                backward.addFirst(new Gemm(2, out, in, rows, true, false, dy, x, dw));
                backward.addFirst(new Gemm(1, rows, in, out, false, false, dy, w, dx));
            }
        }
        List<Gemm> step = new ArrayList<>(forward);
        step.addAll(backward);
        // table rows: the kinds, "all", then each distinct kind and shape in step order
        List<String> table = new ArrayList<>(Arrays.asList(KINDS));
        table.add("all");
        int[] shapeRow = new int[step.size()];
        for (int i = 0; i < step.size(); i++) {
            String shape = step.get(i).shape();
            if (!table.contains(shape)) {
                table.add(shape);
            }
            shapeRow[i] = table.indexOf(shape);
        }
        float[] memory = GemmBenchmark.random(new SplittableRandom(234), top[0]);
        HeapStorage heap = new HeapStorage(memory);
        Backend simd = Backends.create("simd");
        Parallel.setThreads(threads);
        OpenBlasNative.setThreads(threads);
        System.out.printf("# %s step, %d GEMMs, %d threads, %.0f MB of operands | OpenBLAS core=%s | JDK %s%n",
                preset, step.size(), threads, top[0] * 4e-6, OpenBlasNative.corename(), Runtime.version());
        try (FloatPointer base = new FloatPointer(memory)) {
            FloatPointer[][] operands = new FloatPointer[step.size()][]; // OpenBLAS's A, B, C per product, made once
            for (int i = 0; i < step.size(); i++) {
                Gemm g = step.get(i);
                operands[i] = new FloatPointer[] {at(base, g.a), at(base, g.b), at(base, g.c)};
            }
            List<double[]> simdMs = new ArrayList<>(), blasMs = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            for (int round = 0; round < 8 || System.nanoTime() < end; round++) {
                double[] s = new double[table.size()], o = new double[table.size()];
                for (int turn = 0; turn < 2; turn++) { // alternate which library goes first
                    boolean simdTurn = (round + turn) % 2 == 0;
                    run(step, shapeRow, simdTurn ? simd : null, heap, operands, simdTurn ? s : o);
                }
                if (round >= 3) { // the first rounds warm up both
                    simdMs.add(s);
                    blasMs.add(o);
                }
            }
            System.out.println("| GEMMs | SimdBackend ms/step | OpenBLAS ms/step | SimdBackend speed / OpenBLAS (median of steps) |");
            System.out.println("|---|---|---|---|");
            int steps = simdMs.size();
            for (int k = 0; k < table.size(); k++) {
                int kk = k;
                double[] ratio = new double[steps];
                Arrays.setAll(ratio, i -> blasMs.get(i)[kk] / simdMs.get(i)[kk]);
                System.out.printf("| %s | %.1f | %.1f | %.3f |%n", table.get(k),
                        GemmPeerComparison.median(simdMs.stream().mapToDouble(x -> x[kk]).toArray(), steps),
                        GemmPeerComparison.median(blasMs.stream().mapToDouble(x -> x[kk]).toArray(), steps),
                        GemmPeerComparison.median(ratio, steps));
            }
            System.out.println("(" + steps + " steps of each)");
        }
        Parallel.setThreads(Parallel.defaultThreads());
    }

    private static int take(int[] top, int floats) {
        int offset = top[0];
        top[0] += floats;
        return offset;
    }

    // a pointer to memory[offset] (JavaCPP: a view sharing base's memory, not a copy)
    private static FloatPointer at(FloatPointer base, int offset) {
        return new FloatPointer(base).position(offset);
    }

    // one step's GEMMs on SimdBackend (simd != null) or OpenBLAS; adds each one's milliseconds to ms[kind],
    // ms[KINDS.length] ("all") and ms[shapeRow[i]]
    private static void run(List<Gemm> step, int[] shapeRow, Backend simd, HeapStorage heap, FloatPointer[][] operands,
                            double[] ms) {
        for (int i = 0; i < step.size(); i++) {
            Gemm g = step.get(i);
            long t0 = System.nanoTime();
            if (simd != null) {
                simd.matmul(1, g.M, g.N, g.K, 1f, heap, g.a, g.lda(), 0, g.transA, heap, g.b, g.ldb(), 0, g.transB,
                        1f, heap, g.c, g.N, 0);
            } else {
                FloatPointer[] p = operands[i];
                OpenBlasNative.sgemm(g.transA, g.transB, g.M, g.N, g.K, 1f, p[0], g.lda(), p[1], g.ldb(), 1f, p[2], g.N);
            }
            double dt = (System.nanoTime() - t0) / 1e6;
            ms[g.kind] += dt;
            ms[KINDS.length] += dt;
            ms[shapeRow[i]] += dt;
        }
    }
}
