package org.tokenlab.transformer.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole-model gradient check: the autograd gradient of the loss with respect to sampled entries of every
 * parameter, against central finite differences of the float32 loss. The residual stream of a freshly
 * initialised GPT is small (~0.02), so the norms are very curved there and h must be small: h = 1e-3
 * gives a truncation error well below the tolerance, while float32 rounding of the loss (~2.4e-7) makes
 * the difference quotient exact only to about 1.2e-4, hence the absolute part of the tolerance.
 */
class GptGradientTest {
    private static final float H = 1e-3f;
    private static final double ABS_TOL = 6e-4;
    private static final double REL_TOL = 3e-2;

    static GptConfig config(String mode) {
        GptConfig base = TinyModels.standard().withTiedHead(false);
        return switch (mode) {
            case "embedding" -> base;
            case "tied" -> TinyModels.standard();
            case "lexinvariant" -> base.withInputMode(GptConfig.InputMode.LEXINVARIANT);
            case "rope-rms" -> base.withPositionsAndNorm(GptConfig.Positions.ROPE, GptConfig.Norm.RMS);
            case "adapter" -> base.withAdapterPrefix(2, 3, 5);
            case "tokens" -> base.withTokenPrefix(2, 4);
            // training mode with fixed masks (micro-step 0): embedding, residual and attention dropout
            case "dropout" -> base.withDropout(0.2f);
            default -> throw new IllegalArgumentException(mode);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedding", "tied", "lexinvariant", "rope-rms", "adapter", "tokens", "dropout"})
    void gradientsMatchFiniteDifferences(String mode) {
        GptConfig cfg = config(mode);
        Gpt model = new Gpt(cfg, 5);
        int T = cfg.maxTokens() - 1;
        Batch b = TinyModels.batch(2, T, 9, cfg);
        model.params().zeroGrad();
        model.loss(b, training(model), 0).backward();
        RandomStream pick = RandomStream.root(77);
        int checked = 0;
        for (Map.Entry<String, Tensor> e : model.params().all().entrySet()) {
            Tensor p = e.getValue();
            float[] grad = p.grad().toArray();
            for (int s = 0; s < 3; s++) {
                int i = pick.nextInt(p.numel());
                double fd = finiteDifference(model, b, p, i);
                double an = grad[i];
                double tol = ABS_TOL + REL_TOL * Math.abs(fd);
                assertTrue(Math.abs(fd - an) <= tol, mode + ": " + e.getKey() + "[" + i + "] autograd " + an
                        + " vs finite difference " + fd);
                checked++;
            }
        }
        assertTrue(checked >= 3 * model.params().all().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedding", "lexinvariant"})
    void softInputGradientsMatchFiniteDifferences(String mode) {
        GptConfig cfg = config(mode);
        Gpt model = new Gpt(cfg, 6);
        int B = 1;
        int T = 4;
        int n = 2;
        RandomStream r = RandomStream.root(3);
        int[] ids = new int[B * T * n];
        float[] w = new float[B * T * n];
        for (int i = 0; i < B * T; i++) {
            ids[2 * i] = r.nextInt(cfg.vocabSize());
            ids[2 * i + 1] = r.nextInt(cfg.vocabSize());
            w[2 * i] = 0.3f;
            w[2 * i + 1] = 0.7f;
        }
        int[] targets = {1, 2, 3, 4};
        ModelInput in = new ModelInput(B, T, n, ids, w, new long[]{42}, null, null);
        java.util.function.Supplier<Tensor> loss = () -> org.tokenlab.tensor.nn.F.crossEntropyMean(
                model.logits(in).reshape(T, cfg.vocabSize()), targets, null, Batch.IGNORE);
        model.params().zeroGrad();
        loss.get().backward();
        for (Map.Entry<String, Tensor> e : model.params().all().entrySet()) {
            Tensor p = e.getValue();
            int i = RandomStream.root(e.getKey().hashCode()).nextInt(p.numel());
            float[] values = p.toArray();
            float old = values[i];
            double lp = perturbed(p, i, old + H, loss);
            double lm = perturbed(p, i, old - H, loss);
            perturbed(p, i, old, loss);
            double fd = (lp - lm) / (2 * H);
            double an = p.grad().toArray()[i];
            assertTrue(Math.abs(fd - an) <= ABS_TOL + REL_TOL * Math.abs(fd), mode + " soft: " + e.getKey() + "[" + i
                    + "] autograd " + an + " vs finite difference " + fd);
        }
    }

    private static double finiteDifference(Gpt model, Batch b, Tensor p, int i) {
        float old = p.toArray()[i];
        java.util.function.Supplier<Tensor> loss = () -> model.loss(b, training(model), 0);
        double lp = perturbed(p, i, old + H, loss);
        double lm = perturbed(p, i, old - H, loss);
        perturbed(p, i, old, loss);
        return (lp - lm) / (2 * H);
    }

    /** Training mode (dropout on, masks of micro-step 0) when the model has dropout. */
    private static boolean training(Gpt model) {
        return model.config().dropout() > 0f;
    }

    private static double perturbed(Tensor p, int i, float value, java.util.function.Supplier<Tensor> loss) {
        Engine.backend().fill(p.storage(), p.offset() + i, 1, value);
        try (var ng = Engine.noGrad()) {
            return loss.get().item();
        }
    }
}
