package org.tokenlab.theory.bounds;

/**
 * A unigram model over token ids {@code 0..V−1} fitted from token frequencies with add-λ smoothing:
 * q(t) = (c(t) + λ) / (N + λ·V). λ = ½ (Krichevsky–Trofimov) by default: it keeps unseen tokens
 * finite without moving much mass when N ≫ V. With λ = 0 it is the maximum-likelihood fit, and a test
 * token unseen in training has infinite loss.
 */
public final class UnigramTokenModel {
    /** The default smoothing λ = ½. */
    public static final double DEFAULT_LAMBDA = 0.5;

    private final double[] logProb;

    private UnigramTokenModel(double[] logProb) {
        this.logProb = logProb;
    }

    /** Fits q on {@code tokens} over a vocabulary of {@code vocabSize} ids. */
    public static UnigramTokenModel fit(int[] tokens, int vocabSize, double lambda) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " < 1");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("smoothing λ = " + lambda + " must be finite and >= 0");
        }
        long[] counts = new long[vocabSize];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabSize) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside [0, " + vocabSize + ")");
            }
            counts[tokens[i]]++;
        }
        double denominator = tokens.length + lambda * vocabSize;
        if (!(denominator > 0)) {
            throw new IllegalArgumentException("no training tokens and λ = 0: the model is undefined");
        }
        double[] lp = new double[vocabSize];
        for (int t = 0; t < vocabSize; t++) {
            lp[t] = Math.log((counts[t] + lambda) / denominator);
        }
        return new UnigramTokenModel(lp);
    }

    /** ln q(token). */
    public double logProb(int token) {
        return logProb[token];
    }

    /** −Σ ln q(t_i), nats. */
    public double totalNats(int[] tokens) {
        double nats = 0;
        for (int t : tokens) {
            nats -= logProb[t];
        }
        return nats;
    }
}
