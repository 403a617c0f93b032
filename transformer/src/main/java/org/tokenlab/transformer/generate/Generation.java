package org.tokenlab.transformer.generate;

/**
 * The outcome of one generation.
 *
 * @param tokens       the generated tokens (prompt excluded; for soft thinking the arg-max of each step)
 * @param entropies    per generated step, entropy (nats) of the step's full distribution: softmax(logits)
 *                     for token steps, the tempered softmax(logits/T) for soft-thinking steps
 * @param top1         per generated step, the largest probability of that same distribution
 * @param thinkingSteps soft thinking: steps spent in thinking mode (up to and including the end token); else 0
 * @param coldStopped  soft thinking: whether Cold Stop forced the end-of-thinking token
 */
public record Generation(int[] tokens, double[] entropies, double[] top1, int thinkingSteps, boolean coldStopped) {

    /** Mean of the per-step entropies (NaN when nothing was generated). */
    public double meanEntropy() {
        double s = 0;
        for (double e : entropies) {
            s += e;
        }
        return entropies.length == 0 ? Double.NaN : s / entropies.length;
    }
}
