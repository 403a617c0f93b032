package org.tokenlab.transformer.sample;

/**
 * Soft Thinking's concept token (Zhang et al. 2025; papers.md §5.1), following the official sampler:
 * <ol>
 *   <li>p = softmax(logits / T);</li>
 *   <li>entropy H = −Σ p·ln p of this full tempered distribution, <em>before</em> truncation;</li>
 *   <li>top-k → top-p → min-p truncations, each renormalising;</li>
 *   <li>keep the {@code maxTopk} largest and renormalise → (weights, ids).</li>
 * </ol>
 * The next input is then Σ wⱼ·E[idⱼ]; ids[0] is the arg-max, the token shown as text. With
 * {@code maxTopk = 1} the concept is one-hot on the greedy token (weight exactly 1).
 *
 * @param temperature T &gt; 0
 * @param topK        ≤ 0 to skip
 * @param topP        ≥ 1 to skip
 * @param minP        ≤ 0 to skip
 * @param maxTopk     n, how many tokens the mixture keeps (≥ 1)
 */
public record ConceptSampler(float temperature, int topK, double topP, double minP, int maxTopk) {

    /**
     * A mixture of tokens: ids sorted by decreasing weight (ties by id), weights summing to 1; the entropy
     * and largest probability of the full tempered distribution before truncation.
     */
    public record Concept(int[] ids, float[] weights, double entropy, double top1Prob) {
        /** The arg-max token, the text the step shows. */
        public int top() {
            return ids[0];
        }
    }

    public ConceptSampler {
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("soft-thinking temperature must be finite and > 0, got " + temperature);
        }
        if (maxTopk < 1) {
            throw new IllegalArgumentException("maxTopk must be >= 1, got " + maxTopk);
        }
    }

    /** The published defaults: T 0.6, top-k 30, top-p 0.95, min-p 0.001, max_topk 10. */
    public static ConceptSampler defaults() {
        return new ConceptSampler(0.6f, 30, 0.95, 0.001, 10);
    }

    /** The concept token for one row of logits (V), after removing banned tokens. */
    public Concept next(float[] logits, int[] seq, int len, TokenBan ban) {
        float[] allowed = Sampler.applyBan(logits, seq, len, ban);
        double[] p = Distribution.softmax(allowed, temperature);
        double entropy = Distribution.entropy(p);
        double top1 = Distribution.max(p);
        Sampler.of(temperature, topK, topP, minP).filters().forEach(f -> f.apply(p));
        int[] order = Distribution.sortedSupport(p);
        int n = Math.min(maxTopk, order.length);
        int[] ids = java.util.Arrays.copyOf(order, n);
        double sum = 0;
        for (int id : ids) {
            sum += p[id];
        }
        float[] w = new float[n];
        for (int j = 0; j < n; j++) {
            w[j] = (float) (p[ids[j]] / sum);
        }
        return new Concept(ids, w, entropy, top1);
    }
}
