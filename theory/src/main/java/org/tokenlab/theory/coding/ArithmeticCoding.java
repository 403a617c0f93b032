package org.tokenlab.theory.coding;

/**
 * Plain arithmetic coding of one chunk: the model is reset once, every symbol is coded, and the code
 * ends with the shortest final point (see {@link RangeEncoder}). The symbol count is not in the code;
 * the decoder is told it, which bounds its work on any input.
 */
public final class ArithmeticCoding {
    private ArithmeticCoding() {
    }

    /** Codes {@code symbols} under {@code model}; the result has ≤ −log₂ p̂ + 1 (+ tiny) bits. */
    public static BitBuffer encode(ProbabilityModel model, int[] symbols) {
        BitBuffer out = new BitBuffer();
        RangeEncoder encoder = new RangeEncoder(out);
        model.reset();
        for (int x : symbols) {
            FrequencyTable t = model.table();
            encoder.encode(t, x);
            model.update(x);
        }
        encoder.finish();
        return out;
    }

    /** Decodes exactly {@code count} symbols; bits past the end of {@code code} read as zero. */
    public static int[] decode(ProbabilityModel model, BitBuffer code, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("symbol count " + count + " < 0");
        }
        RangeDecoder decoder = new RangeDecoder(code);
        model.reset();
        int[] symbols = new int[count];
        for (int i = 0; i < count; i++) {
            int x = decoder.decode(model.table());
            model.update(x);
            symbols[i] = x;
        }
        return symbols;
    }

    /** {@link #encode} over bytes (symbols 0..255). */
    public static BitBuffer encodeBytes(ProbabilityModel model, byte[] data) {
        return encode(model, Symbols.fromBytes(data));
    }

    /** {@link #decode} to bytes. */
    public static byte[] decodeBytes(ProbabilityModel model, BitBuffer code, int count) {
        return Symbols.toBytes(decode(model, code, count));
    }
}
