package org.tokenlab.transformer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tokenlab.tensor.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line, appended and flushed as the run goes. On resume the
 * lines after the checkpoint's step are dropped, so the file reads as if the run had never stopped.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter out;

    /** Opens {@code file} for appending, first dropping every line whose "step" exceeds {@code keepUpToStep}. */
    public MetricsLog(Path file, int keepUpToStep) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                StringBuilder kept = new StringBuilder();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = MAPPER.readTree(line);
                    if (node.path("step").asInt(Integer.MAX_VALUE) <= keepUpToStep) {
                        kept.append(line).append('\n');
                    }
                }
                AtomicFiles.writeString(file, kept.toString());
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends one record (keys in the map's order). */
    public void write(Map<String, Object> record) {
        try {
            out.write(MAPPER.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
