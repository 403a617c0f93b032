package org.tokenlab.jmh;

import java.util.ArrayList;
import java.util.List;
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
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.autograd.StepMemory;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.GradClip;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.TokenWindows;

/**
 * One GPT training step of a preset (forward, backward, global-norm clipping, AdamW) on a fixed batch of
 * random tokens, with and without a {@link StepMemory} scope around forward + backward ({@code pooled}).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per step, which does not
 * depend on the machine's load, and {@code gc.time} the collections the allocation causes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.NATIVE, JvmFlags.NO_OOB, "-XX:+UseParallelGC"})
public class TrainStepBench {
    @Param({"small"})
    public String preset;

    @Param({"false", "true"})
    public boolean pooled;

    @Param({"1"})
    public int threads;

    private Gpt model;
    private AdamW optimizer;
    private List<Tensor> params;
    private Batch batch;
    private final StepMemory memory = new StepMemory();
    private long step;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        RunConfig rc = RunConfig.preset(preset);
        GptConfig m = rc.model();
        TrainConfig tc = rc.train();
        RandomStream r = RandomStream.root(1);
        int[] data = new int[1 << 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(m.vocabSize());
        }
        model = new Gpt(m, tc.seed());
        params = new ArrayList<>(model.params().all().values());
        optimizer = new AdamW(ParamGroup.decayMatrices(params, tc.weightDecay()), tc.lr(), tc.beta1(), tc.beta2(),
                tc.adamEps());
        batch = new TokenWindows(data, tc.batchSize(), m.blockSize(), r.child("data"), 0).next();
    }

    @Benchmark
    public float trainStep() {
        if (pooled) {
            memory.reclaimGradients(params); // as Trainer does: last step's gradients go back to the pool
        } else {
            optimizer.zeroGrad();
        }
        float loss;
        if (pooled) {
            try (var s = memory.open()) {
                loss = forwardBackward();
            }
        } else {
            loss = forwardBackward();
        }
        optimizer.step(GradClip.scale(GradClip.globalNorm(params), 1f));
        return loss;
    }

    private float forwardBackward() {
        Tensor loss = model.loss(batch, true, step++);
        float value = loss.item();
        loss.backward();
        return value;
    }
}
