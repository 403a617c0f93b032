package org.tokenlab.transformer.sample;

import org.tokenlab.theory.markov.Entropy;

/**
 * Probability helpers on one row of logits (V). Computed in double so that truncation and
 * renormalisation do not lose small probabilities.
 */
public final class Distribution {
    private Distribution() {
    }

    /** The index of the largest logit, the first one on ties; NaN logits are an error. */
    public static int argmax(float[] logits) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            if (Float.isNaN(x)) {
                throw new IllegalArgumentException("logits[" + i + "] is NaN");
            }
            if (best < 0 || x > bestValue) {
                best = i;
                bestValue = x;
            }
        }
        if (best < 0 || bestValue == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is banned (all logits are -inf)");
        }
        return best;
    }

    /** softmax(logits / temperature) (V) → probabilities (V); temperature must be > 0. */
    public static double[] softmax(float[] logits, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        double max = logits[argmax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double e = Math.exp((logits[i] - max) / temperature);
            p[i] = e;
            sum += e;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Shannon entropy −Σ p·ln p in nats (0·ln 0 = 0); the theory module's definition. */
    public static double entropy(double[] p) {
        return Entropy.of(p);
    }

    /** The largest probability. */
    public static double max(double[] p) {
        double m = 0;
        for (double x : p) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** Divides by the sum so the entries add to 1; an all-zero vector is an error. */
    public static void renormalise(double[] p) {
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        if (!(sum > 0)) {
            throw new IllegalStateException("no probability mass left after truncation");
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
    }

    /**
     * Indices of the non-zero entries sorted by decreasing probability, ties by increasing index (so the
     * first entry is the arg-max that greedy decoding picks).
     */
    public static int[] sortedSupport(double[] p) {
        int n = 0;
        for (double x : p) {
            if (x > 0) {
                n++;
            }
        }
        Integer[] idx = new Integer[n];
        for (int i = 0, j = 0; i < p.length; i++) {
            if (p[i] > 0) {
                idx[j++] = i;
            }
        }
        java.util.Arrays.sort(idx, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Draws an index from {@code p} (summing to 1) with one uniform draw {@code u} in [0, 1). */
    public static int draw(double[] p, double u) {
        double cum = 0;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cum += p[i];
                last = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        if (last < 0) {
            throw new IllegalStateException("cannot draw from an all-zero distribution");
        }
        return last; // u fell in the rounding gap above the cumulative sum
    }
}
