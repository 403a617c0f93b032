package org.tokenlab.transformer.model;

import org.tokenlab.transformer.train.Batch;

/**
 * What the model reads for B sequences of T new positions. Each position is a mixture of n tokens,
 * Σⱼ wⱼ·E[idⱼ] (soft inputs, Soft Thinking); with n = 1 and no weights it is exactly the token's
 * embedding E[id].
 *
 * @param B            sequences
 * @param T            new positions per sequence
 * @param n            mixture components per position (1 for plain tokens)
 * @param ids          (B,T,n) token ids
 * @param weights      (B,T,n) mixture weights, or null when n = 1 (one-hot)
 * @param sequenceIds  (B) per-sequence ids keying the lexinvariant Gaussian embedding
 * @param condition    (B, prefixDim) for an ADAPTER prefix, else null
 * @param prefixTokens (B, prefixLength) for a TOKENS prefix, else null
 */
public record ModelInput(int B, int T, int n, int[] ids, float[] weights, long[] sequenceIds, float[] condition,
                         int[] prefixTokens) {

    public ModelInput {
        if (B < 1 || T < 1 || n < 1) {
            throw new IllegalArgumentException("ModelInput: B, T, n must be >= 1, got " + B + ", " + T + ", " + n);
        }
        if (ids.length != B * T * n) {
            throw new IllegalArgumentException("ModelInput: " + ids.length + " ids, expected B·T·n = " + B * T * n);
        }
        if (weights == null ? n != 1 : weights.length != ids.length) {
            throw new IllegalArgumentException("ModelInput: weights must be null for n = 1 or have B·T·n entries");
        }
        if (sequenceIds.length != B) {
            throw new IllegalArgumentException("ModelInput: " + sequenceIds.length + " sequence ids, expected B = " + B);
        }
    }

    /** Plain tokens (B,T). */
    public static ModelInput tokens(int B, int T, int[] ids, long[] sequenceIds) {
        return new ModelInput(B, T, 1, ids, null, sequenceIds, null, null);
    }

    /** The inputs of a training batch. */
    public static ModelInput of(Batch b) {
        return new ModelInput(b.B(), b.T(), 1, b.inputs(), null, b.sequenceIds(), b.condition(), b.prefixTokens());
    }

    /** The same sequences (ids, condition, prefix) with new positions. */
    public ModelInput next(int T2, int n2, int[] ids2, float[] weights2) {
        return new ModelInput(B, T2, n2, ids2, weights2, sequenceIds, condition, prefixTokens);
    }
}
