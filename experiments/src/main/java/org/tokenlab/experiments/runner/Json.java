package org.tokenlab.experiments.runner;

import org.tokenlab.tensor.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Jackson mapper of the runner: pretty-printed, map keys sorted, so that the same values always
 * give the same bytes (results.json is compared byte for byte across runs).
 */
public final class Json {
    /** Pretty, key-sorted mapper for record files. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /** Compact mapper for one-object-per-line files (metrics.jsonl). */
    public static final ObjectMapper LINE = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    /** Pretty JSON text of {@code value}, ending with a newline. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as pretty JSON to {@code file}, atomically. */
    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, pretty(value));
    }

    /** Reads a JSON file as a tree, failing with the file name when it is missing or malformed. */
    public static JsonNode readTree(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON file into {@code type}, failing with the file name when it is missing or malformed. */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Converts a tree (e.g. a stored phase result) into {@code type}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot convert stored JSON to " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
