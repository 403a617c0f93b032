package org.tokenlab.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
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

/**
 * The OpenBLAS peer: {@code cblas_sgemm} (row-major) on native buffers through JavaCPP, with
 * {@code openblas_set_num_threads}. Same shapes and counter as {@link GemmBenchmark}.
 *
 * <p>The environment may set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which force an older kernel;
 * run this class through {@code jmh/run-gemm.sh}, which unsets both (forks inherit the environment).
 * Setup prints the kernel OpenBLAS actually chose ({@code openblas_get_corename}, {@code _config}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {JvmFlags.ADD_MODULES, JvmFlags.NATIVE, JvmFlags.NO_OOB})
public class OpenBlasGemmBenchmark {
    @Param({"128", "256", "512", "1024", "2048",
            "2048x512x128T", "2048x128x128T", "2048x128x512T",
            "2048x1024x256T", "2048x256x256T", "2048x256x1024T",
            "2048x2048x512T", "2048x512x512T", "2048x512x2048T"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmShape g;
    private FloatPointer a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        g = GemmShape.parse(shape);
        OpenBlasNative.setThreads(threads);
        SplittableRandom r = new SplittableRandom(234);
        a = new FloatPointer(GemmBenchmark.random(r, g.M() * g.K()));
        b = new FloatPointer(GemmBenchmark.random(r, g.K() * g.N()));
        c = new FloatPointer((long) g.M() * g.N());
        System.out.println("# OpenBLAS core=" + OpenBlasNative.corename()
                + " config=" + OpenBlasNative.config()
                + " threads=" + OpenBlasNative.threads()
                + " OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                + " OPENBLAS_L2_SIZE=" + System.getenv("OPENBLAS_L2_SIZE"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }

    @Benchmark
    public Object sgemm(FlopCounter counter) {
        OpenBlasNative.sgemm(g.transA(), g.transB(), g.M(), g.N(), g.K(), 1f, a, g.lda(), b, g.ldb(), 0f, c, g.N());
        counter.flop += g.flops();
        return c;
    }
}
