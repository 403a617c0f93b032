package org.tokenlab.theory.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * BPE vocabulary files. Format (version 1), written deterministically (same merges → same bytes):
 * <pre>
 * {"format":"tokenlab-bpe","version":1,"pretokenizer":"none"|"whitespace",
 *  "alphabet":[0,1,...],            // unsigned byte values, strictly ascending; ids 0..A-1
 *  "merges":[[left,right],...]}     // merge r creates id A + r from two ids &lt; A + r
 * </pre>
 * Loading validates everything and names the file and the field in every error.
 */
public final class BpeJson {
    /** The {@code format} tag. */
    public static final String FORMAT = "tokenlab-bpe";
    /** The only version this code reads and writes. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BpeJson() {
    }

    /** The JSON text of {@code bpe}. */
    public static String toJson(BpeTokenizer bpe) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("pretokenizer", bpe.pretokenizer().id());
        ArrayNode alphabet = root.putArray("alphabet");
        for (int v : bpe.alphabet().values()) {
            alphabet.add(v);
        }
        ArrayNode merges = root.putArray("merges");
        for (int[] m : bpe.merges()) {
            merges.addArray().add(m[0]).add(m[1]);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bpe} to {@code file} atomically (temp file in the same folder, then rename). */
    public static void save(BpeTokenizer bpe, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, toJson(bpe));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads and validates a BPE file. */
    public static BpeTokenizer load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * Parses JSON text; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException "source: field: what was expected"
     */
    public static BpeTokenizer parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw error(source, "(root)", "expected a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw error(source, "format", "expected \"" + FORMAT + "\", found " + root.get("format"));
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != VERSION) {
            throw error(source, "version", "unsupported version " + version + "; this build reads version " + VERSION);
        }
        JsonNode pre = root.get("pretokenizer");
        Pretokenizer pretokenizer = pre != null && pre.isTextual() ? Pretokenizer.byId(pre.textValue()) : null;
        if (pretokenizer == null) {
            throw error(source, "pretokenizer", "expected \"none\" or \"whitespace\", found " + pre);
        }
        JsonNode alphabetNode = root.get("alphabet");
        if (alphabetNode == null || !alphabetNode.isArray() || alphabetNode.isEmpty()) {
            throw error(source, "alphabet", "expected a non-empty array of byte values");
        }
        int[] values = new int[alphabetNode.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = alphabetNode.get(i);
            if (!v.isInt() || v.intValue() < 0 || v.intValue() > 255) {
                throw error(source, "alphabet[" + i + "]", "expected a byte value 0..255, found " + v);
            }
            if (i > 0 && v.intValue() <= values[i - 1]) {
                throw error(source, "alphabet[" + i + "]", "values must be strictly ascending, found " + v.intValue() + " after " + values[i - 1]);
            }
            values[i] = v.intValue();
        }
        JsonNode mergesNode = root.get("merges");
        if (mergesNode == null || !mergesNode.isArray()) {
            throw error(source, "merges", "expected an array of [left, right] pairs");
        }
        int[][] merges = new int[mergesNode.size()][];
        LongIntMap seen = new LongIntMap(merges.length + 1);
        for (int r = 0; r < merges.length; r++) {
            JsonNode m = mergesNode.get(r);
            if (!m.isArray() || m.size() != 2) {
                throw error(source, "merges[" + r + "]", "expected a pair [left, right], found " + m);
            }
            merges[r] = new int[2];
            for (int side = 0; side < 2; side++) {
                JsonNode id = m.get(side);
                int limit = values.length + r;
                if (!id.isInt() || id.intValue() < 0 || id.intValue() >= limit) {
                    throw error(source, "merges[" + r + "][" + side + "]", "expected a token id in [0, " + limit + "), found " + id);
                }
                merges[r][side] = id.intValue();
            }
            long key = BpeTokenizer.pairKey(merges[r][0], merges[r][1]);
            if (seen.get(key, -1) >= 0) {
                throw error(source, "merges[" + r + "]", "duplicates merges[" + seen.get(key, -1) + "]");
            }
            seen.put(key, r);
        }
        return new BpeTokenizer(Alphabet.ofValues(values), merges, pretokenizer);
    }

    private static IllegalArgumentException error(String source, String field, String what) {
        return new IllegalArgumentException(source + ": " + field + ": " + what);
    }
}
