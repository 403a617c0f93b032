package org.tokenlab.transformer.train;

/**
 * One batch of B sequences of T positions, row-major (B,T).
 *
 * @param B            sequences
 * @param T            positions per sequence
 * @param inputs       (B,T) input token ids
 * @param targets      (B,T) next-token targets; {@link #IGNORE} marks positions without loss (a loss mask)
 * @param weights      (B,T) per-token loss weights, or null for all ones
 * @param sequenceIds  (B) a unique id per sequence; keys per-sequence randomness (the lexinvariant G)
 * @param condition    (B, prefixDim) conditioning vectors for an ADAPTER prefix, else null
 * @param prefixTokens (B, prefixLength) discrete prefix tokens for a TOKENS prefix, else null
 */
public record Batch(int B, int T, int[] inputs, int[] targets, float[] weights, long[] sequenceIds,
                    float[] condition, int[] prefixTokens) {

    /** The target value of positions that carry no loss. */
    public static final int IGNORE = -1;

    public Batch {
        if (B < 1 || T < 1) {
            throw new IllegalArgumentException("Batch: B and T must be >= 1, got B=" + B + " T=" + T);
        }
        check("inputs", inputs.length, B * T);
        check("targets", targets.length, B * T);
        if (weights != null) {
            check("weights", weights.length, B * T);
        }
        check("sequenceIds", sequenceIds.length, B);
        if (condition != null && condition.length % B != 0) {
            throw new IllegalArgumentException("Batch: condition length " + condition.length + " is not a multiple of B=" + B);
        }
        if (prefixTokens != null && prefixTokens.length % B != 0) {
            throw new IllegalArgumentException("Batch: prefixTokens length " + prefixTokens.length + " is not a multiple of B=" + B);
        }
    }

    /** A plain language-modelling batch (no weights, no prefix). */
    public static Batch of(int B, int T, int[] inputs, int[] targets, long[] sequenceIds) {
        return new Batch(B, T, inputs, targets, null, sequenceIds, null, null);
    }

    /** Positions that carry loss (target ≠ IGNORE). */
    public int countTargets() {
        int n = 0;
        for (int t : targets) {
            if (t != IGNORE) {
                n++;
            }
        }
        return n;
    }

    private static void check(String what, int got, int want) {
        if (got != want) {
            throw new IllegalArgumentException("Batch: " + what + " has " + got + " entries, expected " + want);
        }
    }
}
