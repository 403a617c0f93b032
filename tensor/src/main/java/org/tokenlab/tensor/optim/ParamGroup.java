package org.tokenlab.tensor.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.tokenlab.tensor.Tensor;

/**
 * Parameters that share optimizer settings; here, the (decoupled) weight decay. The list is copied.
 *
 * @param params      the parameters, in a fixed order (it fixes the order of optimizer state too)
 * @param weightDecay the decay coefficient λ ≥ 0 (AdamW: p −= lr·λ·p; SGD: g += λ·p)
 */
public record ParamGroup(List<Tensor> params, float weightDecay) {

    public ParamGroup {
        params = List.copyOf(Objects.requireNonNull(params, "params"));
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** A single group without weight decay. */
    public static List<ParamGroup> single(List<Tensor> params) {
        return List.of(new ParamGroup(params, 0f));
    }

    /**
     * The standard split (nanoGPT, llm.c): weight decay on matrices (dim ≥ 2), none on biases and norm
     * gains (dim ≤ 1). Returns [decayed, not decayed], both possibly empty, each in the input order.
     */
    public static List<ParamGroup> decayMatrices(List<Tensor> params, float weightDecay) {
        return decayMatrices(params, weightDecay, t -> false);
    }

    /**
     * As {@link #decayMatrices(List, float)}, and parameters matching {@code exempt} (e.g. embeddings:
     * {@code t -> t.name() != null && t.name().contains("emb")}) are not decayed either.
     */
    public static List<ParamGroup> decayMatrices(List<Tensor> params, float weightDecay, Predicate<Tensor> exempt) {
        List<Tensor> decay = new ArrayList<>();
        List<Tensor> noDecay = new ArrayList<>();
        for (Tensor t : params) {
            if (t.shape().length >= 2 && !exempt.test(t)) {
                decay.add(t);
            } else {
                noDecay.add(t);
            }
        }
        return List.of(new ParamGroup(decay, weightDecay), new ParamGroup(noDecay, 0f));
    }
}
