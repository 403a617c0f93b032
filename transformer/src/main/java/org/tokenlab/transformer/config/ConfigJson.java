package org.tokenlab.transformer.config;

import org.tokenlab.tensor.io.AtomicFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON reading and writing of configurations. A file may give only some keys; the others come from a
 * base configuration (a preset). Unknown keys are rejected with the key and the file named, and
 * out-of-range values with the field named (the records validate themselves).
 */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigJson() {
    }

    /** The shared mapper (indenting, strict). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a run configuration: keys of {@code model} and {@code train} override {@code base}. */
    public static RunConfig readRun(Path file, RunConfig base) {
        JsonNode root = readTree(file);
        ObjectNode merged = MAPPER.valueToTree(base);
        mergeStrict(merged, root, "", file);
        return convert(merged, RunConfig.class, file);
    }

    /** Reads a model configuration, every key required or taken from {@code base}. */
    public static GptConfig readModel(Path file, GptConfig base) {
        ObjectNode merged = MAPPER.valueToTree(base);
        mergeStrict(merged, readTree(file), "", file);
        return convert(merged, GptConfig.class, file);
    }

    /** A model configuration from a JSON string (a checkpoint's metadata), with every key required. */
    public static GptConfig modelFromJson(String json, String where) {
        try {
            return MAPPER.readValue(json, GptConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(where + ": bad model configuration: " + rootMessage(e), e);
        }
    }

    /** The JSON text of any configuration record. */
    public static String toJson(Object config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code config} to {@code file} atomically (temp file + rename). */
    public static void write(Path file, Object config) {
        AtomicFiles.writeString(file, toJson(config) + "\n");
    }

    private static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object at the top level");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Copies {@code src} into {@code dst}, refusing any key {@code dst} (the full schema) does not have. */
    private static void mergeStrict(ObjectNode dst, JsonNode src, String path, Path file) {
        Iterator<Map.Entry<String, JsonNode>> it = src.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path + e.getKey();
            JsonNode existing = dst.get(e.getKey());
            if (existing == null) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "'; known keys here: "
                        + fieldNames(dst));
            }
            if (existing.isObject()) {
                if (!e.getValue().isObject()) {
                    throw new IllegalArgumentException(file + ": key '" + key + "' must be an object");
                }
                mergeStrict((ObjectNode) existing, e.getValue(), key + ".", file);
            } else {
                dst.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String fieldNames(ObjectNode node) {
        StringBuilder sb = new StringBuilder();
        node.fieldNames().forEachRemaining(n -> sb.append(sb.isEmpty() ? "" : ", ").append(n));
        return sb.toString();
    }

    private static <T> T convert(ObjectNode node, Class<T> type, Path file) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": " + rootMessage(e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The validation message of a record constructor, or Jackson's own message without its location. */
    private static String rootMessage(com.fasterxml.jackson.core.JacksonException e) {
        if (e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        return e.getOriginalMessage();
    }
}
