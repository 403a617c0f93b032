package org.tokenlab.transformer.train;

/**
 * log-sum-exp, entropy, top-1 probability and arg-max of one row of logits {@code z[off, off+V)}, in double
 * (the evaluation statistics of {@link Evaluation}; experiments score rows with it too).
 */
public record RowStats(double logSumExp, double entropy, double top1, int argmax) {
    public static RowStats of(float[] z, int off, int V) {
        int arg = 0;
        double max = z[off];
        for (int v = 1; v < V; v++) {
            if (z[off + v] > max) {
                max = z[off + v];
                arg = v;
            }
        }
        double sum = 0;
        double weighted = 0; // Σ e^(z−max)·(z−max)
        for (int v = 0; v < V; v++) {
            double d = z[off + v] - max;
            double e = Math.exp(d);
            sum += e;
            weighted += e * d;
        }
        double logSum = Math.log(sum);
        // H = log Σe − Σ p·(z − max)
        return new RowStats(max + logSum, logSum - weighted / sum, 1.0 / sum, arg);
    }
}
