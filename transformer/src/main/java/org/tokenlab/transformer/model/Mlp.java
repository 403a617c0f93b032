package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.transformer.config.GptConfig;

/** The feed-forward half of a block: c_fc (4C,C) → GELU (tanh) → c_proj (C,4C). */
final class Mlp {
    private final Tensor fcWeight;
    private final Tensor fcBias;
    private final Tensor projWeight;
    private final Tensor projBias;

    Mlp(Params p, String prefix, GptConfig cfg) {
        int C = cfg.nEmbd();
        int H = cfg.mlpHidden();
        fcWeight = p.normal(prefix + ".c_fc.weight", Gpt.INIT_STD, H, C);
        fcBias = cfg.bias() ? p.constant(prefix + ".c_fc.bias", 0f, H) : null;
        projWeight = p.normal(prefix + ".c_proj.weight", Gpt.residualStd(cfg), C, H);
        projBias = cfg.bias() ? p.constant(prefix + ".c_proj.bias", 0f, C) : null;
    }

    // x (B,T,C) -> h (B,T,4C) -> (B,T,C)
    Tensor forward(Tensor x) {
        Tensor h = F.linear(x, fcWeight, fcBias).gelu();
        return F.linear(h, projWeight, projBias);
    }
}
