package org.tokenlab.tensor.io;

import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated JSON header of a safetensors file: one {@link Entry} per tensor, sorted by position in
 * the data region, the {@code __metadata__} string map, and the data region's length in bytes.
 *
 * <p>{@link #parse} is strict. It rejects: text that is not a JSON object; an entry that is not an
 * object, lacks or adds keys beside {@code dtype}, {@code shape}, {@code data_offsets}; an unknown or
 * unsupported dtype; a shape that is not a list of non-negative integers or whose element count does
 * not fit a Java array; data offsets that are not two integers with {@code 0 <= begin <= end <=
 * dataLength}; a byte length other than elements × dtype size; tensors that overlap or leave holes in
 * the data region; duplicate names; and a {@code __metadata__} that is not a string → string object.
 */
public record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataLength) {

    /** The reserved header key of the free-form string map. */
    public static final String METADATA_KEY = "__metadata__";

    /** The largest element count of one tensor (the usual JVM limit on array length). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** One tensor's header entry; begin and end are byte offsets into the data region. */
    public record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {
        /** Number of elements. */
        public int numel() {
            return (int) ((end - begin) / dtype.bytes);
        }
    }

    /**
     * Parses and validates {@code json}, the header of {@code file} (named in errors only), whose data
     * region is {@code dataLength} bytes long.
     */
    public static SafeTensorsHeader parse(Path file, String json, long dataLength) throws SafeTensorsFormatException {
        Object root;
        try {
            root = StrictJson.parse(json);
        } catch (ParseException e) {
            throw new SafeTensorsFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SafeTensorsFormatException(file, "header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(file, e.getValue());
            } else {
                entries.add(entry(file, name, e.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        checkCoverage(file, entries, dataLength);
        return new SafeTensorsHeader(Collections.unmodifiableList(entries), metadata, dataLength);
    }

    private static Map<String, String> metadata(Path file, Object value) throws SafeTensorsFormatException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafeTensorsFormatException(file, METADATA_KEY + " value of key '" + e.getKey()
                        + "' is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(Path file, String name, Object value, long dataLength)
            throws SafeTensorsFormatException {
        String where = "tensor '" + name + "': ";
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafeTensorsFormatException(file, where + "entry is not a JSON object");
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!m.containsKey(key)) {
                throw new SafeTensorsFormatException(file, where + "missing \"" + key + "\"");
            }
        }
        for (Object key : m.keySet()) {
            if (!ENTRY_KEYS.contains(key)) {
                throw new SafeTensorsFormatException(file, where + "unexpected key \"" + key + "\"");
            }
        }
        if (!(m.get("dtype") instanceof String dtypeName)) {
            throw new SafeTensorsFormatException(file, where + "dtype is not a string");
        }
        Dtype dtype = Dtype.parse(dtypeName);
        if (dtype == null) {
            throw new SafeTensorsFormatException(file, where + "unknown or unsupported dtype '" + dtypeName
                    + "' (TokenLab reads F32, BF16, F16)");
        }
        long[] dims = integers(file, where + "shape", m.get("shape"));
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new SafeTensorsFormatException(file, where + "negative dimension in shape " + Arrays.toString(dims));
            }
            if (dims[i] > MAX_ELEMENTS) {
                throw new SafeTensorsFormatException(file, where + "dimension " + dims[i] + " in shape "
                        + Arrays.toString(dims) + " exceeds a Java array");
            }
            shape[i] = (int) dims[i];
            // numel <= MAX_ELEMENTS < 2^31 and dims[i] < 2^31 before each product: no long overflow.
            numel *= dims[i];
            if (numel > MAX_ELEMENTS) {
                throw new SafeTensorsFormatException(file, where + "shape " + Arrays.toString(dims)
                        + " has more elements than fit in a Java array (overflow)");
            }
        }
        long[] offsets = integers(file, where + "data_offsets", m.get("data_offsets"));
        if (offsets.length != 2) {
            throw new SafeTensorsFormatException(file, where + "data_offsets must be [begin, end], got "
                    + offsets.length + " numbers");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < 0 || begin > dataLength || end > dataLength) {
            throw new SafeTensorsFormatException(file, where + "data_offsets [" + begin + ", " + end
                    + "] out of range of the " + dataLength + "-byte data region");
        }
        if (begin > end) {
            throw new SafeTensorsFormatException(file, where + "data_offsets begin " + begin + " > end " + end);
        }
        if (end - begin != numel * dtype.bytes) {
            throw new SafeTensorsFormatException(file, where + "shape " + Arrays.toString(dims) + " × " + dtype
                    + " needs " + numel * dtype.bytes + " bytes but data_offsets span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of integers as long[]; the array's own size is bounded by the header's. */
    private static long[] integers(Path file, String what, Object value) throws SafeTensorsFormatException {
        if (!(value instanceof List<?> list)) {
            throw new SafeTensorsFormatException(file, what + " is not a JSON array");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw new SafeTensorsFormatException(file, what + " element " + i + " is not an integer");
            }
            out[i] = l;
        }
        return out;
    }

    /** Entries sorted by (begin, end) must tile [0, dataLength) exactly: no overlap, no hole. */
    private static void checkCoverage(Path file, List<Entry> sorted, long dataLength) throws SafeTensorsFormatException {
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw new SafeTensorsFormatException(file, "tensor '" + e.name + "' [" + e.begin + ", " + e.end
                        + ") overlaps tensor '" + previous + "' ending at " + expected);
            }
            if (e.begin > expected) {
                throw new SafeTensorsFormatException(file, "hole in the data region: bytes [" + expected + ", "
                        + e.begin + ") belong to no tensor");
            }
            expected = e.end;
            previous = e.name;
        }
        if (expected != dataLength) {
            throw new SafeTensorsFormatException(file, "hole in the data region: bytes [" + expected + ", "
                    + dataLength + ") belong to no tensor");
        }
    }
}
