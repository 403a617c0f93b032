package org.tokenlab.experiments.softthinking;

import org.tokenlab.experiments.lm.OptimStep;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.LrSchedule;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.SequenceEpochs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains one N0 model (d 64, 2 layers, 4 heads, tied embeddings, T = 64) on a fixed set of task examples
 * whose prompts carry no loss (papers.md §5.3). AdamW (0.9, 0.95, wd 0.1 on matrices), linear warm-up
 * then cosine decay to lr/10, global-norm clipping at 1. The step count comes from {@code ctx.timeBox}
 * (warm-up does not depend on it, so the timed probe steps are the steps a replayed run takes).
 */
final class CotTraining {
    private CotTraining() {
    }

    /** The model shape: the N0 preset of papers.md §0.3 with T = 64 and a tied head. */
    static GptConfig n0() {
        return GptConfig.standard(Tasks.V, 64, 2, 4, 64);
    }

    /**
     * The budget of one training phase.
     *
     * @param seconds  wall-clock budget
     * @param batch    sequences per step
     * @param warmup   warm-up steps (≥ probe)
     * @param probe    steps timed to measure throughput
     * @param minSteps fewest steps (smoke takes exactly this)
     * @param maxSteps most steps
     * @param lr       peak learning rate
     */
    record Budget(double seconds, int batch, int warmup, int probe, int minSteps, int maxSteps, float lr) {
    }

    /** What training did. */
    record Trained(long steps, long tokens, double finalLoss) {
    }

    /**
     * Ten forward/backward passes of a throwaway copy of the model's shape on one batch (its own seed;
     * no effect on any result), so that the time box measures compiled code rather than the JIT warming up.
     */
    private static void warmUp(Gpt model, Batch b) {
        Gpt scratch = new Gpt(model.config(), 0);
        for (int i = 0; i < 10; i++) {
            scratch.loss(b, true, i).backward();
        }
    }

    /** Trains {@code model} on {@code examples}; returns steps, target tokens and the final loss. */
    static Trained train(RunContext ctx, String name, Gpt model, List<Tasks.Problem> problems, Budget budget,
                         RandomStream r) {
        List<SequenceEpochs.Example> ex = new ArrayList<>();
        int T = 1;
        for (Tasks.Problem p : problems) {
            SequenceEpochs.Example e = Tasks.example(p);
            ex.add(e);
            T = Math.max(T, e.inputs().length);
        }
        SequenceEpochs data = new SequenceEpochs(ex, budget.batch(), T, r.child("order"), 0);
        List<Tensor> params = new ArrayList<>(model.params().all().values());
        AdamW opt = new AdamW(ParamGroup.decayMatrices(params, 0.1f), budget.lr(), 0.9f, 0.95f, 1e-8f);
        float minLr = budget.lr() / 10;
        LrSchedule[] schedule = {LrSchedule.cosine(budget.lr(), budget.warmup(), budget.maxSteps(), minLr)};
        int[] step = {0};
        long[] tokens = {0};
        List<Double> losses = new ArrayList<>();
        Runnable one = () -> {
            int s = step[0]++;
            opt.setLr(schedule[0].lr(s));
            opt.zeroGrad();
            Batch b = data.next();
            Tensor loss = model.loss(b, true, s);
            float value = loss.item();
            double norm = OptimStep.backwardAndStep(name, s, loss, value, opt, params);
            losses.add((double) value);
            tokens[0] += b.countTargets();
            if (s % 25 == 0) {
                ctx.metric(name, s, Map.of("loss", value, "lr", opt.lr(), "gradNorm", norm, "tokens", tokens[0]));
            }
        };
        warmUp(model, new SequenceEpochs(ex, budget.batch(), T, r.child("warm-up"), 0).next());
        long tokensPerStep = (long) budget.batch() * T;
        TimeBox tb = ctx.timeBox(name, budget.seconds(), tokensPerStep, budget.probe(), budget.minSteps(),
                budget.maxSteps(), one);
        long steps = tb.steps();
        schedule[0] = LrSchedule.cosine(budget.lr(), Math.min(budget.warmup(), (int) steps), (int) steps, minLr);
        while (step[0] < steps) {
            one.run();
        }
        int tail = Math.max(1, losses.size() / 10);
        double mean = losses.subList(losses.size() - tail, losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        ctx.log(String.format(java.util.Locale.ROOT, "%s: %d steps, %d target tokens, final train loss %.4f",
                name, steps, tokens[0], mean));
        return new Trained(steps, tokens[0], mean);
    }
}
