package org.tokenlab.theory.tokenize;

import org.tokenlab.theory.coding.Symbols;

/** One token per byte: id = unsigned byte value, V = 256. Accepts every input. */
public final class ByteTokenizer implements Tokenizer {
    @Override
    public int[] encode(byte[] bytes) {
        return Symbols.fromBytes(bytes);
    }

    @Override
    public byte[] decode(int[] tokens) {
        return Symbols.toBytes(tokens); // an id outside [0, 256) is an error naming its position
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public String name() {
        return "bytes";
    }
}
