package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: where and how a run ran (git commit, JDK, JVM flags, OS/CPU, backend, threads,
 * seed, profile), what it read (data sha256), what it spent (wall time per phase, tokens processed) and
 * what it produced (weight hashes). Rewritten atomically whenever it changes; a resumed run keeps the
 * entries of its earlier attempts.
 */
public final class RunManifest {
    private final Path file;
    private final Map<String, Object> fixed = new LinkedHashMap<>();
    private final Map<String, String> dataSha256 = new TreeMap<>();
    private final Map<String, String> weightSha256 = new TreeMap<>();
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private final Map<String, Long> tokens = new TreeMap<>();
    private final Map<String, Object> timeBoxes = new TreeMap<>();
    private String status = "running";
    private final long startNanos = System.nanoTime();
    private double priorWallSeconds;
    private int attempts = 1;

    RunManifest(Path file, RunConfig config, String backendName) {
        this.file = file;
        fixed.put("gitCommit", Environment.gitCommit());
        fixed.put("jdk", Environment.jdkLine());
        fixed.put("jvmFlags", Environment.jvmFlags());
        fixed.put("osCpu", Environment.osCpuLine());
        fixed.put("capabilities", Environment.capabilityLine());
        fixed.put("backend", config.backend());
        fixed.put("backendInstalled", backendName);
        fixed.put("threads", config.threads());
        fixed.put("seed", config.seed());
        fixed.put("profile", config.profile().id());
        fixed.put("experiments", config.experiments());
        if (Files.exists(file)) {
            restore(Json.readTree(file));
        }
        fixed.put("startedAt", Instant.now().toString());
    }

    private void restore(JsonNode old) {
        copy(old.get("dataSha256"), dataSha256);
        copy(old.get("weightSha256"), weightSha256);
        if (old.has("phaseSeconds")) {
            old.get("phaseSeconds").properties().forEach(e -> phaseSeconds.put(e.getKey(), e.getValue().asDouble()));
        }
        if (old.has("tokensProcessed")) {
            old.get("tokensProcessed").properties().forEach(e -> tokens.put(e.getKey(), e.getValue().asLong()));
        }
        if (old.has("timeBoxes")) {
            old.get("timeBoxes").properties().forEach(e -> timeBoxes.put(e.getKey(), e.getValue()));
        }
        priorWallSeconds = old.path("wallSeconds").asDouble(0);
        attempts = old.path("attempts").asInt(1) + 1;
    }

    private static void copy(JsonNode node, Map<String, String> into) {
        if (node != null) {
            node.properties().forEach(e -> into.put(e.getKey(), e.getValue().asText()));
        }
    }

    synchronized void data(String name, String sha256) {
        String old = dataSha256.put(name, sha256);
        if (old != null && !old.equals(sha256)) {
            throw new IllegalStateException("data '" + name + "' changed between attempts of this run: sha256 "
                    + old + " then " + sha256);
        }
        write();
    }

    synchronized void weights(String model, String sha256) {
        weightSha256.put(model, sha256);
        write();
    }

    synchronized void phase(String name, double seconds) {
        phaseSeconds.put(name, seconds);
        write();
    }

    synchronized void tokens(String name, long n) {
        tokens.put(name, n);
        write();
    }

    synchronized void timeBox(String name, TimeBox tb) {
        timeBoxes.put(name, tb);
        write();
    }

    /** Marks the run "finished", "interrupted" or "failed" and writes the file. */
    public synchronized void status(String s) {
        status = s;
        write();
    }

    /** The git commit recorded for this run. */
    public String gitCommit() {
        return String.valueOf(fixed.get("gitCommit"));
    }

    /** Total tokens processed so far, over all phases. */
    public synchronized long totalTokens() {
        return tokens.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized void write() {
        Map<String, Object> m = new LinkedHashMap<>(fixed);
        m.put("status", status);
        m.put("attempts", attempts);
        m.put("updatedAt", Instant.now().toString());
        m.put("wallSeconds", priorWallSeconds + (System.nanoTime() - startNanos) / 1e9);
        m.put("dataSha256", dataSha256);
        m.put("weightSha256", weightSha256);
        m.put("phaseSeconds", phaseSeconds);
        m.put("tokensProcessed", tokens);
        m.put("totalTokens", tokens.values().stream().mapToLong(Long::longValue).sum());
        m.put("timeBoxes", timeBoxes);
        Json.write(file, m);
    }
}
