package org.tokenlab.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tokenlab.tensor.io.SafeTensors;
import org.tokenlab.tensor.io.TensorData;

/**
 * Writing and reading a checkpoint-sized safetensors file (8 tensors, {@code floats} values in all) in
 * F32 and BF16. Includes the file system: the atomic write forces data to disk, so the write time
 * depends on the storage under {@code java.io.tmpdir}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SafeTensorsBench {
    @Param({"4194304"})
    public int floats;

    @Param({"F32", "BF16"})
    public String dtype;

    private Path dir;
    private Path written;
    private Path existing;
    private Map<String, TensorData> tensors;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SplittableRandom r = new SplittableRandom(234);
        tensors = new LinkedHashMap<>();
        int per = floats / 8;
        for (int i = 0; i < 8; i++) {
            float[] v = new float[per];
            for (int j = 0; j < per; j++) {
                v[j] = (float) r.nextGaussian();
            }
            tensors.put("layer" + i + ".weight", new TensorData(dtype, new int[] {per}, v));
        }
        dir = Files.createTempDirectory("safetensors-bench");
        written = dir.resolve("written.safetensors");
        existing = dir.resolve("existing.safetensors");
        SafeTensors.write(existing, tensors, Map.of("bench", "1"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public Path write() throws IOException {
        SafeTensors.write(written, tensors, Map.of("bench", "1"));
        return written;
    }

    @Benchmark
    public SafeTensors.Contents read() throws IOException {
        return SafeTensors.read(existing);
    }
}
