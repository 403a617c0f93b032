package org.tokenlab.transformer.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code manifest.json} of a run folder: what produced it (git commit, JDK, JVM flags, backend and its
 * matmul precision, threads, seed), what it read (data path and sha256), and what it did (status, wall time, tokens,
 * sha256 of the final weights). Written at the start (status "running") and rewritten at the end.
 */
public record RunManifest(
        @JsonProperty("status") String status,
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("jdk") String jdk,
        @JsonProperty("jvm_flags") List<String> jvmFlags,
        @JsonProperty("backend") String backend,
        @JsonProperty("matmul") String matmul,
        @JsonProperty("threads") int threads,
        @JsonProperty("seed") long seed,
        @JsonProperty("data_path") String dataPath,
        @JsonProperty("data_sha256") String dataSha256,
        @JsonProperty("wall_seconds") double wallSeconds,
        @JsonProperty("steps") int steps,
        @JsonProperty("tokens_processed") long tokensProcessed,
        @JsonProperty("final_weights_sha256") String finalWeightsSha256) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A manifest for a run starting now in this JVM. */
    public static RunManifest start(long seed, Path data) {
        return new RunManifest("running", currentGitCommit(), Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                ManagementFactory.getRuntimeMXBean().getInputArguments(), Engine.backend().name(),
                Engine.backend().matmulPrecision().id(), Parallel.get().threads(), seed, data.toAbsolutePath().toString(), sha256(data), 0, 0, 0, null);
    }

    /** This manifest with the outcome filled in. */
    public RunManifest finish(String finalStatus, TrainState state, Path finalWeights) {
        return new RunManifest(finalStatus, currentGitCommit(), jdk, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Engine.backend().name(), Engine.backend().matmulPrecision().id(), Parallel.get().threads(), seed, dataPath, dataSha256, state.elapsedSeconds(),
                state.step(), state.tokens(), finalWeights == null ? null : sha256(finalWeights));
    }

    /** Writes {@code manifest.json} into {@code runDir} atomically. */
    public void write(Path runDir) {
        try {
            AtomicFiles.writeString(runDir.resolve("manifest.json"), MAPPER.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code manifest.json} from {@code runDir}. */
    public static RunManifest read(Path runDir) {
        Path f = runDir.resolve("manifest.json");
        try {
            return MAPPER.readValue(f.toFile(), RunManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The hex sha256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code git rev-parse HEAD} of the working directory, or "unknown". */
    static String currentGitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
