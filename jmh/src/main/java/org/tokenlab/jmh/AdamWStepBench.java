package org.tokenlab.jmh;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.GradClip;
import org.tokenlab.tensor.optim.ParamGroup;

/**
 * One AdamW step (and the global-norm computation clipping needs) over {@code params} float32
 * parameters in one matrix, on the backend named by {@code backend} (add "simd" with -p when present).
 * Memory-bound: each step reads p, g, m, v and writes p, m, v (28 bytes per parameter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
        "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class AdamWStepBench {
    @Param({"1048576"})
    public int params;

    @Param({"scalar"})
    public String backend;

    private AdamW optimizer;
    private List<Tensor> weights;

    @Setup(Level.Trial)
    public void setUp() {
        Engine.setBackend(Backends.create(backend));
        SplittableRandom r = new SplittableRandom(234);
        float[] w = new float[params];
        float[] g = new float[params];
        for (int i = 0; i < params; i++) {
            w[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
        }
        Tensor p = Tensor.of(w, 1024, params / 1024).setRequiresGrad(true);
        p.accumulateGrad(Tensor.of(g, 1024, params / 1024));
        weights = List.of(p);
        optimizer = new AdamW(ParamGroup.decayMatrices(weights, 0.1f), 1e-4f, 0.9f, 0.95f, 1e-8f);
    }

    @Benchmark
    public int adamWStep() {
        optimizer.step();
        return optimizer.stepCount();
    }

    @Benchmark
    public double globalNorm() {
        return GradClip.globalNorm(weights);
    }
}
