package org.tokenlab.transformer.train;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;

/**
 * Evaluation of a model on fixed batches, without dropout or autograd: mean next-token loss (nats),
 * the loss at every position t (papers.md §0.4, per-position logging), and the mean entropy and top-1
 * probability of the predictive distribution (Hyperfitting's sharpening measures). Positions whose
 * target is {@link Batch#IGNORE} are skipped; weights are not applied (these are plain nats).
 *
 * @param meanLoss        mean loss over all target positions, nats/token
 * @param positionLoss    (T) mean loss at each position
 * @param positionCount   (T) target positions counted at each position
 * @param meanEntropy     mean entropy −Σ p·ln p of softmax(logits), nats
 * @param meanTop1        mean largest probability
 * @param meanTop1Correct fraction of positions whose arg-max equals the target
 * @param tokens          target positions evaluated
 */
public record Evaluation(double meanLoss, double[] positionLoss, long[] positionCount, double meanEntropy,
                         double meanTop1, double meanTop1Correct, long tokens) {

    /** Evaluates {@code model} on {@code batches} (all of the same T). */
    public static Evaluation of(Gpt model, Batch[] batches) {
        if (batches.length == 0) {
            throw new IllegalArgumentException("no evaluation batches");
        }
        int T = batches[0].T();
        int V = model.config().vocabSize();
        double[] lossSum = new double[T];
        long[] count = new long[T];
        double entropySum = 0;
        double top1Sum = 0;
        long correct = 0;
        long tokens = 0;
        try (var ng = Engine.noGrad()) {
            for (Batch b : batches) {
                if (b.T() != T) {
                    throw new IllegalArgumentException("evaluation batches differ in T: " + b.T() + " vs " + T);
                }
                float[] logits = model.logits(ModelInput.of(b)).toArray(); // (B,T,V)
                for (int row = 0; row < b.B() * b.T(); row++) {
                    int target = b.targets()[row];
                    if (target == Batch.IGNORE) {
                        continue;
                    }
                    RowStats s = RowStats.of(logits, row * V, V);
                    lossSum[row % T] += s.logSumExp() - logits[row * V + target];
                    count[row % T]++;
                    entropySum += s.entropy();
                    top1Sum += s.top1();
                    correct += s.argmax() == target ? 1 : 0;
                    tokens++;
                }
            }
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("evaluation batches have no target positions");
        }
        double total = 0;
        double[] perPos = new double[T];
        for (int t = 0; t < T; t++) {
            total += lossSum[t];
            perPos[t] = count[t] == 0 ? Double.NaN : lossSum[t] / count[t];
        }
        return new Evaluation(total / tokens, perPos, count, entropySum / tokens, top1Sum / tokens,
                (double) correct / tokens, tokens);
    }

    /**
     * ln p(target) at every position of {@code b} (B·T values, NaN where the target is IGNORE), without
     * autograd: the per-token probabilities a frozen reference model gives (PRIOR's P_r).
     */
    public static float[] targetLogProbs(Gpt model, Batch b) {
        int V = model.config().vocabSize();
        float[] out = new float[b.B() * b.T()];
        try (var ng = Engine.noGrad()) {
            float[] logits = model.logits(ModelInput.of(b)).toArray(); // (B,T,V)
            for (int row = 0; row < out.length; row++) {
                int target = b.targets()[row];
                out[row] = target == Batch.IGNORE ? Float.NaN
                        : (float) (logits[row * V + target] - RowStats.of(logits, row * V, V).logSumExp());
            }
        }
        return out;
    }
}
