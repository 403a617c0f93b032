package org.tokenlab.theory.markov;

import java.util.SplittableRandom;

/**
 * An order-k Markov source over the alphabet {0..A−1}: x_n ~ P(· | x_{n−k} … x_{n−1}).
 *
 * <p>States are k-grams written as base-A numbers with the oldest symbol most significant:
 * s = Σ_{i=1..k} x_{n−i}·A^{i−1}; after symbol x the state becomes (s·A + x) mod A^k. Order 0 has a
 * single state. Symbols are emitted as bytes (A ≤ 256), the form the tokenizers consume.
 *
 * <p>Exact quantities (nats): the stationary distribution π over states ({@link Stationary}), the
 * single-symbol marginal π₁ and its entropy H(π₁) — the loss of the best unigram model — and the
 * entropy rate H∞ = Σ_s π(s)·H(P(·|s)) — the loss of the Bayes predictor.
 */
public final class MarkovSource {
    private final int alphabet;
    private final int order;
    private final int states;
    private final double[][] kernel; // [state][symbol]
    private double[] stationary;     // lazily computed

    private MarkovSource(int alphabet, int order, double[][] kernel) {
        this.alphabet = alphabet;
        this.order = order;
        this.states = kernel.length;
        this.kernel = kernel;
    }

    /**
     * A source with an explicit kernel {@code kernel[state][symbol]} (rows are normalised; each must have
     * a positive finite sum of non-negative entries).
     */
    public static MarkovSource of(int alphabet, int order, double[][] kernel) {
        if (alphabet < 1 || alphabet > 256) {
            throw new IllegalArgumentException("alphabet size " + alphabet + " outside [1, 256]");
        }
        if (order < 0) {
            throw new IllegalArgumentException("order " + order + " < 0");
        }
        double states = Math.pow(alphabet, order);
        if (states > 1 << 22) {
            throw new IllegalArgumentException("A^k = " + alphabet + "^" + order + " states is too many (max 2^22)");
        }
        if (kernel.length != (int) states) {
            throw new IllegalArgumentException("kernel has " + kernel.length + " rows, expected A^k = " + (int) states);
        }
        double[][] rows = new double[kernel.length][];
        for (int s = 0; s < kernel.length; s++) {
            if (kernel[s].length != alphabet) {
                throw new IllegalArgumentException("kernel row " + s + " has " + kernel[s].length + " entries, expected " + alphabet);
            }
            double sum = 0;
            for (int x = 0; x < alphabet; x++) {
                double p = kernel[s][x];
                if (!(p >= 0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException("kernel[" + s + "][" + x + "] = " + p + "; expected finite and >= 0");
                }
                sum += p;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("kernel row " + s + " sums to " + sum);
            }
            rows[s] = new double[alphabet];
            for (int x = 0; x < alphabet; x++) {
                rows[s][x] = kernel[s][x] / sum;
            }
        }
        return new MarkovSource(alphabet, order, rows);
    }

    /**
     * The binary order-k switching source: x_n depends only on x_{n−k}, through P = [[1−p, p], [q, 1−q]]
     * (P(1|0) = p, P(0|1) = q). Its entropy rate is (q·h(p) + p·h(q)) / (p + q).
     */
    public static MarkovSource switching(int order, double p, double q) {
        if (order < 1) {
            throw new IllegalArgumentException("switching source needs order >= 1, got " + order);
        }
        if (!(p > 0 && p < 1 && q > 0 && q < 1)) {
            throw new IllegalArgumentException("switching probabilities p = " + p + ", q = " + q + " must lie in (0, 1)");
        }
        int states = 1 << order;
        double[][] kernel = new double[states][];
        for (int s = 0; s < states; s++) {
            int oldest = s >>> (order - 1); // x_{n−k}
            kernel[s] = oldest == 0 ? new double[] {1 - p, p} : new double[] {q, 1 - q};
        }
        return of(2, order, kernel);
    }

    /** A random kernel: each row drawn from a symmetric Dirichlet(α), from {@code seed}. */
    public static MarkovSource dirichlet(int alphabet, int order, double alpha, long seed) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("Dirichlet alpha " + alpha + " must be > 0");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int states = (int) Math.pow(alphabet, order);
        double[][] kernel = new double[states][alphabet];
        for (int s = 0; s < states; s++) {
            double sum = 0;
            for (int x = 0; x < alphabet; x++) {
                kernel[s][x] = gamma(alpha, rng);
                sum += kernel[s][x];
            }
            if (!(sum > 0)) { // all draws underflowed (tiny alpha): put the mass on one symbol
                kernel[s][rng.nextInt(alphabet)] = 1;
            }
        }
        return of(alphabet, order, kernel);
    }

    /** Gamma(α, 1) by Marsaglia–Tsang; α < 1 through Gamma(α + 1)·U^(1/α). */
    private static double gamma(double alpha, SplittableRandom rng) {
        if (alpha < 1) {
            return gamma(alpha + 1, rng) * Math.pow(rng.nextDouble(), 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = rng.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** A. */
    public int alphabetSize() {
        return alphabet;
    }

    /** k. */
    public int order() {
        return order;
    }

    /** A^k. */
    public int states() {
        return states;
    }

    /** P(· | state); do not modify. */
    public double[] nextDistribution(int state) {
        return kernel[state];
    }

    /** The state after emitting {@code symbol} in {@code state}. */
    public int nextState(int state, int symbol) {
        return order == 0 ? 0 : (int) (((long) state * alphabet + symbol) % states);
    }

    /** π over the A^k states (computed once). */
    public double[] stationary() {
        if (stationary == null) {
            stationary = Stationary.of(this);
        }
        return stationary.clone();
    }

    /** π₁: the stationary marginal of one symbol (the newest symbol of the state). */
    public double[] symbolMarginal() {
        double[] pi = stationary();
        double[] m = new double[alphabet];
        if (order == 0) {
            return kernel[0].clone();
        }
        for (int s = 0; s < states; s++) {
            m[s % alphabet] += pi[s];
        }
        return m;
    }

    /** H(π₁), nats: the loss of the best character-unigram model. */
    public double unigramEntropy() {
        return Entropy.of(symbolMarginal());
    }

    /** H∞ = Σ_s π(s)·H(P(·|s)), nats: the loss of the Bayes-optimal predictor. */
    public double entropyRate() {
        double[] pi = stationary();
        double h = 0;
        for (int s = 0; s < states; s++) {
            h += pi[s] * Entropy.of(kernel[s]);
        }
        return h;
    }

    /**
     * {@code n} symbols from {@code seed}, started in stationarity: the first state is drawn from π and
     * its k symbols are the first k outputs.
     */
    public byte[] generate(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] out = new byte[n];
        int state = sample(order == 0 ? new double[] {1} : stationary(), rng);
        int i = 0;
        for (int j = order - 1; j >= 0 && i < n; j--) {
            out[i++] = (byte) ((state / (int) Math.pow(alphabet, j)) % alphabet);
        }
        for (; i < n; i++) {
            int x = sample(kernel[state], rng);
            out[i] = (byte) x;
            state = nextState(state, x);
        }
        return out;
    }

    private static int sample(double[] p, SplittableRandom rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int x = 0; x < p.length; x++) {
            c += p[x];
            if (u < c) {
                return x;
            }
        }
        for (int x = p.length - 1; x >= 0; x--) { // u beyond the rounded total: the last positive entry
            if (p[x] > 0) {
                return x;
            }
        }
        throw new IllegalStateException("empty distribution");
    }

    /** Mean −ln P(x_i | state_i) over positions i ≥ k of {@code stream}: the Bayes predictor's loss. */
    public double bayesLoss(byte[] stream) {
        if (stream.length <= order) {
            throw new IllegalArgumentException("stream of " + stream.length + " symbols is not longer than k = " + order);
        }
        int state = 0;
        for (int i = 0; i < order; i++) {
            state = nextState(state, symbolAt(stream, i));
        }
        double loss = 0;
        for (int i = order; i < stream.length; i++) {
            int x = symbolAt(stream, i);
            loss -= Math.log(kernel[state][x]);
            state = nextState(state, x);
        }
        return loss / (stream.length - order);
    }

    /** Mean −ln π₁(x_i) over {@code stream}: the loss of the true unigram model. */
    public double unigramLoss(byte[] stream) {
        double[] m = symbolMarginal();
        double loss = 0;
        for (int i = 0; i < stream.length; i++) {
            loss -= Math.log(m[symbolAt(stream, i)]);
        }
        return loss / stream.length;
    }

    private int symbolAt(byte[] stream, int i) {
        int x = stream[i] & 0xFF;
        if (x >= alphabet) {
            throw new IllegalArgumentException("symbol " + x + " at position " + i + " outside the alphabet of " + alphabet);
        }
        return x;
    }
}
