package org.tokenlab.theory.tokenize;

/**
 * A reversible map between byte strings and token ids {@code 0..vocabSize()-1}.
 *
 * <p>Contract: {@code decode(encode(x))} equals {@code x} for every input the tokenizer accepts; inputs
 * it cannot represent (a byte outside its alphabet) raise {@link IllegalArgumentException} naming the
 * byte and its position, never a silent substitution.
 */
public interface Tokenizer {
    /** The token ids of {@code bytes}. */
    int[] encode(byte[] bytes);

    /** The bytes of {@code tokens}; an id outside the vocabulary names its position. */
    byte[] decode(int[] tokens);

    /** V: ids are {@code 0..V-1}. */
    int vocabSize();

    /** A short name for reports, e.g. {@code "bpe-512"}. */
    String name();
}
