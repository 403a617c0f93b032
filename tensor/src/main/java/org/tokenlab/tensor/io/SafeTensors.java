package org.tokenlab.tensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads and writes the safetensors format (the Hugging Face checkpoint format):
 *
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  UTF-8 JSON: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 *                           "__metadata__": {"key": "value", ...}}   (padded with spaces)
 *   [rest]     the data region; each tensor's bytes are [begin, end) of it, little-endian, row-major
 * </pre>
 *
 * <p>Writing supports F32, BF16 and F16 (the narrow types round to nearest even); tensors are laid out
 * in name order and the header is padded to a multiple of 8 bytes, so equal inputs give byte-identical
 * files. The file is written to a temporary file in the same folder and moved into place atomically.
 *
 * <p>Reading is strict ({@link SafeTensorsHeader} lists what it rejects) and never allocates from a size
 * the file claims before checking it against the file's real length: the header buffer (at most
 * {@link #MAX_HEADER_BYTES}, at most the file), then the parsed header (in proportion to the header
 * bytes present), then the float32 values of tensors whose entries all passed validation.
 */
public final class SafeTensors {
    /** Headers longer than this (100 MB) are rejected, as the reference implementation does. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Bytes moved per read or write call when streaming tensor data. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Distinguishes temporary files of concurrent writes from one process. */
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private SafeTensors() {
    }

    /** The contents of a file: tensors in data-region order, and the metadata string map. */
    public record Contents(LinkedHashMap<String, TensorData> tensors, Map<String, String> metadata) {
        /** The tensor called {@code name}; fails naming the ones that exist when absent. */
        public TensorData get(String name) {
            TensorData t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor '" + name + "'; present: " + tensors.keySet());
            }
            return t;
        }
    }

    // ------------------------------------------------------------------------------------------ write

    /**
     * Writes {@code tensors} (each stored in its own dtype) and {@code metadata} to {@code file}
     * atomically: a reader never sees a half-written file, and on failure the old file (if any) stays.
     * The folder must exist. Tensor names must be non-empty and may not be {@code "__metadata__"}.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        TreeMap<String, TensorData> ordered = new TreeMap<>();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            if (name.isEmpty() || name.equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "' for " + file);
            }
            ordered.put(name, Objects.requireNonNull(e.getValue(), "tensor " + name));
        }
        byte[] header = encodeHeader(file, ordered, new TreeMap<>(metadata));

        Path target = file.toAbsolutePath();
        // A fresh name beside the target (same file system, so the move can be atomic); CREATE_NEW never
        // clobbers, and unlike createTempFile the file gets the usual umask permissions.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + TEMP_COUNTER.incrementAndGet() + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false;
        try {
            try (FileChannel ch = channel) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                flush(ch, buf);
                writeFully(ch, ByteBuffer.wrap(header));
                for (TensorData t : ordered.values()) {
                    writeValues(ch, buf, t);
                }
                flush(ch, buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The JSON header, UTF-8, padded with spaces so that 8 + its length is a multiple of 8. */
    private static byte[] encodeHeader(Path file, TreeMap<String, TensorData> tensors, TreeMap<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            sb.append(StrictJson.quote(SafeTensorsHeader.METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                sb.append(sep).append(StrictJson.quote(Objects.requireNonNull(e.getKey(), "metadata key")))
                        .append(':').append(StrictJson.quote(Objects.requireNonNull(e.getValue(), "metadata value")));
                sep = ",";
            }
            sb.append('}');
        }
        long offset = 0;
        String sep = metadata.isEmpty() ? "" : ",";
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            long bytes = (long) t.numel() * t.dtypeEnum().bytes;
            sb.append(sep).append(StrictJson.quote(e.getKey()))
                    .append(":{\"dtype\":\"").append(t.dtype())
                    .append("\",\"shape\":").append(Arrays.toString(t.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            sep = ",";
        }
        sb.append('}');
        byte[] json;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(sb));
            json = Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata entry for " + file
                    + " is not valid Unicode (lone surrogate)", e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeValues(FileChannel ch, ByteBuffer buf, TensorData t) throws IOException {
        Dtype dtype = t.dtypeEnum();
        float[] v = t.values();
        for (int done = 0; done < v.length; ) {
            if (buf.remaining() < dtype.bytes) {
                flush(ch, buf);
            }
            int count = Math.min(buf.remaining() / dtype.bytes, v.length - done);
            switch (dtype) {
                case F32 -> {
                    buf.asFloatBuffer().put(v, done, count); // bulk copy through a little-endian view
                    buf.position(buf.position() + count * Float.BYTES);
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        buf.putShort(Dtype.floatToBf16(v[done + i]));
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        buf.putShort(Float.floatToFloat16(v[done + i]));
                    }
                }
            }
            done += count;
        }
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        writeFully(ch, buf);
        buf.clear();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    // ------------------------------------------------------------------------------------------ read

    /** Reads every tensor (converted to float32) and the metadata of {@code file}, validating strictly. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = readHeader(file, ch);
            long dataStart = ch.size() - header.dataLength();
            LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, header.dataLength())))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (SafeTensorsHeader.Entry e : header.entries()) {
                float[] values = readValues(file, ch, chunk, dataStart + e.begin(), e.dtype(), e.numel());
                tensors.put(e.name(), new TensorData(e.dtype().name(), e.shape(), values));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /** Reads and validates only the header of {@code file} (names, dtypes, shapes, offsets, metadata). */
    public static SafeTensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    private static SafeTensorsHeader readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsFormatException(file, "file is " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long headerLen = lenBuf.flip().getLong(); // unsigned on disk: a negative long is > 2^63
        if (headerLen < 0 || headerLen > size - 8) {
            throw new SafeTensorsFormatException(file, "header length " + Long.toUnsignedString(headerLen)
                    + " exceeds the " + (size - 8) + " bytes after the length field");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(file, "header of " + headerLen + " bytes exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(file, ch, headerBuf, 8);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBuf.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(file, "header is not valid UTF-8", e);
        }
        return SafeTensorsHeader.parse(file, json, size - 8 - headerLen);
    }

    private static float[] readValues(Path file, FileChannel ch, ByteBuffer chunk, long position, Dtype dtype, int n)
            throws IOException {
        float[] out = new float[n];
        int perChunk = chunk.capacity() / dtype.bytes;
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            chunk.clear().limit(count * dtype.bytes);
            readFully(file, ch, chunk, position + (long) done * dtype.bytes);
            chunk.flip();
            switch (dtype) {
                case F32 -> chunk.asFloatBuffer().get(out, done, count); // bulk, little-endian view
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        out[done + i] = Dtype.bf16ToFloat(chunk.getShort());
                    }
                }
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        out[done + i] = Float.float16ToFloat(chunk.getShort());
                    }
                }
            }
            done += count;
        }
        return out;
    }

    /** Fills {@code buf} from {@code position}; a file that shrank meanwhile is a format error. */
    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) {
                throw new SafeTensorsFormatException(file, "unexpected end of file at byte " + at);
            }
            at += r;
        }
    }
}
