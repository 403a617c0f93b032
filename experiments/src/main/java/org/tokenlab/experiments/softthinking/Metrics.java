package org.tokenlab.experiments.softthinking;

import java.util.Arrays;
import java.util.List;

/**
 * The measurements of papers.md §5.3 over decoded problems: pass@1 (samples averaged per problem),
 * mean thinking length, Cold Stop rate, per-step entropy, agreement of a trace with the greedy trace,
 * and the S1 identity rate.
 */
final class Metrics {
    private Metrics() {
    }

    /**
     * One decoder's summary on one split.
     *
     * @param accuracy    pass@1 in percent
     * @param thinking    mean thinking tokens (up to and including {@code </think>})
     * @param coldStop    share of problems where Cold Stop fired, in percent
     * @param entropy     mean thinking-step entropy (nats, T 0.6), NaN when not recorded
     * @param agreement   share of the trace's thinking steps equal to the greedy token there, in percent
     * @param trace       mean entropy at thinking step i (over problems that reach step i)
     */
    record Stats(double accuracy, double thinking, double coldStop, double entropy, double agreement,
                 double[] trace) {
    }

    static Stats of(List<Decoders.Decoded> d, List<Decoders.Decoded> greedy) {
        return new Stats(accuracy(d), thinking(d), coldStopRate(d), meanEntropy(d),
                greedy == null ? Double.NaN : agreement(d, greedy), entropyTrace(d));
    }

    /** pass@1 in percent: per problem the share of correct samples, averaged over problems. */
    static double accuracy(List<Decoders.Decoded> d) {
        double s = 0;
        for (Decoders.Decoded x : d) {
            int ok = 0;
            for (boolean c : x.correct()) {
                ok += c ? 1 : 0;
            }
            s += ok / (double) x.correct().length;
        }
        return d.isEmpty() ? Double.NaN : 100 * s / d.size();
    }

    /** Mean thinking length, samples averaged per problem. */
    static double thinking(List<Decoders.Decoded> d) {
        return d.stream().mapToDouble(x -> Arrays.stream(x.thinking()).average().orElse(0)).average().orElse(Double.NaN);
    }

    /** Cold Stop trigger rate in percent. */
    static double coldStopRate(List<Decoders.Decoded> d) {
        return d.isEmpty() ? Double.NaN : 100.0 * d.stream().filter(Decoders.Decoded::coldStopped).count() / d.size();
    }

    /** Mean entropy over all recorded thinking steps (NaN when none). */
    static double meanEntropy(List<Decoders.Decoded> d) {
        return d.stream().flatMapToDouble(x -> Arrays.stream(x.entropies())).average().orElse(Double.NaN);
    }

    /** Mean entropy at each thinking step index, over the problems whose trace reaches it. */
    static double[] entropyTrace(List<Decoders.Decoded> d) {
        int n = d.stream().mapToInt(x -> x.entropies().length).max().orElse(0);
        double[] sum = new double[n];
        int[] cnt = new int[n];
        for (Decoders.Decoded x : d) {
            for (int i = 0; i < x.entropies().length; i++) {
                sum[i] += x.entropies()[i];
                cnt[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= cnt[i];
        }
        return sum;
    }

    /**
     * Step-weighted agreement with greedy (percent): over every thinking step i of each trace (up to and
     * including {@code </think>}), whether the greedy trace of the same problem has the same token at i.
     */
    static double agreement(List<Decoders.Decoded> d, List<Decoders.Decoded> greedy) {
        check(d, greedy);
        long steps = 0;
        long same = 0;
        for (int p = 0; p < d.size(); p++) {
            int[] a = d.get(p).tokens();
            int[] g = greedy.get(p).tokens();
            int n = Tasks.thinkingLength(a);
            for (int i = 0; i < n; i++) {
                steps++;
                same += i < g.length && a[i] == g[i] ? 1 : 0;
            }
        }
        return steps == 0 ? Double.NaN : 100.0 * same / steps;
    }

    /** Share of problems (percent) whose whole generated sequence equals the greedy one token for token. */
    static double identical(List<Decoders.Decoded> d, List<Decoders.Decoded> greedy) {
        check(d, greedy);
        long same = 0;
        for (int p = 0; p < d.size(); p++) {
            same += Arrays.equals(d.get(p).tokens(), greedy.get(p).tokens()) ? 1 : 0;
        }
        return d.isEmpty() ? Double.NaN : 100.0 * same / d.size();
    }

    private static void check(List<Decoders.Decoded> d, List<Decoders.Decoded> greedy) {
        if (d.size() != greedy.size()) {
            throw new IllegalArgumentException("traces of " + d.size() + " problems compared with " + greedy.size()
                    + " greedy traces");
        }
    }
}
