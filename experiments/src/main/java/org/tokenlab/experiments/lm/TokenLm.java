package org.tokenlab.experiments.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.Trainer;
import org.tokenlab.transformer.train.TokenWindows;

/**
 * Trains one GPT language model on a token stream inside an experiment phase: AdamW at a constant
 * learning rate (no schedule, so the time box can fix the step count after probing on the real model),
 * random training windows, and a held-out evaluation on fixed windows whose start is a multiple of
 * {@code period} so that position t of a window has phase {@code t mod period} in the stream (the position
 * inside an equal-info window). Shared by the tokenization and equal-info experiments.
 */
public final class TokenLm {
    private TokenLm() {
    }

    /** What to train. */
    public record Spec(String name, GptConfig model, int batchSize, float lr, double budgetSeconds, int minSteps,
                       int maxSteps, int evalPoints, int evalBatches, int period) {
    }

    /** Held-out numbers at one step: mean loss (nats/token) and top-1 accuracy by phase (period). */
    public record Eval(int step, double loss, double[] accuracyByPhase) {
    }

    /** A trained model's record: the step count, tokens seen, the eval curve and parameter counts. */
    public record Result(String name, int steps, long tokens, long nonEmbeddingParams, List<Eval> curve) {
        /** The last evaluation. */
        public Eval last() {
            return curve.get(curve.size() - 1);
        }
    }

    /** Trains {@code spec} on {@code train}, evaluating on {@code valid}; randomness from {@code stream}. */
    public static Result train(RunContext ctx, Spec spec, int[] train, int[] valid, RandomStream stream) {
        GptConfig cfg = spec.model();
        int T = cfg.blockSize();
        Gpt model = new Gpt(cfg, stream.child("init").nextLong());
        TrainConfig tc = TrainConfig.defaults(spec.batchSize(), spec.maxSteps())
                .withOptim(spec.lr(), spec.lr(), 0, TrainConfig.Schedule.CONSTANT, 0.1f, 1.0f)
                .withCadence(0, 0, Math.max(1, spec.maxSteps()));
        Trainer trainer = new Trainer(model, tc,
                new TokenWindows(train, spec.batchSize(), T, stream.child("train-windows"), 0),
                new Batch[0], null, null);
        Batch[] eval = alignedWindows(valid, spec.batchSize(), T, spec.evalBatches(), spec.period(), stream.child("eval"));
        List<Eval> curve = new ArrayList<>();
        curve.add(evaluate(model, eval, 0, spec.period()));
        // untimed JIT warm-up: the first steps of the same training run, so the probe times steady steps
        int probe = Math.min(3, spec.minSteps());
        int warmup = ctx.profile() == org.tokenlab.experiments.Profile.SMOKE ? 0 : Math.max(0, Math.min(5, spec.minSteps() - 2 * probe));
        trainer.runUntil(warmup);
        TimeBox tb = ctx.timeBox(spec.name(), spec.budgetSeconds(), (long) spec.batchSize() * T, probe,
                spec.minSteps(), spec.maxSteps(), () -> trainer.runUntil(trainer.state().step() + 1));
        int steps = (int) tb.steps();
        // evaluation steps: 2 % of training (the "trivial" point of papers.md §3.3), then evenly spaced
        List<Integer> at = new ArrayList<>();
        at.add(Math.max(1, (int) Math.ceil(0.02 * steps)));
        for (int i = 1; i <= spec.evalPoints(); i++) {
            at.add(Math.max(1, (int) Math.round((double) steps * i / spec.evalPoints())));
        }
        for (int s : at.stream().distinct().sorted().toList()) {
            if (s < trainer.state().step()) {
                continue;
            }
            trainer.runUntil(s);
            Eval e = evaluate(model, eval, s, spec.period());
            curve.add(e);
            ctx.metric(spec.name(), s, Map.of("eval_loss", e.loss(), "train_loss", trainer.lastLoss()));
        }
        ctx.tokens(spec.name(), trainer.state().tokens());
        long embedding = (long) cfg.vocabSize() * cfg.nEmbd() * (cfg.tiedHead() ? 1 : 2) + (long) T * cfg.nEmbd();
        return new Result(spec.name(), steps, trainer.state().tokens(), model.params().numel() - embedding, curve);
    }

    /** {@code count} batches of windows starting at random multiples of {@code period}. */
    static Batch[] alignedWindows(int[] tokens, int B, int T, int count, int period, RandomStream stream) {
        int starts = (tokens.length - T - 1) / period + 1;
        if (starts < 1) {
            throw new IllegalArgumentException("validation has " + tokens.length + " tokens; need more than T=" + T);
        }
        Batch[] out = new Batch[count];
        for (int i = 0; i < count; i++) {
            int[] in = new int[B * T];
            int[] tg = new int[B * T];
            long[] ids = new long[B];
            for (int b = 0; b < B; b++) {
                int s = stream.nextInt(starts) * period;
                System.arraycopy(tokens, s, in, b * T, T);
                System.arraycopy(tokens, s + 1, tg, b * T, T);
                ids[b] = 1_000_000_000L + (long) i * B + b;
            }
            out[i] = Batch.of(B, T, in, tg, ids);
        }
        return out;
    }

    /**
     * Mean loss and accuracy by phase: the target at position t of a window is stream token s + t + 1,
     * whose phase is (t + 1) mod period because s is a multiple of period.
     */
    static Eval evaluate(Gpt model, Batch[] batches, int step, int period) {
        int V = model.config().vocabSize();
        double loss = 0;
        long n = 0;
        long[] correct = new long[period];
        long[] count = new long[period];
        try (var ng = Engine.noGrad()) {
            for (Batch b : batches) {
                float[] logits = model.logits(ModelInput.of(b)).toArray(); // (B,T,V)
                for (int row = 0; row < b.B() * b.T(); row++) {
                    int target = b.targets()[row];
                    int base = row * V;
                    int arg = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < V; v++) {
                        if (logits[base + v] > max) {
                            max = logits[base + v];
                            arg = v;
                        }
                    }
                    double sum = 0;
                    for (int v = 0; v < V; v++) {
                        sum += Math.exp(logits[base + v] - max);
                    }
                    loss += max + Math.log(sum) - logits[base + target];
                    n++;
                    int phase = (row % b.T() + 1) % period;
                    count[phase]++;
                    correct[phase] += arg == target ? 1 : 0;
                }
            }
        }
        double[] acc = new double[period];
        for (int p = 0; p < period; p++) {
            acc[p] = count[p] == 0 ? Double.NaN : (double) correct[p] / count[p];
        }
        return new Eval(step, loss / n, acc);
    }
}
