package org.tokenlab.transformer.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Diversity and memorisation measures on token sequences (papers.md §1.3). Pure functions. */
public final class TextMetrics {
    private TextMetrics() {
    }

    /**
     * Type-token ratio over the last {@code k} tokens: |distinct ids| / |window|. A sequence shorter than
     * k is measured whole (the Hyperfitting code uses the last 96 generated tokens).
     */
    public static double ttr(int[] tokens, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("TTR window must be >= 1, got " + k);
        }
        if (tokens.length == 0) {
            throw new IllegalArgumentException("TTR of an empty sequence is undefined");
        }
        int from = Math.max(0, tokens.length - k);
        Set<Integer> types = new HashSet<>();
        for (int i = from; i < tokens.length; i++) {
            types.add(tokens[i]);
        }
        return (double) types.size() / (tokens.length - from);
    }

    /**
     * rep-n: the fraction of n-grams in the sequence that repeat an earlier n-gram of the same sequence,
     * 1 − |distinct n-grams| / |n-grams|. 0 when the sequence has no n-gram.
     */
    public static double repN(int[] tokens, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("rep-n needs n >= 1, got " + n);
        }
        int count = tokens.length - n + 1;
        if (count <= 0) {
            return 0;
        }
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Integer[] gram = new Integer[n];
            for (int j = 0; j < n; j++) {
                gram[j] = tokens[i + j];
            }
            seen.add(List.of(gram));
        }
        return 1.0 - (double) seen.size() / count;
    }

    /** The longest run of {@code tokens} that occurs verbatim in one of the indexed references. */
    public static int longestOverlap(int[] tokens, SubstringIndex references) {
        return references.longestMatch(tokens);
    }

    /** The share of {@code sequences} whose longest verbatim overlap with the references is ≥ {@code minLength}. */
    public static double shareWithOverlap(List<int[]> sequences, SubstringIndex references, int minLength) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to measure");
        }
        int hits = 0;
        for (int[] s : sequences) {
            if (references.longestMatch(s) >= minLength) {
                hits++;
            }
        }
        return (double) hits / sequences.size();
    }
}
