package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tokenlab.experiments.Profile;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * What a running experiment sees: its profile and seed, a root random stream (derived from the run seed
 * and the experiment id, so experiments never share randomness), the thread count, its folder, the
 * metrics sink, resumable phases, time boxes, progress bars, and the manifest's data and weight hashes.
 */
public final class RunContext {
    private final String experimentId;
    private final RunConfig config;
    private final Path folder;
    private final MetricsSink metrics;
    private final RunManifest manifest;
    private final PhaseLog phases;
    private final Map<String, TimeBox> replayTimeBoxes;
    private final Map<String, TimeBox> timeBoxes = new HashMap<>();
    private final PrintStream out;

    RunContext(String experimentId, RunConfig config, Path folder, MetricsSink metrics, RunManifest manifest,
               Map<String, TimeBox> replayTimeBoxes, PrintStream out) {
        this.experimentId = experimentId;
        this.config = config;
        this.folder = folder;
        this.metrics = metrics;
        this.manifest = manifest;
        this.phases = new PhaseLog(folder.resolve("phases.json"));
        this.replayTimeBoxes = replayTimeBoxes;
        this.out = out;
    }

    public String experimentId() {
        return experimentId;
    }

    public Profile profile() {
        return config.profile();
    }

    public long seed() {
        return config.seed();
    }

    public int threads() {
        return config.threads();
    }

    /** The backend name requested on the command line (cpu, scalar, simd, cuda). */
    public String backend() {
        return config.backend();
    }

    /** This experiment's root stream: {@code RandomStream.root(seed).child(experimentId)}. */
    public RandomStream random() {
        return RandomStream.root(config.seed()).child(experimentId);
    }

    /** The experiment's folder (results.json, report.md, plots). */
    public Path folder() {
        return folder;
    }

    /** The experiment's checkpoint folder, created on first use. */
    public Path checkpoints() {
        Path p = folder.resolve("checkpoints");
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Prints one progress line prefixed with the experiment id. */
    public void log(String message) {
        out.println("[" + experimentId + "] " + message);
    }

    /** Appends one line to metrics.jsonl (keys such as tokens, loss, lr, gradNorm, tokensPerSecond). */
    public void metric(String phase, long step, Map<String, ?> values) {
        metrics.log(experimentId, phase, step, values);
    }

    /**
     * Runs a resumable phase. If the run folder records {@code name} as finished, its stored result is
     * returned without running {@code body}; otherwise {@code body} runs, and its result (serialised to
     * JSON as {@code type}) and wall time are recorded before returning. A phase killed mid-way runs again
     * on resume (it may resume from its own checkpoint in {@link #checkpoints()}).
     */
    public <T> T phase(String name, Class<T> type, Callable<T> body) throws Exception {
        PhaseLog.Entry done = phases.get(name);
        if (done != null) {
            log("phase " + name + ": finished in an earlier attempt, skipped");
            return Json.convert(done.result(), type);
        }
        log("phase " + name + " ...");
        long t0 = System.nanoTime();
        T result = body.call();
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode tree = Json.MAPPER.valueToTree(result);
        // Round-trip now, so a result type that cannot be read back fails here and not on resume.
        T stored = Json.convert(tree, type);
        phases.put(name, tree, seconds);
        manifest.phase(experimentId + "/" + name, seconds);
        log(String.format(java.util.Locale.ROOT, "phase %s done in %.1f s", name, seconds));
        return stored;
    }

    /** Wall seconds of each finished phase (including those of earlier attempts). */
    public Map<String, Double> phaseSeconds() {
        return phases.seconds();
    }

    /**
     * Decides a training phase's step count. The first {@code probeSteps} steps run here through
     * {@code step} (they are real training steps) and are timed; the total is then fitted to
     * {@code budgetSeconds} and clamped to [{@code minSteps}, {@code maxSteps}]. The smoke profile never
     * measures: it takes {@code minSteps}. A decision found in the run folder (resume) or in
     * {@code --timebox-from} is replayed instead of measured. The caller runs steps
     * [{@code probeSteps}, {@code steps}) itself.
     */
    public TimeBox timeBox(String name, double budgetSeconds, long tokensPerStep, int probeSteps,
                           long minSteps, long maxSteps, Runnable step) {
        if (probeSteps < 1 || probeSteps > minSteps) {
            throw new IllegalArgumentException("time box '" + name + "': need 1 ≤ probeSteps ≤ minSteps, got "
                    + probeSteps + " and " + minSteps);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < probeSteps; i++) {
            step.run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String key = experimentId + "/" + name;
        TimeBox tb;
        TimeBox replay = replayTimeBoxes.get(key);
        if (replay != null) {
            tb = new TimeBox(name, budgetSeconds, tokensPerStep, probeSteps, 0, replay.steps(), "replayed");
        } else if (config.profile() == Profile.SMOKE) {
            tb = new TimeBox(name, budgetSeconds, tokensPerStep, probeSteps, 0, minSteps, "fixed");
        } else {
            double tps = probeSteps * (double) tokensPerStep / Math.max(seconds, 1e-9);
            long steps = TimeBox.stepsFor(budgetSeconds, tps, tokensPerStep, minSteps, maxSteps);
            tb = new TimeBox(name, budgetSeconds, tokensPerStep, probeSteps, tps, steps, "measured");
        }
        timeBoxes.put(name, tb);
        manifest.timeBox(key, tb);
        manifest.tokens(key, tb.tokens());
        log("time box " + name + ": " + tb.steps() + " steps (" + tb.source() + ")");
        return tb;
    }

    /** Time-box decisions taken in this attempt, by phase name. */
    public Map<String, TimeBox> timeBoxes() {
        return Map.copyOf(timeBoxes);
    }

    /** Records tokens processed by a phase that is not time-boxed. */
    public void tokens(String name, long tokens) {
        manifest.tokens(experimentId + "/" + name, tokens);
    }

    /** A progress bar (terminal) or progress lines (logs) for {@code total} units of {@code task}. */
    public Progress progress(String task, long total) {
        return new Progress(experimentId + " " + task, total, out, out == System.out && Progress.stdoutIsTerminal());
    }

    /** Records the sha256 of data the experiment read. */
    public void recordData(String name, byte[] bytes) {
        manifest.data(name, Hashes.sha256(bytes));
    }

    /** Records the sha256 of a trained model's weights. */
    public void recordWeights(String model, String sha256) {
        manifest.weights(experimentId + "/" + model, sha256);
    }
}
