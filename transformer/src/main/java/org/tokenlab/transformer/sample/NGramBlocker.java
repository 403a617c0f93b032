package org.tokenlab.transformer.sample;

import org.tokenlab.transformer.eval.SubstringIndex;

import java.util.List;

/**
 * The citation blocker (Hyperfitting, papers.md §1.1): given the last n−1 tokens of the sequence, bans
 * every token that would complete an n-gram occurring in a reference set (the training sequences).
 * The n-grams are looked up in a {@link SubstringIndex} of the references.
 */
public final class NGramBlocker implements TokenBan {
    private final int n;
    private final SubstringIndex index;

    /** Blocks n-grams ({@code n >= 1}) of {@code references}. */
    public NGramBlocker(int n, List<int[]> references) {
        this(n, new SubstringIndex(references));
    }

    /** Blocks n-grams of the sequences in an existing index. */
    public NGramBlocker(int n, SubstringIndex index) {
        if (n < 1) {
            throw new IllegalArgumentException("n-gram length must be >= 1, got " + n);
        }
        this.n = n;
        this.index = index;
    }

    @Override
    public void ban(int[] seq, int len, boolean[] banned) {
        if (len < n - 1) {
            return; // not enough context to complete an n-gram
        }
        for (int next : index.continuations(seq, len - (n - 1), len)) {
            if (next >= 0 && next < banned.length) {
                banned[next] = true;
            }
        }
    }
}
