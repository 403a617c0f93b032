package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Dropout masks for one forward pass: site {@code s} (0 = embeddings, then two per block) of micro-step
 * {@code n} draws from {@code root.child(n).child(s)}, and the attention probabilities of layer l from
 * {@code root.child(n).child("attn").child(l)}, so masks depend only on the step and the site and a
 * resumed run draws the same masks.
 */
final class Dropout {
    static final Dropout OFF = new Dropout(0f, null, false);

    private final float p;
    private final RandomStream step;
    private final boolean training;

    Dropout(float p, RandomStream step, boolean training) {
        this.p = p;
        this.step = step;
        this.training = training;
    }

    Tensor apply(Tensor x, int site) {
        if (!training || p == 0f) {
            return x;
        }
        return F.dropout(x, p, step.child(site), true);
    }

    // qkv (B,T,3C) -> (B,T,C): causal self-attention with dropout on the probabilities of layer `layer`
    Tensor attention(Tensor qkv, int NH, int layer) {
        if (!training || p == 0f) {
            return F.causalSelfAttention(qkv, NH);
        }
        return F.causalSelfAttention(qkv, NH, p, step.child("attn").child(layer), true);
    }
}
