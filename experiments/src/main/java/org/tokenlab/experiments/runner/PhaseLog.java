package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code phases.json} of an experiment folder: for every finished phase, its result (JSON) and its wall
 * time. Rewritten atomically after each phase, so a run killed at any moment can be resumed: finished
 * phases are skipped and return their stored result, an unfinished phase runs again.
 */
final class PhaseLog {
    /** One finished phase. */
    record Entry(JsonNode result, double seconds) {
    }

    private final Path file;
    private final Map<String, Entry> done = new LinkedHashMap<>();

    PhaseLog(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            JsonNode root = Json.readTree(file);
            if (!(root instanceof ObjectNode obj)) {
                throw new IllegalStateException(file + ": expected a JSON object of phases");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode seconds = e.getValue().get("seconds");
                if (!e.getValue().has("result") || seconds == null) {
                    throw new IllegalStateException(file + ": phase '" + e.getKey() + "' lacks 'result' or 'seconds'");
                }
                done.put(e.getKey(), new Entry(e.getValue().get("result"), seconds.asDouble()));
            }
        }
    }

    synchronized Entry get(String phase) {
        return done.get(phase);
    }

    synchronized void put(String phase, JsonNode result, double seconds) {
        done.put(phase, new Entry(result, seconds));
        Json.write(file, done);
    }

    /** Phase name → wall seconds, in completion order. */
    synchronized Map<String, Double> seconds() {
        Map<String, Double> m = new LinkedHashMap<>();
        done.forEach((k, v) -> m.put(k, v.seconds()));
        return m;
    }
}
