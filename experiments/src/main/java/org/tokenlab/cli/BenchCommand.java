package org.tokenlab.cli;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code tokenlab bench}: training throughput (forward + backward + clipping + AdamW) of a preset on
 * random byte tokens: tokens/s and GFLOP/s with nanoGPT's estimate, 6·N + 12·L·C·T FLOPs per token
 * (N = parameters without the position table).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure GPT training throughput (tokens/s, GFLOP/s) for a preset.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "small", description = "Preset: " + RunConfig.PRESETS + ".")
    String preset;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (JIT warm-up).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps.")
    int steps;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply();
        RunConfig rc = RunConfig.preset(preset);
        GptConfig m = rc.model();
        TrainConfig tc = rc.train().withSteps(warmup + steps).withCadence(0, 0, Integer.MAX_VALUE);
        RandomStream r = RandomStream.root(1);
        int[] data = new int[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(m.vocabSize());
        }
        Gpt model = new Gpt(m, tc.seed());
        Trainer t = new Trainer(model, tc, new TokenWindows(data, tc.batchSize(), m.blockSize(), r.child("data"), 0),
                new Batch[0], null, null);
        t.runUntil(warmup);
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        t.runUntil(warmup + steps);
        double secs = (System.nanoTime() - t0) * 1e-9;
        double cpuSecs = (processCpuNanos() - cpu0) * 1e-9;
        long tokens = (long) steps * tc.batchSize() * tc.gradAccum() * m.blockSize();
        long n = model.params().numel() - (m.positions() == GptConfig.Positions.LEARNED ? (long) m.blockSize() * m.nEmbd() : 0);
        double flopsPerToken = 6.0 * n + 12.0 * m.nLayer() * m.nEmbd() * m.blockSize();
        double tps = tokens / secs;
        System.out.printf("bench %s | backend %s | threads %d | B=%d T=%d | params %d | %.0f tok/s | %.1f GFLOP/s | "
                        + "%.1f ms/step | %.0f tok per CPU-second%n",
                preset, Engine.backend().name(), Parallel.get().threads(), tc.batchSize(), m.blockSize(),
                model.params().numel(), tps, tps * flopsPerToken * 1e-9, secs * 1e3 / steps, tokens / cpuSecs);
        return 0;
    }

    /** CPU time of the whole process (all threads), so a run on a busy machine can still be compared. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
