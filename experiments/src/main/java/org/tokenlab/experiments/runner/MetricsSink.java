package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line ({@code experiment, phase, step} first, then the
 * values: tokens, loss, lr, gradNorm, tokensPerSecond, ...). Appended, and flushed after every line so
 * that a killed run keeps every line it logged. A resumed phase appends again from where it re-enters.
 */
public final class MetricsSink implements AutoCloseable {
    private final Path file;
    private BufferedWriter out;

    /** Opens (appending to) {@code file}. */
    public MetricsSink(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Logs one line; {@code values} must be JSON-serialisable (numbers, strings). */
    public synchronized void log(String experiment, String phase, long step, Map<String, ?> values) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("experiment", experiment);
        line.put("phase", phase);
        line.put("step", step);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (line.containsKey(e.getKey())) {
                throw new IllegalArgumentException("metric key '" + e.getKey() + "' is reserved");
            }
            Object v = e.getValue();
            // JSON has no NaN/Infinity: write them as strings rather than produce an unreadable line.
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                v = d.toString();
            } else if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
                v = f.toString();
            }
            line.put(e.getKey(), v);
        }
        if (out == null) {
            throw new IllegalStateException("metrics file " + file + " is closed");
        }
        try {
            out.write(Json.LINE.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metric values are not serialisable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Flushes buffered lines (also called by the Ctrl-C hook). */
    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                // the hook must not throw; the lines already flushed are on disk
            }
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                out = null;
            }
        }
    }
}
