package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per way a safetensors file can be malformed; each must fail cleanly, naming the file. */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;

    private static final String A8 = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    // ---------------------------------------------------------------- framing

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        for (int n = 0; n < 8; n++) {
            expect(bytes(new byte[n]), "shorter than the 8-byte header length");
        }
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        expect(withLength(100, "{}".getBytes(StandardCharsets.UTF_8)), "header length 100 exceeds the 2 bytes");
        expect(withLength(-1, new byte[4]), "header length 18446744073709551615 exceeds");
    }

    @Test
    void headerOverTheLimit() throws IOException {
        // A sparse file: the length field claims more than 100 MB and the file is that long, mostly zeros.
        Path f = withLength(SafeTensors.MAX_HEADER_BYTES + 8, new byte[0]);
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {' '}), 8 + SafeTensors.MAX_HEADER_BYTES + 7);
        }
        expect(f, "exceeds the 100000000-byte limit");
    }

    @Test
    void headerNotUtf8() throws IOException {
        expect(withHeader(new byte[] {'{', (byte) 0xC3, '}'}, new byte[0]), "not valid UTF-8");
    }

    @Test
    void headerNotJson() throws IOException {
        expect(header("{\"a\":", ""), "header is not valid JSON: unexpected end of input");
        expect(header("{\"a\": 1.5}", ""), "only integers");
    }

    @Test
    void headerNotAnObject() throws IOException {
        expect(header("[1,2]", ""), "header is not a JSON object");
        expect(header("\"x\"", ""), "header is not a JSON object");
    }

    // ---------------------------------------------------------------- entries

    @Test
    void entryNotAnObject() throws IOException {
        expect(header("{\"a\":[1]}", ""), "tensor 'a': entry is not a JSON object");
    }

    @Test
    void entryMissingAField() throws IOException {
        expect(header("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor 'a': missing \"dtype\"");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "tensor 'a': missing \"shape\"");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor 'a': missing \"data_offsets\"");
    }

    @Test
    void entryWithAnUnexpectedField() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
                "tensor 'a': unexpected key \"x\"");
    }

    @Test
    void unknownDtype() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown or unsupported dtype 'Q4'");
        expect(header("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "dtype 'F64'");
        expect(header("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "dtype is not a string");
    }

    @Test
    void badShapes() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "negative dimension");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8), "shape is not a JSON array");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8), "element 0 is not an integer");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", 8), "overflow");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,0],\"data_offsets\":[0,0]}}", 0), "exceeds a Java array");
        // 2^32·2^32 would wrap a long to 0 without the checks; each dim alone is rejected first
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[9223372036854775807,9223372036854775807],"
                + "\"data_offsets\":[0,0]}}", 0), "exceeds a Java array");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "out of range of the 4-byte data region");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8), "out of range");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "must be [begin, end]");
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", 16), "must be [begin, end]");
    }

    @Test
    void offsetsBeginAfterEnd() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8), "begin 8 > end 0");
    }

    @Test
    void byteLengthNotShapeTimesDtype() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "needs 12 bytes but data_offsets span 8");
        expect(header("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "needs 4 bytes but data_offsets span 8");
    }

    @Test
    void overlappingTensors() throws IOException {
        expect(header("{" + A8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensor 'b' [4, 12) overlaps tensor 'a'");
        expect(header("{" + A8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "overlaps");
    }

    @Test
    void holesInTheDataRegion() throws IOException {
        expect(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "bytes [0, 4) belong to no tensor");
        expect(header("{" + A8 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16),
                "bytes [8, 12) belong to no tensor");
        expect(header("{" + A8 + "}", 12), "bytes [8, 12) belong to no tensor");
        expect(header("{}", 4), "bytes [0, 4) belong to no tensor");
    }

    @Test
    void duplicateNames() throws IOException {
        expect(header("{" + A8 + "," + A8 + "}", 8), "duplicate key \"a\"");
    }

    @Test
    void badMetadata() throws IOException {
        expect(header("{\"__metadata__\":[],\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "__metadata__ is not a JSON object");
        expect(header("{\"__metadata__\":{\"k\":1}," + A8 + "}", 8), "value of key 'k' is not a string");
    }

    @Test
    void acceptsAValidHandWrittenFileWithPaddingAndZeroSizedTensors() throws IOException {
        Path f = header("{\"z\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}," + A8 + "}      ", 8);
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(2, c.tensors().size());
        assertEquals(0, c.get("z").numel());
    }

    /** Sizes the file claims are checked against its real length before anything is allocated for them. */
    @Test
    void claimedSizesAllocateNothing() throws IOException {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Path[] files = {
            withLength(1L << 40, new byte[64]),
            header("{\"a\":{\"dtype\":\"F32\",\"shape\":[100000000],\"data_offsets\":[0,400000000]}}", 8),
            header("{\"a\":{\"dtype\":\"F32\",\"shape\":[536870000],\"data_offsets\":[0,2147480000]}}", 16),
        };
        expect(files[0], "exceeds");
        for (Path f : files) {
            long before = mx.getCurrentThreadAllocatedBytes();
            assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(f));
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < (4 << 20), f + ": allocated " + allocated + " bytes");
        }
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child")); // a non-empty folder cannot be replaced by a file
        assertThrows(IOException.class, () -> SafeTensors.write(target,
                Map.of("x", TensorData.f32(new float[] {1}, 1)), Map.of()));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(target), files.toList());
        }
    }

    /** Every truncation of a valid file fails with a SafeTensorsFormatException, nothing else. */
    @Test
    void everyTruncationFailsCleanly() throws IOException {
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("w", TensorData.f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("b", TensorData.bf16(new float[] {7, 8, 9}, 3));
        in.put("s", TensorData.f32(new float[] {10}));
        Path whole = dir.resolve("whole.safetensors");
        SafeTensors.write(whole, in, Map.of("k", "v"));
        byte[] all = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.safetensors");
        for (int len = 0; len < all.length; len++) {
            Files.write(cut, Arrays.copyOf(all, len));
            try {
                SafeTensors.read(cut);
                fail("truncation to " + len + " of " + all.length + " bytes was accepted");
            } catch (SafeTensorsFormatException e) {
                assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
            }
        }
        assertEquals(3, SafeTensors.read(whole).tensors().size());
    }

    /** Flipping any single header byte either still parses to a valid file or fails cleanly. */
    @Test
    void everyHeaderByteCorruptionFailsCleanlyOrParses() throws IOException {
        Path whole = dir.resolve("whole.safetensors");
        SafeTensors.write(whole, Map.of("w", TensorData.f32(new float[] {1, 2, 3, 4}, 2, 2)), Map.of("k", "v"));
        byte[] all = Files.readAllBytes(whole);
        Path bad = dir.resolve("bad.safetensors");
        byte[] replacements = {0, '"', '}', ']', ',', '9', (byte) 0xFF};
        for (int i = 0; i < all.length - 16; i++) {
            for (byte r : replacements) {
                byte[] copy = all.clone();
                copy[i] = r;
                Files.write(bad, copy);
                try {
                    SafeTensors.read(bad);
                } catch (SafeTensorsFormatException e) {
                    // the expected, clean failure
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void expect(Path f, String fragment) {
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
    }

    private Path header(String json, int dataBytes) throws IOException {
        return withHeader(json.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    private Path header(String json, String data) throws IOException {
        return withHeader(json.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
    }

    private Path withHeader(byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(header.length + data.length).put(header).put(data);
        return withLength(header.length, b.array());
    }

    private Path withLength(long headerLength, byte[] rest) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(rest);
        return bytes(b.array());
    }

    private Path bytes(byte[] content) throws IOException {
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, content);
        return f;
    }
}
