package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.transformer.config.GptConfig;

/**
 * Causal multi-head self-attention: c_attn (3C,C) projects to fused q, k, v; optional RoPE rotates q
 * and k; fused scaled-dot-product attention over NH heads of size HS; c_proj (C,C) projects back.
 */
final class Attention {
    private final int C;
    private final int NH;
    private final Tensor attnWeight;
    private final Tensor attnBias;
    private final Tensor projWeight;
    private final Tensor projBias;
    private final Rope rope;

    Attention(Params p, String prefix, GptConfig cfg, Rope rope) {
        C = cfg.nEmbd();
        NH = cfg.nHead();
        attnWeight = p.normal(prefix + ".c_attn.weight", Gpt.INIT_STD, 3 * C, C);
        attnBias = cfg.bias() ? p.constant(prefix + ".c_attn.bias", 0f, 3 * C) : null;
        projWeight = p.normal(prefix + ".c_proj.weight", Gpt.residualStd(cfg), C, C);
        projBias = cfg.bias() ? p.constant(prefix + ".c_proj.bias", 0f, C) : null;
        this.rope = rope;
    }

    /**
     * x (B,T,C) at absolute positions [pos0, pos0+T) → (B,T,C). Without a cache, pos0 is 0 and the fused
     * causal kernel runs on (B,T,3C), with {@code drop}'s dropout on the attention probabilities; with one
     * (generation), the new keys and values are appended and the T queries attend over every cached
     * position, without attention dropout.
     */
    Tensor forward(Tensor x, int pos0, KvCache cache, int layer, Dropout drop) {
        Tensor qkv = F.linear(x, attnWeight, attnBias); // (B,T,3C)
        Tensor y;
        if (cache == null && rope == null) {
            y = drop.attention(qkv, NH, layer);
        } else {
            Tensor q = qkv.slice(2, 0, C);
            Tensor k = qkv.slice(2, C, 2 * C);
            Tensor v = qkv.slice(2, 2 * C, 3 * C);
            if (rope != null) {
                q = rope.apply(q, pos0);
                k = rope.apply(k, pos0);
            }
            if (cache == null) {
                y = drop.attention(Tensor.concat(2, q, k, v), NH, layer);
            } else {
                Tensor[] kv = cache.append(layer, k, v);
                y = F.attention(q, kv[0], kv[1], NH, true);
            }
        }
        return F.linear(y, projWeight, projBias);
    }
}
