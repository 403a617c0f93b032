package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static float[] randomValues(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-6, 6)));
        }
        return v;
    }

    @Test
    void f32RoundTripIsExactAndMetadataSurvives() throws IOException {
        float[] special = {0f, -0f, 1f, -2.5f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-40f, 3.1415927f};
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("w.weight", TensorData.f32(randomValues(6 * 7, 1), 6, 7));
        in.put("special", TensorData.f32(special, 3, 4));
        in.put("scalar", TensorData.f32(new float[] {42f}));
        in.put("empty", TensorData.f32(new float[0], 0, 5));
        in.put("ünïcode \"name\"", TensorData.f32(new float[] {1, 2}, 2));
        Map<String, String> meta = Map.of("format", "pt", "step", "123", "note", "line1\nline2 é");
        Path f = dir.resolve("a.safetensors");
        SafeTensors.write(f, in, meta);

        SafeTensors.Contents out = SafeTensors.read(f);
        assertEquals(in.keySet().stream().sorted().toList(), List.copyOf(out.tensors().keySet()),
                "written in name order, read back in data order");
        for (var e : in.entrySet()) {
            TensorData got = out.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape());
            assertEquals("F32", got.dtype());
            // bitwise, so -0 and the NaN payload count too
            for (int i = 0; i < got.numel(); i++) {
                assertEquals(Float.floatToRawIntBits(e.getValue().values()[i]), Float.floatToRawIntBits(got.values()[i]));
            }
        }
        assertEquals(meta, out.metadata());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void bf16RoundTripRoundsToNearestEven() throws IOException {
        float[] v = randomValues(1000, 2);
        Path f = dir.resolve("b.safetensors");
        SafeTensors.write(f, Map.of("x", TensorData.bf16(v, 10, 100)), Map.of());
        TensorData got = SafeTensors.read(f).get("x");
        assertEquals("BF16", got.dtype());
        assertEquals(2 * 1000, Files.size(f) - 8 - headerLength(f), "2 bytes per value on disk");
        for (int i = 0; i < v.length; i++) {
            // bf16 keeps 8 significant bits: the nearest neighbour is within half an ulp, 2^-8 relative
            assertTrue(Math.abs(got.values()[i] - v[i]) <= Math.abs(v[i]) * 0x1p-8, i + ": " + v[i] + " -> " + got.values()[i]);
            assertEquals(Dtype.BF16.roundTrip(v[i]), got.values()[i]);
        }
    }

    @Test
    void tensorsLargerThanTheIoChunkRoundTrip() throws IOException {
        // Sizes chosen to straddle the 1 MiB chunk at odd offsets (BF16 first shifts the F32 data by 2 bytes).
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("a", TensorData.bf16(randomValues(600_001, 3), 600_001));
        in.put("b", TensorData.f32(randomValues(300_001, 4), 300_001));
        in.put("c", new TensorData("F16", new int[] {777}, randomValues(777, 5)));
        Path f = dir.resolve("large.safetensors");
        SafeTensors.write(f, in, Map.of());
        SafeTensors.Contents out = SafeTensors.read(f);
        for (var e : in.entrySet()) {
            Dtype d = e.getValue().dtypeEnum();
            float[] expected = e.getValue().values().clone();
            for (int i = 0; i < expected.length; i++) {
                expected[i] = d.roundTrip(expected[i]);
            }
            assertArrayEquals(expected, out.get(e.getKey()).values(), e.getKey());
        }
    }

    @Test
    void bf16RoundingCases() {
        assertEquals((short) 0x3F80, Dtype.floatToBf16(1f));
        // 1 + 2^-8 lies half-way between 1 (even mantissa) and 1 + 2^-7: ties go to even
        assertEquals((short) 0x3F80, Dtype.floatToBf16(1f + 0x1p-8f));
        // 1 + 3·2^-8 lies half-way between 1 + 2^-7 (odd) and 1 + 2^-6 (even)
        assertEquals((short) 0x3F82, Dtype.floatToBf16(1f + 3 * 0x1p-8f));
        // just above half-way rounds up
        assertEquals((short) 0x3F81, Dtype.floatToBf16(Math.nextUp(1f + 0x1p-8f)));
        assertEquals((short) 0xBF80, Dtype.floatToBf16(-1f));
        assertEquals((short) 0x7F80, Dtype.floatToBf16(Float.MAX_VALUE), "rounds up to +inf");
        assertEquals((short) 0xFF80, Dtype.floatToBf16(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(Dtype.bf16ToFloat(Dtype.floatToBf16(Float.NaN))));
        assertTrue(Float.isNaN(Dtype.bf16ToFloat(Dtype.floatToBf16(Float.intBitsToFloat(0x7F800001)))),
                "a NaN whose payload sits only in the low bits stays NaN");
        assertEquals(0x1p-133f, Dtype.bf16ToFloat(Dtype.floatToBf16(0x1p-133f)), "subnormals survive");
    }

    @Test
    void writesIdenticalBytesForEqualInputs() throws IOException {
        Map<String, TensorData> a = new LinkedHashMap<>();
        a.put("b", TensorData.f32(new float[] {1, 2, 3}, 3));
        a.put("a", TensorData.bf16(new float[] {4, 5}, 1, 2));
        Map<String, TensorData> b = new LinkedHashMap<>();
        b.put("a", a.get("a"));
        b.put("b", a.get("b"));
        Path f1 = dir.resolve("1.safetensors");
        Path f2 = dir.resolve("2.safetensors");
        SafeTensors.write(f1, a, Map.of("k1", "v1", "k2", "v2"));
        SafeTensors.write(f2, b, new LinkedHashMap<>(Map.of("k2", "v2", "k1", "v1")));
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
        assertEquals(0, (8 + headerLength(f1)) % 8, "header padded to a multiple of 8");
        String header = new String(Files.readAllBytes(f1), 8, (int) headerLength(f1), StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k1\":\"v1\",\"k2\":\"v2\"},"
                + "\"a\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[4,16]}}", header.strip());
    }

    @Test
    void readHeaderListsTensorsWithoutTheirValues() throws IOException {
        Path f = dir.resolve("hdr.safetensors");
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("w", TensorData.bf16(new float[6], 2, 3));
        in.put("b", TensorData.f32(new float[3], 3));
        SafeTensors.write(f, in, Map.of("step", "5"));
        SafeTensorsHeader h = SafeTensors.readHeader(f);
        assertEquals(List.of("b", "w"), h.entries().stream().map(SafeTensorsHeader.Entry::name).toList());
        assertEquals(Dtype.BF16, h.entries().get(1).dtype());
        assertArrayEquals(new int[] {2, 3}, h.entries().get(1).shape());
        assertEquals(12, h.entries().get(1).begin());
        assertEquals(12 + 12, h.dataLength());
        assertEquals(Map.of("step", "5"), h.metadata());
    }

    @Test
    void overwritingReplacesTheFile() throws IOException {
        Path f = dir.resolve("c.safetensors");
        SafeTensors.write(f, Map.of("x", TensorData.f32(new float[] {1}, 1)), Map.of());
        SafeTensors.write(f, Map.of("y", TensorData.f32(new float[] {2, 3}, 2)), Map.of());
        assertEquals(List.of("y"), List.copyOf(SafeTensors.read(f).tensors().keySet()));
    }

    @Test
    void rejectsReservedOrEmptyNames() {
        Path f = dir.resolve("d.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, Map.of("__metadata__", TensorData.f32(new float[] {1}, 1)), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, Map.of("", TensorData.f32(new float[] {1}, 1)), Map.of()));
        assertFalse(Files.exists(f));
    }

    @Test
    void readsF16() throws IOException {
        // Hand-encoded binary16 values: 1, -2, 65504 (max), 2^-24 (smallest subnormal), 0.333251953125, +inf
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x3555, 0x7C00};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 0.333251953125f, Float.POSITIVE_INFINITY};
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) {
            data.putShort(s);
        }
        Path f = raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]}}", data.array());
        TensorData t = SafeTensors.read(f).get("h");
        assertEquals("F16", t.dtype());
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(expected, t.values());
    }

    @Test
    void f16WriteRoundTrip() throws IOException {
        float[] v = {1f, -2f, 0.1f, 65504f, 1e-7f};
        Path f = dir.resolve("h.safetensors");
        SafeTensors.write(f, Map.of("h", new TensorData("F16", new int[] {5}, v)), Map.of());
        float[] got = SafeTensors.read(f).get("h").values();
        for (int i = 0; i < v.length; i++) {
            assertEquals(Dtype.F16.roundTrip(v[i]), got[i]);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static long headerLength(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A file with the given header text (unpadded) and data bytes. */
    Path raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(f, b.array());
        return f;
    }
}
