package org.tokenlab.tensor.backend;

/**
 * The sizes of one attention call: batch B, heads NH, query rows Tq, key rows Tk (Tk ≥ Tq), head size
 * HS, the score scale (usually 1/√HS) and whether the causal mask applies.
 */
public record AttentionShape(int B, int NH, int Tq, int Tk, int HS, float scale, boolean causal) {
    public AttentionShape {
        if (B < 1 || NH < 1 || Tq < 1 || Tk < Tq || HS < 1) {
            throw new IllegalArgumentException("bad attention shape B=" + B + " NH=" + NH + " Tq=" + Tq
                    + " Tk=" + Tk + " HS=" + HS);
        }
    }
}
