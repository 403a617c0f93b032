package org.tokenlab.theory.coding;

/**
 * Accounting for a compressed representation: {@code inputBytes} of text became {@code outputBits} bits,
 * cut into N-bit tokens.
 *
 * @param inputBytes L_iT, the bytes of text
 * @param outputBits bits of the compressed stream (windows count W bits each, padding included)
 * @param tokenBits  N, bits per token
 */
public record CompressionStats(long inputBytes, long outputBits, int tokenBits) {
    /** Validates non-negative sizes and 1 ≤ N ≤ 30. */
    public CompressionStats {
        if (inputBytes < 0 || outputBits < 0 || tokenBits < 1 || tokenBits > 30) {
            throw new IllegalArgumentException("bad stats: " + inputBytes + " bytes, " + outputBits + " bits, N = " + tokenBits);
        }
    }

    /** Number of tokens L_oT = ceil(bits / N). */
    public long tokens() {
        return BitTokens.tokenCount(outputBits, tokenBits);
    }

    /** Compressed bits per input byte. */
    public double bitsPerByte() {
        return outputBits / (double) inputBytes;
    }

    /** Token compression ratio L_iT / L_oT: input bytes per output token. */
    public double bytesPerToken() {
        return inputBytes / (double) tokens();
    }
}
