package org.tokenlab.cli;

import org.tokenlab.tensor.Engine;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code tokenlab bench}: training throughput (forward + backward + clipping + AdamW) of a preset on
 * random byte tokens: tokens/s and GFLOP/s with nanoGPT's estimate, 6·N + 12·L·C·T FLOPs per token
 * (N = parameters without the position table).
 *
 * <p>Warm-up: by default the untimed steps run until {@code --warmup-seconds} (10 s) have passed, at least
 * {@value #MIN_WARMUP_STEPS} steps, because C2 keeps compiling for that long: in a small-preset run the JIT
 * compiled about 3 700 methods in the first 5 s, 340 in the next 5 and 120 in the 5 after that, and its
 * compiler threads take CPU from the two training threads while it does (docs/performance-log.md, Session 6).
 * {@code --warmup N} fixes the count instead (transformer/bench/compare-torch.sh does, for repeatable rounds).
 *
 * <p>The line ends with what the FMA pipes gave the calling thread just before and just after the timed steps
 * ({@link FmaThroughput}, {@value #FMA_PROBE_MS} ms each): on a shared host another guest can take a large part of the
 * core for minutes (the bare FMA rate dropped from about 170 to 100 GFLOP/s on the Xeon, and the small step went from
 * about 132 to 165 ms with it), so a reader can tell a slow machine from a slow build (docs/performance.md §1).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure GPT training throughput (tokens/s, GFLOP/s) for a preset.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "small", description = "Preset: " + RunConfig.PRESETS + ".")
    String preset;

    /** Fewest untimed steps of a time-boxed warm-up; most warm-up steps either way; most timed steps. */
    static final int MIN_WARMUP_STEPS = 3, MAX_WARMUP_STEPS = 100_000, MAX_STEPS = 1_000_000;
    /** Milliseconds of each FMA-throughput probe around the timed steps. */
    static final int FMA_PROBE_MS = 200;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed steps first (JIT warm-up); default: as many as fit --warmup-seconds, at least "
                    + MIN_WARMUP_STEPS + ".")
    Integer warmup;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "10",
            description = "Wall time of the warm-up when --warmup is not given (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (warmup != null && (warmup < 0 || warmup > MAX_WARMUP_STEPS)) {
            throw new ParameterException(spec.commandLine(), "--warmup must be in [0, " + MAX_WARMUP_STEPS + "], got " + warmup);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new ParameterException(spec.commandLine(), "--warmup-seconds must be a finite number ≥ 0, got " + warmupSeconds);
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new ParameterException(spec.commandLine(), "--steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
        runtime.apply();
        RunConfig rc = RunConfig.preset(preset);
        GptConfig m = rc.model();
        // the step count only sizes the LR schedule, which does not change the work of a step
        int maxWarmup = warmup != null ? warmup : MAX_WARMUP_STEPS;
        TrainConfig tc = rc.train().withSteps(maxWarmup + steps).withCadence(0, 0, Integer.MAX_VALUE);
        RandomStream r = RandomStream.root(1);
        int[] data = new int[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(m.vocabSize());
        }
        Gpt model = new Gpt(m, tc.seed());
        Trainer t = new Trainer(model, tc, new TokenWindows(data, tc.batchSize(), m.blockSize(), r.child("data"), 0),
                new Batch[0], null, null);
        long w0 = System.nanoTime();
        int warmed = 0;
        if (warmup != null) {
            t.runUntil(warmed = warmup);
        } else {
            long budget = (long) (warmupSeconds * 1e9);
            while (warmed < MIN_WARMUP_STEPS || (warmed < MAX_WARMUP_STEPS && System.nanoTime() - w0 < budget)) {
                t.runUntil(++warmed);
            }
        }
        double warmSecs = (System.nanoTime() - w0) * 1e-9;
        double fmaBefore = FmaThroughput.measure(FMA_PROBE_MS);
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        t.runUntil(warmed + steps);
        double secs = (System.nanoTime() - t0) * 1e-9;
        double cpuSecs = (processCpuNanos() - cpu0) * 1e-9;
        double fmaAfter = FmaThroughput.measure(FMA_PROBE_MS);
        long tokens = (long) steps * tc.batchSize() * tc.gradAccum() * m.blockSize();
        long n = model.params().numel() - (m.positions() == GptConfig.Positions.LEARNED ? (long) m.blockSize() * m.nEmbd() : 0);
        double flopsPerToken = 6.0 * n + 12.0 * m.nLayer() * m.nEmbd() * m.blockSize();
        double tps = tokens / secs;
        System.out.printf("bench %s | backend %s | matmul %s | threads %d | B=%d T=%d | params %d | %.0f tok/s | "
                        + "%.1f GFLOP/s | %.1f ms/step | %.0f tok per CPU-second | %d timed steps after %d warm-up steps "
                        + "(%.1f s) | FMA %.0f/%.0f GFLOP/s before/after%n",
                preset, Engine.backend().name(), Engine.backend().matmulPrecision().id(), Parallel.get().threads(), tc.batchSize(), m.blockSize(),
                model.params().numel(), tps, tps * flopsPerToken * 1e-9, secs * 1e3 / steps, tokens / cpuSecs,
                steps, warmed, warmSecs, fmaBefore, fmaAfter);
        return 0;
    }

    /** CPU time of the whole process (all threads), so a run on a busy machine can still be compared. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
