package org.tokenlab.theory.coding;

import java.util.HashMap;
import java.util.Map;

/**
 * Order-2 byte n-gram model with add-½ smoothing: the quick-profile M1 of papers.md §3.3.
 *
 * <p>p(x | a, b) = (c(a, b, x) + ½) / (c(a, b) + 128), counts from one pass over the training bytes.
 * Backoff (documented choice): the model uses the longest context that (1) lies inside the current
 * window, i.e. was seen since the last {@link #reset()}, and (2) occurred in training; so the first byte
 * after a reset uses the add-½ unigram, the second the add-½ bigram of its predecessor, and an unseen
 * pair (a, b) falls back to the bigram of b (or the unigram). This is "M1 conditions only on bytes inside
 * the current window" for an n-gram model. Tables are quantised once per context and cached.
 */
public final class NGramByteModel implements ProbabilityModel {
    private static final int A = 256;

    private final int precision;
    private final long[] unigram = new long[A];
    private final long[][] bigram = new long[A][];                // [b] -> counts of x after b
    private final Map<Integer, long[]> trigram = new HashMap<>(); // (a << 8 | b) -> counts of x
    private final FrequencyTable unigramTable;
    private final FrequencyTable[] bigramTables = new FrequencyTable[A];
    private final Map<Integer, FrequencyTable> trigramTables = new HashMap<>();

    private int seen; // symbols since reset, capped at 2
    private int prev1 = -1;
    private int prev2 = -1;

    private NGramByteModel(int precision, byte[] training) {
        this.precision = precision;
        for (int i = 0; i < training.length; i++) {
            int x = training[i] & 0xFF;
            unigram[x]++;
            if (i >= 1) {
                int b = training[i - 1] & 0xFF;
                if (bigram[b] == null) {
                    bigram[b] = new long[A];
                }
                bigram[b][x]++;
            }
            if (i >= 2) {
                int key = (training[i - 2] & 0xFF) << 8 | (training[i - 1] & 0xFF);
                trigram.computeIfAbsent(key, k -> new long[A])[x]++;
            }
        }
        this.unigramTable = smoothed(unigram);
    }

    /** Fits the model on {@code training} with tables quantised to {@code precision} bits. */
    public static NGramByteModel fit(byte[] training, int precision) {
        return new NGramByteModel(precision, training);
    }

    private FrequencyTable smoothed(long[] counts) {
        double[] p = new double[A];
        for (int x = 0; x < A; x++) {
            p[x] = counts[x] + 0.5;
        }
        return FrequencyTable.quantize(p, precision);
    }

    @Override
    public int alphabetSize() {
        return A;
    }

    @Override
    public void reset() {
        seen = 0;
        prev1 = -1;
        prev2 = -1;
    }

    @Override
    public FrequencyTable table() {
        if (seen >= 2) {
            int key = prev2 << 8 | prev1;
            long[] counts = trigram.get(key);
            if (counts != null) {
                return trigramTables.computeIfAbsent(key, k -> smoothed(counts));
            }
        }
        if (seen >= 1 && bigram[prev1] != null) {
            FrequencyTable t = bigramTables[prev1];
            if (t == null) {
                t = smoothed(bigram[prev1]);
                bigramTables[prev1] = t;
            }
            return t;
        }
        return unigramTable;
    }

    @Override
    public void update(int symbol) {
        if (symbol < 0 || symbol >= A) {
            throw new IllegalArgumentException("byte symbol " + symbol + " outside [0, 256)");
        }
        prev2 = prev1;
        prev1 = symbol;
        seen = Math.min(2, seen + 1);
    }
}
