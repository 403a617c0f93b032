package org.tokenlab.experiments.lexinvariant;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-position measurements (papers.md §2.3): position buckets [1–8], [9–16], [17–32], then 32 wide to
 * 128 and 64 wide to 512; means over a position range; the relative perplexity gap
 * G(t) = exp(ℓ_lex(t) − ℓ_std(t)) − 1; and Spearman's rank correlation.
 *
 * <p>Positions are 1-based: position t is the prediction made after reading t tokens (row t−1 of a
 * window), so a per-position array {@code a} holds position t at {@code a[t−1]}.
 */
final class PositionMetrics {
    private static final int[] EDGES = {1, 9, 17, 33, 65, 97, 129, 193, 257, 321, 385, 449, 513};

    private PositionMetrics() {
    }

    /** An inclusive range of 1-based positions. */
    record Bucket(int from, int to) {
        Bucket {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("bucket [" + from + ", " + to + "] is not a range of positions ≥ 1");
            }
        }

        String label() {
            return from + "–" + to;
        }

        /** The middle of the range (x of a plot). */
        double mid() {
            return (from + to) / 2.0;
        }
    }

    /** The standard buckets that fit in T positions. */
    static List<Bucket> buckets(int T) {
        List<Bucket> out = new ArrayList<>();
        for (int i = 0; i + 1 < EDGES.length && EDGES[i + 1] - 1 <= T; i++) {
            out.add(new Bucket(EDGES[i], EDGES[i + 1] - 1));
        }
        return out;
    }

    /** Mean of {@code perPos} over positions [from, to] (1-based, inclusive); NaN when the range exceeds the array. */
    static double rangeMean(double[] perPos, int from, int to) {
        if (from < 1 || to > perPos.length || to < from) {
            return Double.NaN;
        }
        double s = 0;
        for (int t = from; t <= to; t++) {
            s += perPos[t - 1];
        }
        return s / (to - from + 1);
    }

    /** Bucket means of {@code perPos}. */
    static double[] bucketMeans(double[] perPos, List<Bucket> buckets) {
        double[] out = new double[buckets.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rangeMean(perPos, buckets.get(i).from(), buckets.get(i).to());
        }
        return out;
    }

    /** G = exp(ℓ_lex − ℓ_std) − 1, the relative perplexity gap (0 = parity, 1 = twice the perplexity). */
    static double gap(double lossLex, double lossStd) {
        return Math.exp(lossLex - lossStd) - 1.0;
    }

    /** Element-wise {@link #gap}. */
    static double[] gaps(double[] lossLex, double[] lossStd) {
        double[] g = new double[lossLex.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = gap(lossLex[i], lossStd[i]);
        }
        return g;
    }

    /** Spearman's ρ (Pearson correlation of average ranks); NaN for fewer than 2 points or a constant input. */
    static double spearman(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("spearman: " + x.length + " x values but " + y.length + " y values");
        }
        if (x.length < 2) {
            return Double.NaN;
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < rx.length; i++) {
            mx += rx[i];
            my += ry[i];
        }
        mx /= rx.length;
        my /= ry.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Average ranks (1-based; ties share the mean of their ranks). */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    /** 1, 2, …, n as doubles (the x of a per-position curve). */
    static double[] positions(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
