package org.tokenlab.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.tensor.simd.FmaThroughput;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;

/**
 * How a training step's time follows the host's phases: for SECONDS, blocks of three training steps of a preset on
 * one thread (their median, ms), each followed by what the FMA pipes give this thread ({@link FmaThroughput}, 50 ms)
 * and a stream add over three 32 MB arrays (GB/s, memory bandwidth). One line per block, then the step's median
 * by bands of the FMA rate, so a reader sees how much of a slow round is the machine (docs/performance.md §1).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector ... org.tokenlab.jmh.StepPhases [preset] [seconds]}
 * (defaults small, 300).
 */
public final class StepPhases {
    /** Written so that C2 keeps the stream loop; never read. */
    private static volatile float sink;

    private StepPhases() {
    }

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "small";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 300;
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("StepPhases: seconds must be a positive finite number, got " + args[1]);
        }
        Parallel.setThreads(1);
        RunConfig rc = RunConfig.preset(preset);
        GptConfig m = rc.model();
        TrainConfig tc = rc.train().withSteps(1_000_000).withCadence(0, 0, Integer.MAX_VALUE);
        RandomStream r = RandomStream.root(1);
        int[] data = new int[1 << 20];
        for (int j = 0; j < data.length; j++) {
            data[j] = r.nextInt(m.vocabSize());
        }
        Trainer trainer = new Trainer(new Gpt(m, tc.seed()), tc,
                new TokenWindows(data, tc.batchSize(), m.blockSize(), r.child("data"), 0), new Batch[0], null, null);
        int n = 8 << 20; // floats: 32 MB per array, past L2 (2 MB)
        float[] x = new float[n], y = new float[n], z = new float[n];
        Arrays.fill(x, 1f);
        Arrays.fill(y, 2f);
        System.out.printf("# StepPhases %s, 1 thread, %.0f s | JDK %s%n# block step_ms fma_gflops stream_gbs%n", preset, seconds,
                Runtime.version());
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int done = 0;
        List<double[]> rows = new ArrayList<>();
        for (int block = 0; System.nanoTime() < end; block++) {
            double[] step = new double[3];
            for (int s = 0; s < 3; s++) {
                long t0 = System.nanoTime();
                trainer.runUntil(++done);
                step[s] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(step);
            double fma = FmaThroughput.measure(50);
            long t0 = System.nanoTime();
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < n; i++) {
                    z[i] = x[i] + y[i];
                }
            }
            double gbs = 3.0 * 3 * n * Float.BYTES / (System.nanoTime() - t0);
            sink = z[block % n];
            if (block >= 5) { // the first blocks include JIT compilation
                System.out.printf("%d %.1f %.1f %.1f%n", block, step[1], fma, gbs);
                rows.add(new double[] {step[1], fma, gbs});
            }
        }
        double best = rows.stream().mapToDouble(v -> v[1]).max().orElse(0);
        System.out.printf("# by FMA rate, as a fraction of the best block's %.1f GFLOP/s:%n", best);
        double[][] bands = {{0.95, 2}, {0.85, 0.95}, {0.7, 0.85}, {0, 0.7}};
        for (double[] band : bands) {
            double[] steps = rows.stream().filter(v -> v[1] >= band[0] * best && v[1] < band[1] * best).mapToDouble(v -> v[0]).sorted().toArray();
            if (steps.length > 0) {
                System.out.printf("# FMA %.2f-%.2f of best: %d blocks, step median %.1f ms (quartiles %.1f-%.1f)%n", band[0],
                        Math.min(1, band[1]), steps.length, steps[steps.length / 2], steps[steps.length / 4], steps[3 * steps.length / 4]);
            }
        }
    }
}
