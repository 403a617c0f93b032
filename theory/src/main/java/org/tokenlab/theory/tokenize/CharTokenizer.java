package org.tokenlab.theory.tokenize;

/**
 * One token per character over a fixed alphabet of byte values (ASCII text or Markov symbols): id = rank
 * of the byte in the alphabet, V = alphabet size. There is no UNK: a byte outside the alphabet is an
 * {@link IllegalArgumentException} naming the byte and its position.
 */
public final class CharTokenizer implements Tokenizer {
    private final Alphabet alphabet;

    /** Over an explicit alphabet. */
    public CharTokenizer(Alphabet alphabet) {
        this.alphabet = alphabet;
    }

    /** Over the distinct bytes of {@code corpus}. */
    public static CharTokenizer fromCorpus(byte[] corpus) {
        return new CharTokenizer(Alphabet.of(corpus));
    }

    /** The alphabet. */
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public int[] encode(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = alphabet.require(bytes, i);
        }
        return ids;
    }

    @Override
    public byte[] decode(int[] tokens) {
        byte[] out = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= alphabet.size()) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside [0, " + alphabet.size() + ")");
            }
            out[i] = alphabet.symbol(tokens[i]);
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return alphabet.size();
    }

    @Override
    public String name() {
        return "chars-" + alphabet.size();
    }
}
