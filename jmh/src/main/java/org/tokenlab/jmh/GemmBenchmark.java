package org.tokenlab.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * SGEMM of the Java implementations: SimdBackend (1 or 2 threads), ScalarBackend (the reference,
 * small sizes only) and EJML's {@code CommonOps_FDRM.mult} (single-threaded). The {@code flop}
 * counter is FLOP/s; OpenBLAS runs in {@link OpenBlasGemmBenchmark} with the same shapes.
 *
 * <p>Shapes: squares 128…2048, and the transformer's Linear forward {@code (B·T) × C → 4C, C, …}
 * with B·T = 2048 and W stored (OC, C) (the "T" suffix: op(B) = Bᵀ).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {JvmFlags.ADD_MODULES, JvmFlags.NATIVE, JvmFlags.NO_OOB})
public class GemmBenchmark {
    @Param({"128", "256", "512", "1024", "2048",
            "2048x512x128T", "2048x128x128T", "2048x128x512T",
            "2048x1024x256T", "2048x256x256T", "2048x256x1024T",
            "2048x2048x512T", "2048x512x512T", "2048x512x2048T"})
    public String shape;

    @Param({"simd", "scalar", "ejml"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private GemmShape g;
    private Backend backend;
    private HeapStorage a, b, c;
    private FMatrixRMaj ea, eb, ec;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        g = GemmShape.parse(shape);
        Parallel.setThreads(threads);
        SplittableRandom r = new SplittableRandom(234);
        a = new HeapStorage(random(r, g.M() * g.K()));
        b = new HeapStorage(random(r, g.K() * g.N()));
        c = new HeapStorage(g.M() * g.N());
        switch (impl) {
            case "simd", "scalar" -> backend = Backends.create(impl);
            case "ejml" -> {
                if (threads != 1) {
                    throw new IllegalStateException("EJML's CommonOps_FDRM.mult is single-threaded; run it with threads=1");
                }
                ea = g.transA() ? new FMatrixRMaj(g.K(), g.M(), true, a.data) : new FMatrixRMaj(g.M(), g.K(), true, a.data);
                eb = g.transB() ? new FMatrixRMaj(g.N(), g.K(), true, b.data) : new FMatrixRMaj(g.K(), g.N(), true, b.data);
                ec = new FMatrixRMaj(g.M(), g.N());
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        System.out.println("# GEMM " + impl + " " + shape + " threads=" + Parallel.get().threads()
                + (backend != null ? " backend=" + backend : ""));
    }

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
        }
        return x;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(Parallel.defaultThreads());
    }

    @Benchmark
    public Object sgemm(FlopCounter counter) {
        if (ea != null) {
            if (g.transA()) {
                CommonOps_FDRM.multTransA(ea, eb, ec);
            } else if (g.transB()) {
                CommonOps_FDRM.multTransB(ea, eb, ec);
            } else {
                CommonOps_FDRM.mult(ea, eb, ec);
            }
            counter.flop += g.flops();
            return ec;
        }
        backend.matmul(1, g.M(), g.N(), g.K(), 1f, a, 0, g.lda(), 0, g.transA(), b, 0, g.ldb(), 0, g.transB(),
                0f, c, 0, g.N(), 0);
        counter.flop += g.flops();
        return c;
    }
}
