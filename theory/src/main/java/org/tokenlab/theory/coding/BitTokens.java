package org.tokenlab.theory.coding;

/**
 * Cuts a bitstream into N-bit tokens (MSB first) for the M2 language model; the last token is padded
 * with zeros. N = 8 gives a vocabulary of 256, N = 16 of 65 536.
 */
public final class BitTokens {
    private BitTokens() {
    }

    /** Number of N-bit tokens needed for {@code bits} bits: ceil(bits / N). */
    public static long tokenCount(long bits, int tokenBits) {
        checkTokenBits(tokenBits);
        return (bits + tokenBits - 1) / tokenBits;
    }

    /** The tokens of {@code bits}, each in {@code [0, 2^N)}. */
    public static int[] toTokens(BitBuffer bits, int tokenBits) {
        long n = tokenCount(bits.length(), tokenBits);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many tokens: " + n);
        }
        int[] tokens = new int[(int) n];
        for (int t = 0; t < n; t++) {
            int v = 0;
            long base = (long) t * tokenBits;
            for (int k = 0; k < tokenBits; k++) {
                v = (v << 1) | bits.get(base + k);
            }
            tokens[t] = v;
        }
        return tokens;
    }

    /** The bitstream of {@code tokens} (N bits each), truncated to {@code bitLength} bits. */
    public static BitBuffer fromTokens(int[] tokens, int tokenBits, long bitLength) {
        checkTokenBits(tokenBits);
        if (bitLength < 0 || bitLength > (long) tokens.length * tokenBits) {
            throw new IllegalArgumentException("bitLength " + bitLength + " outside [0, " + (long) tokens.length * tokenBits + "]");
        }
        BitBuffer out = new BitBuffer();
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= (1 << tokenBits)) {
                throw new IllegalArgumentException("token " + tokens[t] + " at position " + t + " outside [0, 2^" + tokenBits + ")");
            }
            out.appendBits(tokens[t], tokenBits);
        }
        return out.prefix(bitLength);
    }

    /** Byte stream (e.g. zlib output) as N-bit tokens. */
    public static int[] bytesToTokens(byte[] data, int tokenBits) {
        return toTokens(BitBuffer.of(data, 8L * data.length), tokenBits);
    }

    private static void checkTokenBits(int tokenBits) {
        if (tokenBits < 1 || tokenBits > 30) {
            throw new IllegalArgumentException("token width " + tokenBits + " bits outside [1, 30]");
        }
    }
}
