package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.transformer.config.GptConfig;

/**
 * One pre-norm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)), with residual dropout and
 * dropout on the attention probabilities.
 */
final class Block {
    private final Norm ln1;
    private final Attention attn;
    private final Norm ln2;
    private final Mlp mlp;
    private final int index;

    Block(Params p, GptConfig cfg, int index, Rope rope) {
        String prefix = "transformer.h." + index;
        this.index = index;
        ln1 = new Norm(p, prefix + ".ln_1", cfg);
        attn = new Attention(p, prefix + ".attn", cfg, rope);
        ln2 = new Norm(p, prefix + ".ln_2", cfg);
        mlp = new Mlp(p, prefix + ".mlp", cfg);
    }

    // x (B,T,C) -> (B,T,C)
    Tensor forward(Tensor x, int pos0, KvCache cache, Dropout drop) {
        x = x.add(drop.apply(attn.forward(ln1.apply(x), pos0, cache, index, drop), 1 + 2 * index));
        return x.add(drop.apply(mlp.forward(ln2.apply(x)), 2 + 2 * index));
    }
}
