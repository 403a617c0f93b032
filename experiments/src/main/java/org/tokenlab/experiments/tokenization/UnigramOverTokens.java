package org.tokenlab.experiments.tokenization;

import org.tokenlab.theory.tokenize.Tokenizer;

/**
 * The unigram model over tokens (papers.md §4.2): Q(t₁…t_j) = Π q(t_i), q fitted from the token counts
 * of the training stream with add-½ smoothing over the vocabulary; its loss is reported per
 * <em>character</em>: −Σ ln q(t_i) / #characters of the test stream.
 */
final class UnigramOverTokens {
    private UnigramOverTokens() {
    }

    /** Loss in nats per character of the token unigram fitted on {@code train}, evaluated on {@code test}. */
    static double lossPerChar(Tokenizer tokenizer, byte[] train, byte[] test) {
        int v = tokenizer.vocabSize();
        long[] counts = new long[v];
        int[] trainTokens = tokenizer.encode(train);
        for (int t : trainTokens) {
            counts[t]++;
        }
        double total = trainTokens.length + 0.5 * v;
        double[] logQ = new double[v];
        for (int t = 0; t < v; t++) {
            logQ[t] = Math.log((counts[t] + 0.5) / total);
        }
        double nats = 0;
        for (int t : tokenizer.encode(test)) {
            nats -= logQ[t];
        }
        return nats / test.length;
    }

    /** Mean characters per token of {@code tokenizer} on {@code text}. */
    static double charsPerToken(Tokenizer tokenizer, byte[] text) {
        return (double) text.length / tokenizer.encode(text).length;
    }

    /** The share of the gap H(π) − H∞ a loss closes: (H(π) − L) / (H(π) − H∞). */
    static double closure(double loss, double unigramEntropy, double entropyRate) {
        return (unigramEntropy - loss) / (unigramEntropy - entropyRate);
    }
}
