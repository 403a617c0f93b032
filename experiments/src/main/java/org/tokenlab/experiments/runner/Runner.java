package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.report.ReportWriter;
import org.tokenlab.experiments.report.Summary;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Runs experiments into a run folder and turns their outcomes into records: config.json, manifest.json,
 * metrics.jsonl, and per experiment results.json, report.md and plots (in a sub-folder named by the
 * experiment id when the run holds several), plus summary.md for multi-experiment runs.
 */
public final class Runner {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final ExperimentRegistry registry;
    private final PrintStream out;

    public Runner(ExperimentRegistry registry, PrintStream out) {
        this.registry = registry;
        this.out = out;
    }

    /** The default folder of a new run: {@code runs/<target>-<profile>-<timestamp>}. */
    public static Path defaultFolder(RunConfig config) {
        return Path.of("runs", config.target() + "-" + config.profile().id() + "-" + LocalDateTime.now().format(STAMP));
    }

    /** Starts a new run in {@code folder} (which must not hold a run yet). Returns the results in order. */
    public List<Results> start(RunConfig config, Path folder) {
        for (String id : config.experiments()) {
            registry.get(id); // fail before creating anything when an id is unknown
        }
        if (Files.exists(folder.resolve("config.json"))) {
            throw new IllegalArgumentException(folder + " already holds a run; use `tokenlab run --resume " + folder + "`");
        }
        Json.write(folder.resolve("config.json"), config);
        return execute(config, folder);
    }

    /** Resumes the run in {@code folder}: finished experiments and phases are skipped. */
    public List<Results> resume(Path folder) {
        Path cfg = folder.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IllegalArgumentException(folder + " is not a run folder (no config.json)");
        }
        return execute(Json.read(cfg, RunConfig.class), folder);
    }

    private List<Results> execute(RunConfig config, Path folder) {
        Parallel.setThreads(config.threads());
        String backendName = selectBackend(config.backend());
        RunManifest manifest = new RunManifest(folder.resolve("manifest.json"), config, backendName);
        manifest.write();
        Map<String, TimeBox> replay = new HashMap<>();
        if (config.timeboxFrom() != null) {
            replay.putAll(timeBoxes(Path.of(config.timeboxFrom()).resolve("manifest.json")));
        }
        replay.putAll(timeBoxes(folder.resolve("manifest.json")));
        List<Results> all = new ArrayList<>();
        try (MetricsSink metrics = new MetricsSink(folder.resolve("metrics.jsonl"))) {
            Thread hook = new Thread(() -> {
                metrics.flush();
                manifest.status("interrupted");
                System.err.println("tokenlab: interrupted; resume with `tokenlab run --resume " + folder + "`");
            }, "tokenlab-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            boolean anyFailed = false;
            for (String id : config.experiments()) {
                Results r = runOne(registry.get(id), config, folder, metrics, manifest, replay);
                anyFailed |= Results.FAILED.equals(r.status());
                all.add(r);
            }
            if (config.multi()) {
                Summary.write(all, runLine(config, manifest), folder, true);
            }
            manifest.status(anyFailed ? "finished with failures" : "finished");
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return all;
    }

    private Results runOne(Experiment e, RunConfig config, Path root, MetricsSink metrics, RunManifest manifest,
                           Map<String, TimeBox> replay) {
        Path folder = config.multi() ? root.resolve(e.id()) : root;
        Path resultsFile = folder.resolve("results.json");
        if (Files.exists(resultsFile)) {
            Results done = Json.read(resultsFile, Results.class);
            if (Results.COMPLETED.equals(done.status())) {
                out.println("[" + e.id() + "] finished in an earlier attempt, skipped");
                return done;
            }
        }
        mkdirs(folder);
        RunContext ctx = new RunContext(e.id(), config, folder, metrics, manifest, replay, out);
        Map<String, Double> before = ctx.phaseSeconds();
        double earlier = before.values().stream().mapToDouble(Double::doubleValue).sum();
        out.println("[" + e.id() + "] " + e.title() + " (profile " + config.profile() + ", seed " + config.seed() + ")");
        long t0 = System.nanoTime();
        Outcome outcome = null;
        String status;
        String error = null;
        try {
            outcome = e.run(ctx);
            status = Results.COMPLETED;
        } catch (Exception | AssertionError ex) {
            status = Results.FAILED;
            error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            out.println("[" + e.id() + "] FAILED: " + error);
            ex.printStackTrace(out);
        }
        double wall = earlier + (System.nanoTime() - t0) / 1e9;
        Outcome o = outcome != null ? outcome : Outcome.builder().build();
        Results r = new Results(e.id(), e.title(), e.paper(), e.claim(), e.analogue(), config.profile().id(),
                config.seed(), status, error, o.setup(), o.checks(), o.numbers(), o.tables(), o.figures(),
                new Results.Timings(wall, ctx.phaseSeconds(), ctx.timeBoxes()));
        Json.write(resultsFile, r);
        ReportWriter.write(r, runLine(config, manifest), folder);
        out.printf(Locale.ROOT, "[%s] %s: %d passed, %d failed, %d skipped, %d reported (%.1f s) -> %s%n", e.id(),
                status, r.count(Verdict.PASS), r.count(Verdict.FAIL), r.count(Verdict.SKIPPED),
                r.count(Verdict.REPORTED), wall, folder.resolve("report.md"));
        return r;
    }

    /**
     * Re-renders report.md, the plots and (for multi-experiment runs) summary.md from a finished run's
     * files, without running anything.
     */
    public static List<Results> rerender(Path folder) {
        Path cfgFile = folder.resolve("config.json");
        if (!Files.isRegularFile(cfgFile)) {
            throw new IllegalArgumentException(folder + " is not a run folder (no config.json)");
        }
        RunConfig config = Json.read(cfgFile, RunConfig.class);
        JsonNode manifest = Files.exists(folder.resolve("manifest.json")) ? Json.readTree(folder.resolve("manifest.json")) : null;
        String line = runLine(config, manifest == null ? "unknown" : manifest.path("gitCommit").asText("unknown"));
        List<Results> all = new ArrayList<>();
        for (String id : config.experiments()) {
            Path sub = config.multi() ? folder.resolve(id) : folder;
            Path file = sub.resolve("results.json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no results for experiment '" + id + "' in " + sub
                        + " (the run did not finish it; resume it with `tokenlab run --resume " + folder + "`)");
            }
            Results r = Json.read(file, Results.class);
            ReportWriter.write(r, line, sub);
            all.add(r);
        }
        if (config.multi()) {
            Summary.write(all, line, folder, true);
        }
        return all;
    }

    private static String runLine(RunConfig c, RunManifest manifest) {
        return runLine(c, manifest.gitCommit());
    }

    private static String runLine(RunConfig c, String commit) {
        return String.format(Locale.ROOT, "Run: profile `%s`, seed %d, %d thread(s), backend `%s`, commit `%s`.",
                c.profile().id(), c.seed(), c.threads(), c.backend(), commit.length() > 12 ? commit.substring(0, 12) : commit);
    }

    private static Map<String, TimeBox> timeBoxes(Path manifestFile) {
        Map<String, TimeBox> m = new HashMap<>();
        if (!Files.isRegularFile(manifestFile)) {
            return m;
        }
        JsonNode boxes = Json.readTree(manifestFile).path("timeBoxes");
        boxes.properties().forEach(en -> m.put(en.getKey(), Json.convert(en.getValue(), TimeBox.class)));
        return m;
    }

    /**
     * Maps {@code --backend} onto the backend registry and installs it in {@link Engine}: "cpu" is the
     * default (SIMD when available, else scalar); the others are forced by name and fail with the reason
     * when unavailable. Returns the installed backend's name.
     */
    static String selectBackend(String backend) {
        switch (backend) {
            case "cpu" -> System.clearProperty(Backends.PROPERTY);
            case "scalar", "simd", "cuda" -> System.setProperty(Backends.PROPERTY, backend);
            default -> throw new IllegalArgumentException("unknown backend '" + backend + "'; known: cpu, scalar, simd, cuda");
        }
        Backend b = Backends.defaultBackend();
        Engine.setBackend(b);
        return b.name();
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
    }
}
