package org.tokenlab.theory.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * LZW dictionaries (papers.md §4): the dictionary of size exactly d holds the A single symbols of the
 * alphabet (ids 0..A−1, ascending byte value) followed by the first d − A phrases added by an LZW parse
 * of the training stream, in order. The parse: at position i take the longest phrase w already in the
 * dictionary, add w·c (c the next byte) as a new phrase, and continue at i + |w|. Tokenizing then uses
 * greedy longest match over this dictionary ({@link GreedyTokenizer}), not the LZW parse itself.
 */
public final class Lzw {
    private Lzw() {
    }

    /**
     * The first {@code d} entries of the LZW dictionary of {@code training}.
     *
     * @throws IllegalArgumentException if d &lt; A, a byte is outside the alphabet, or the stream ends before
     *                                  d entries exist
     */
    public static List<byte[]> dictionary(byte[] training, Alphabet alphabet, int d) {
        if (d < alphabet.size()) {
            throw new IllegalArgumentException("dictionary size " + d + " smaller than the alphabet of " + alphabet.size());
        }
        List<byte[]> dict = new ArrayList<>(d);
        Trie trie = new Trie();
        for (int id = 0; id < alphabet.size(); id++) {
            byte[] single = {alphabet.symbol(id)};
            trie.insert(single, 0, 1, id);
            dict.add(single);
        }
        int[] idOut = new int[1];
        int i = 0;
        while (dict.size() < d) {
            if (i >= training.length) {
                throw new IllegalArgumentException("training stream of " + training.length + " bytes yields only "
                        + dict.size() + " LZW entries, fewer than d = " + d);
            }
            alphabet.require(training, i);
            int len = trie.longestMatch(training, i, idOut);
            if (i + len >= training.length) {
                throw new IllegalArgumentException("training stream of " + training.length + " bytes yields only "
                        + dict.size() + " LZW entries, fewer than d = " + d);
            }
            alphabet.require(training, i + len);
            trie.insert(training, i, i + len + 1, dict.size());
            dict.add(java.util.Arrays.copyOfRange(training, i, i + len + 1));
            i += len;
        }
        return dict;
    }

    /** Greedy longest-match tokenizer over the first {@code d} LZW entries of {@code training}. */
    public static GreedyTokenizer tokenizer(byte[] training, Alphabet alphabet, int d) {
        return new GreedyTokenizer(dictionary(training, alphabet, d), "lzw-" + d);
    }
}
