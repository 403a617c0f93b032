package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.transformer.config.GptConfig;

/** LayerNorm (weight 1, bias 0 when the config has biases) or RMSNorm (weight 1) over the last axis C. */
final class Norm {
    private final Tensor weight;
    private final Tensor bias;
    private final boolean rms;

    Norm(Params p, String prefix, GptConfig cfg) {
        int C = cfg.nEmbd();
        this.rms = cfg.norm() == GptConfig.Norm.RMS;
        this.weight = p.constant(prefix + ".weight", 1f, C);
        this.bias = !rms && cfg.bias() ? p.constant(prefix + ".bias", 0f, C) : null;
    }

    // x (B,T,C) -> (B,T,C)
    Tensor apply(Tensor x) {
        return rms ? F.rmsNorm(x, weight, GptConfig.NORM_EPS) : F.layerNorm(x, weight, bias, GptConfig.NORM_EPS);
    }
}
