package org.tokenlab.experiments.hyperfitting;

import java.util.Arrays;
import org.tokenlab.tensor.rng.RandomStream;

/** Summary statistics of the Hyperfitting checks (papers.md §1.3–1.4). Pure functions. */
final class HyperfitMetrics {
    private HyperfitMetrics() {
    }

    /** The arithmetic mean (NaN for an empty array). */
    static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
    }

    /** The share of values at least {@code min} (NaN for an empty array). */
    static double shareAtLeast(int[] x, int min) {
        return x.length == 0 ? Double.NaN : (double) Arrays.stream(x).filter(v -> v >= min).count() / x.length;
    }

    /** The fraction of positions where two arg-max predictions differ. */
    static double disagreement(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("top-1 predictions of different or zero length: " + a.length + " vs " + b.length);
        }
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] != b[i] ? 1 : 0;
        }
        return (double) d / a.length;
    }

    /** A confidence interval [lo, hi] with its point estimate. */
    record Interval(double estimate, double lo, double hi) {
        boolean excludesZero() {
            return lo > 0 || hi < 0;
        }
    }

    /**
     * Paired bootstrap of the mean difference mean(b − a) over contexts: {@code resamples} resamples of
     * the context indices with replacement, percentile interval at {@code level} (e.g. 0.95).
     */
    static Interval pairedBootstrap(double[] a, double[] b, int resamples, double level, RandomStream rng) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired bootstrap needs equal, non-zero lengths: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = b[i] - a[i];
        }
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[rng.nextInt(n)];
            }
            means[r] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        int lo = (int) Math.floor(alpha * (resamples - 1));
        int hi = (int) Math.ceil((1 - alpha) * (resamples - 1));
        return new Interval(mean(d), means[lo], means[hi]);
    }
}
