package org.tokenlab.experiments.prior;

/**
 * PRIOR's token weights (papers.md §6.1): wᵢ = (1 − P_r(tᵢ | t&lt;ᵢ))^α from a frozen caption-only reference
 * model, normalised so that the weights of one caption have mean 1 (w̃ᵢ = k·wᵢ / Σⱼ wⱼ over its k tokens),
 * which makes Σᵢ w̃ᵢ·ℓᵢ exactly the paper's ℒ_PRIOR. The per-batch ablation leaves the raw wᵢ: the
 * weighted mean loss Σ wᵢℓᵢ / Σ wᵢ over a batch is then normalised by the whole batch instead.
 * Also the design statistics of check P1.
 */
public final class PriorWeights {
    private PriorWeights() {
    }

    /** How weights are normalised. */
    public enum Norm { CAPTION, BATCH }

    /** Raw importance scores (1 − P_r)^α, one per caption token. */
    public static float[] raw(float[] referenceProbs, double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("PriorWeights.raw: alpha must be > 0, got " + alpha);
        }
        float[] w = new float[referenceProbs.length];
        for (int i = 0; i < w.length; i++) {
            float p = referenceProbs[i];
            if (!(p >= 0f && p <= 1f)) {
                throw new IllegalArgumentException("PriorWeights.raw: probability " + p + " at token " + i + " is not in [0, 1]");
            }
            w[i] = (float) Math.pow(1.0 - p, alpha);
        }
        return w;
    }

    /** k·w / Σw over one caption's k tokens (mean 1); all ones when every w is 0. */
    public static float[] perCaption(float[] w) {
        double sum = 0;
        for (float x : w) {
            sum += x;
        }
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = sum > 0 ? (float) (w.length * w[i] / sum) : 1f;
        }
        return out;
    }

    /** The loss weights of one caption under (α, normalisation). */
    public static float[] lossWeights(float[] referenceProbs, double alpha, Norm norm) {
        float[] w = raw(referenceProbs, alpha);
        return norm == Norm.CAPTION ? perCaption(w) : w;
    }

    /** Mean raw weight of the tokens of class {@code cls} over captions; NaN when there are none. */
    public static double meanByClass(float[][] w, byte[][] classes, byte cls) {
        double s = 0;
        long n = 0;
        for (int c = 0; c < w.length; c++) {
            for (int i = 0; i < w[c].length; i++) {
                if (classes[c][i] == cls) {
                    s += w[c][i];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Point-biserial correlation between w and the indicator "token is of class {@code cls}" (Pearson r). */
    public static double pointBiserial(float[][] w, byte[][] classes, byte cls) {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long n = 0;
        for (int c = 0; c < w.length; c++) {
            for (int i = 0; i < w[c].length; i++) {
                double x = w[c][i];
                double y = classes[c][i] == cls ? 1 : 0;
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                n++;
            }
        }
        double cov = sxy / n - (sx / n) * (sy / n);
        double vx = sxx / n - (sx / n) * (sx / n);
        double vy = syy / n - (sy / n) * (sy / n);
        return vx <= 0 || vy <= 0 ? Double.NaN : cov / Math.sqrt(vx * vy);
    }
}
