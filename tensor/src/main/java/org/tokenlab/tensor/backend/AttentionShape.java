package org.tokenlab.tensor.backend;

import org.tokenlab.tensor.rng.RandomStream;

/**
 * The sizes of one attention call: batch B, heads NH, query rows Tq, key rows Tk (Tk ≥ Tq), head size
 * HS, the score scale (usually 1/√HS) and whether the causal mask applies; and the dropout applied to the
 * attention probabilities (0 for none).
 *
 * <p>Attention dropout (nanoGPT's {@code attn_dropout}): the output becomes {@code O = (P ⊙ M)·V} with P
 * the softmax probabilities and M the inverted-dropout mask, {@code M[b,h,i,j] = 1/(1 − p)} when the
 * counter-based draw {@code RandomStream.uniformAt(dropoutKey, dropoutOffset + ((b·NH + h)·Tq + i)·Tk + j)}
 * is ≥ p and 0 otherwise ({@link #dropKeep}). The mask is a pure function of the key and the position, so
 * the backward recomputes it instead of storing B·NH·Tq·Tk values, and any thread count gives the same
 * mask. lse stays the log-sum-exp of the undropped scores.
 */
public record AttentionShape(int B, int NH, int Tq, int Tk, int HS, float scale, boolean causal,
                             float dropout, long dropoutKey, long dropoutOffset) {
    public AttentionShape {
        if (B < 1 || NH < 1 || Tq < 1 || Tk < Tq || HS < 1) {
            throw new IllegalArgumentException("bad attention shape B=" + B + " NH=" + NH + " Tq=" + Tq
                    + " Tk=" + Tk + " HS=" + HS);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("attention dropout must be in [0, 1), got " + dropout);
        }
        if (dropoutOffset < 0) {
            throw new IllegalArgumentException("attention dropout offset must be >= 0, got " + dropoutOffset);
        }
    }

    /** Attention without dropout. */
    public AttentionShape(int B, int NH, int Tq, int Tk, int HS, float scale, boolean causal) {
        this(B, NH, Tq, Tk, HS, scale, causal, 0f, 0L, 0L);
    }

    /** Number of mask positions one call draws, B·NH·Tq·Tk (how far the dropout stream advances). */
    public long maskSize() {
        return (long) B * NH * Tq * Tk;
    }

    /**
     * The dropout multiplier of probability (row {@code bh = b·NH + h}, query i, key j): 1/(1 − p) if
     * kept, 0 if dropped; 1 when dropout is 0.
     */
    public float dropKeep(int bh, int i, int j) {
        if (dropout == 0f) {
            return 1f;
        }
        long at = dropoutOffset + ((long) bh * Tq + i) * Tk + j;
        return RandomStream.uniformAt(dropoutKey, at) >= dropout ? keptScale() : 0f;
    }

    /** The multiplier of a kept probability, 1/(1 − p) rounded to float (1 without dropout). */
    public float keptScale() {
        return dropout == 0f ? 1f : 1f / (1f - dropout);
    }
}
