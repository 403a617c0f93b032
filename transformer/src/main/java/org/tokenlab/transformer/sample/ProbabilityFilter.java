package org.tokenlab.transformer.sample;

/**
 * A truncation of a probability vector (V): zero some entries, then renormalise. Filters compose in
 * the order given (the Soft Thinking and sglang order is top-k → top-p → min-p).
 */
@FunctionalInterface
public interface ProbabilityFilter {

    /** Truncates {@code p} in place and renormalises it. */
    void apply(double[] p);

    /** Keeps the k most probable entries (ties broken toward the lower index). */
    static ProbabilityFilter topK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + k);
        }
        return p -> {
            int[] order = Distribution.sortedSupport(p);
            for (int i = k; i < order.length; i++) {
                p[order[i]] = 0;
            }
            Distribution.renormalise(p);
        };
    }

    /**
     * Nucleus: keeps the most probable entries while the probability mass before them is below
     * {@code topP}, so the entry that crosses topP is kept and at least one entry always survives.
     */
    static ProbabilityFilter topP(double topP) {
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        return p -> {
            int[] order = Distribution.sortedSupport(p);
            double before = 0;
            for (int i = 0; i < order.length; i++) {
                double pi = p[order[i]];
                if (i > 0 && before >= topP) {
                    p[order[i]] = 0;
                }
                before += pi;
            }
            Distribution.renormalise(p);
        };
    }

    /** Min-p: zeroes entries below {@code minP} times the largest probability. */
    static ProbabilityFilter minP(double minP) {
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1], got " + minP);
        }
        return p -> {
            double threshold = minP * Distribution.max(p);
            for (int i = 0; i < p.length; i++) {
                if (p[i] < threshold) {
                    p[i] = 0;
                }
            }
            Distribution.renormalise(p);
        };
    }
}
