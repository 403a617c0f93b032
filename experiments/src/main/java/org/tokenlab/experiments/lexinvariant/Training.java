package org.tokenlab.experiments.lexinvariant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tokenlab.experiments.lm.OptimStep;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.LrSchedule;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

/**
 * A time-boxed training loop (papers.md §0.3): AdamW (0.9, 0.95, wd 0.1 on matrices), linear warm-up then
 * cosine decay to lr/10, global-norm clipping at 1. The first steps are timed by {@code ctx.timeBox},
 * which fits the step count to the budget; warm-up does not depend on the total, so the probe steps
 * are the same steps an exactly replayed run takes.
 */
final class Training {
    private Training() {
    }

    /**
     * The budget of one training phase.
     *
     * @param seconds  wall-clock budget
     * @param warmup   warm-up steps (≥ probe steps)
     * @param probe    steps timed to measure throughput
     * @param minSteps fewest steps (smoke takes exactly this)
     * @param maxSteps most steps
     * @param lr       peak learning rate
     */
    record Budget(double seconds, int warmup, int probe, int minSteps, int maxSteps, float lr) {
    }

    /**
     * Runs a dozen untimed forward/backward passes of a throwaway model of {@code shape} (its own random streams; no effect on
     * any result), so that the first time box measures compiled code rather than the JIT warming up.
     */
    static void warmUp(RunContext ctx, org.tokenlab.transformer.config.GptConfig shape, int V, int B) {
        LexModel m = new LexModel(LexModel.Kind.LEXINVARIANT, shape, V, 0);
        LexModel s = new LexModel(LexModel.Kind.STANDARD, shape, V, 0);
        int T = shape.blockSize();
        int[] ids = new int[B * T];
        long[] seq = new long[B];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % V;
        }
        Batch b = Batch.of(B, T, ids, ids, seq);
        for (int i = 0; i < 6; i++) { // enough passes for the hot kernels to reach the optimising compiler
            for (LexModel x : new LexModel[]{s, m}) {
                x.gpt().loss(b, true, 0).backward();
            }
        }
        ctx.log("JIT warm-up done");
    }

    /** What a training phase did: steps, tokens and the mean training loss of its last tenth of steps. */
    record Trained(long steps, long tokens, double finalTrainLoss) {
    }

    /**
     * Trains {@code model} on batches from {@code data}; returns the steps and tokens processed. With
     * {@code fixedSteps > 0} the step count is given (models compared at equal tokens reuse the first
     * model's time-boxed count); otherwise it is time-boxed.
     */
    static Trained train(RunContext ctx, String name, LexModel model, Supplier<Batch> data, int tokensPerStep,
                         Budget budget, long fixedSteps, RandomStream r) {
        List<Tensor> params = new ArrayList<>(model.gpt().params().all().values());
        AdamW opt = new AdamW(ParamGroup.decayMatrices(params, 0.1f), budget.lr(), 0.9f, 0.95f, 1e-8f);
        float minLr = budget.lr() / 10;
        LrSchedule[] schedule = {LrSchedule.cosine(budget.lr(), budget.warmup(), budget.maxSteps(), minLr)};
        int[] step = {0};
        List<Double> losses = new ArrayList<>();
        Runnable one = () -> {
            int s = step[0]++;
            opt.setLr(schedule[0].lr(s));
            opt.zeroGrad();
            Batch b = model.prepare(data.get(), r.child(s));
            Tensor loss = model.gpt().loss(b, true, s);
            float value = loss.item();
            double norm = OptimStep.backwardAndStep(name, s, loss, value, opt, params);
            losses.add((double) value);
            if (s % 25 == 0) {
                ctx.metric(name, s, Map.of("loss", value, "lr", opt.lr(), "gradNorm", norm));
            }
        };
        long steps;
        if (fixedSteps > 0) {
            steps = fixedSteps;
            ctx.tokens(name, steps * tokensPerStep);
        } else {
            TimeBox tb = ctx.timeBox(name, budget.seconds(), tokensPerStep, budget.probe(), budget.minSteps(),
                    budget.maxSteps(), one);
            steps = tb.steps();
        }
        schedule[0] = LrSchedule.cosine(budget.lr(), Math.min(budget.warmup(), (int) steps), (int) steps, minLr);
        while (step[0] < steps) {
            one.run();
        }
        int tail = Math.max(1, losses.size() / 10);
        double mean = losses.subList(losses.size() - tail, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        ctx.log(String.format(java.util.Locale.ROOT, "%s: %d steps, final train loss %.4f", name, steps, mean));
        return new Trained(steps, steps * tokensPerStep, mean);
    }
}
