package org.tokenlab.theory.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy longest-match encoding over an arbitrary dictionary of byte strings (id = index in the list):
 * at each position take the longest dictionary string that matches. Used for LZW dictionaries and as
 * the "sequential" encoder over a BPE vocabulary. The dictionary must hold every single byte the input
 * can contain; a byte no entry starts with is an error naming it and its position.
 */
public final class GreedyTokenizer implements Tokenizer {
    private final List<byte[]> dictionary;
    private final Trie trie = new Trie();
    private final String name;

    /** Over {@code dictionary}; entries must be non-empty and distinct. */
    public GreedyTokenizer(List<byte[]> dictionary, String name) {
        this.dictionary = new ArrayList<>(dictionary.size());
        this.name = name;
        for (int id = 0; id < dictionary.size(); id++) {
            byte[] s = dictionary.get(id);
            if (s.length == 0) {
                throw new IllegalArgumentException("dictionary entry " + id + " is empty");
            }
            if (!trie.insert(s, 0, s.length, id)) {
                throw new IllegalArgumentException("dictionary entry " + id + " repeats an earlier entry");
            }
            this.dictionary.add(s.clone());
        }
    }

    /** The greedy encoder over the token strings of a BPE vocabulary. */
    public static GreedyTokenizer overBpe(BpeTokenizer bpe) {
        List<byte[]> dict = new ArrayList<>(bpe.vocabSize());
        for (int id = 0; id < bpe.vocabSize(); id++) {
            dict.add(bpe.tokenBytes(id));
        }
        return new GreedyTokenizer(dict, "greedy-" + bpe.name());
    }

    /** The bytes of entry {@code id}. */
    public byte[] entry(int id) {
        return dictionary.get(id).clone();
    }

    @Override
    public int[] encode(byte[] bytes) {
        IntList out = new IntList(bytes.length / 2 + 1);
        int[] id = new int[1];
        int i = 0;
        while (i < bytes.length) {
            int len = trie.longestMatch(bytes, i, id);
            if (len == 0) {
                throw new IllegalArgumentException(String.format("byte 0x%02x at position %d starts no dictionary entry", bytes[i] & 0xFF, i));
            }
            out.add(id[0]);
            i += len;
        }
        return out.toArray();
    }

    @Override
    public byte[] decode(int[] tokens) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(tokens.length * 4);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= dictionary.size()) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside [0, " + dictionary.size() + ")");
            }
            out.writeBytes(dictionary.get(tokens[i]));
        }
        return out.toByteArray();
    }

    @Override
    public int vocabSize() {
        return dictionary.size();
    }

    @Override
    public String name() {
        return name;
    }
}
