package org.tokenlab.theory.tokenize;

/** One token per byte: id = unsigned byte value, V = 256. Accepts every input. */
public final class ByteTokenizer implements Tokenizer {
    @Override
    public int[] encode(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public byte[] decode(int[] tokens) {
        byte[] out = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] > 255) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside [0, 256)");
            }
            out[i] = (byte) tokens[i];
        }
        return out;
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
