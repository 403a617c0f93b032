package org.tokenlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.experiments.runner.Hashes;

class NatDataTest {
    @TempDir
    Path tmp;

    private static byte[] tgz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(TarReader.write(entries));
        }
        return out.toByteArray();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void extractsWantedEntriesInNameOrderOnePerLine() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", b("{}"));
        entries.put("package/data/1791_b.txt", b("second address\n"));
        entries.put("package/data/1790_a.txt", b("first address"));
        entries.put("package/data/x.json", b("[]"));
        byte[] archive = tgz(entries);
        Path f = tmp.resolve("pkg.tgz");
        Files.write(f, archive);
        NatData.Pack pack = new NatData.Pack("test@1", "pkg.tgz", Hashes.sha256(archive), "out.txt",
                n -> n.matches("package/data/[^/]+\\.txt"));
        assertEquals("first address\nsecond address\n", new String(NatData.extract(f, pack), StandardCharsets.UTF_8));
    }

    @Test
    void aWrongChecksumIsRefusedWithTheFileName() throws IOException {
        byte[] archive = tgz(Map.of("package/data/data.txt", b("text")));
        Path f = tmp.resolve("pkg.tgz");
        Files.write(f, archive);
        NatData.Pack pack = new NatData.Pack("test@1", "pkg.tgz", "0".repeat(64), "out.txt", n -> true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NatData.extract(f, pack));
        assertTrue(e.getMessage().contains("pkg.tgz") && e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void corruptOrTruncatedTarIsDetected() {
        byte[] tar = TarReader.write(Map.of("a.txt", b("hello world")));
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1; // inside the name: header checksum no longer matches
        assertThrows(IOException.class, () -> TarReader.read(new ByteArrayInputStream(corrupt), n -> true));
        byte[] truncated = java.util.Arrays.copyOf(tar, 600);
        assertThrows(IOException.class, () -> TarReader.read(new ByteArrayInputStream(truncated), n -> true));
    }

    @Test
    void pinnedPacksMatchPapersMd() {
        assertEquals("ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9", NatData.SOTU.sha256());
        assertEquals("e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1", NatData.MOBY_DICK.sha256());
        assertTrue(NatData.SOTU.entries().test("package/data/1790_george_washington_n.txt"));
        assertTrue(NatData.MOBY_DICK.entries().test("package/data/data.txt"));
        assertTrue(!NatData.MOBY_DICK.entries().test("package/data/chapter_1.txt"));
    }
}
