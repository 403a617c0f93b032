package org.tokenlab.tensor.optim;

import java.util.List;
import org.tokenlab.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), with PyTorch's {@code AdamW}
 * semantics. For each parameter p with gradient g, at step t (1-based) and group decay λ:
 *
 * <pre>
 *   g  ← gradScale · g
 *   m  ← β1·m + (1−β1)·g
 *   v  ← β2·v + (1−β2)·g²
 *   m̂ = m / (1−β1^t),   v̂ = v / (1−β2^t)
 *   p  ← p − lr·( m̂ / (√v̂ + ε) + λ·p )
 * </pre>
 *
 * The decay term uses p before the update, so this equals PyTorch's {@code p ← p·(1 − lr·λ)} followed
 * by the Adam step. One fused backend kernel ({@code Backend.adamW}) does all of it per parameter.
 */
public final class AdamW extends Optimizer {
    private static final int M = 0;
    private static final int V = 1;

    private final float beta1;
    private final float beta2;
    private final float eps;

    /**
     * @param lr    learning rate (≥ 0; a schedule may change it with {@link #setLr})
     * @param beta1 first-moment decay in [0, 1), typically 0.9
     * @param beta2 second-moment decay in [0, 1), typically 0.95 or 0.999
     * @param eps   added to √v̂, ≥ 0, typically 1e-8
     */
    public AdamW(List<ParamGroup> groups, float lr, float beta1, float beta2, float eps) {
        super("AdamW", groups, lr, "m", "v");
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        if (!(eps >= 0 && Float.isFinite(eps))) {
            throw new IllegalArgumentException("AdamW: eps must be finite and >= 0, got " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    private static void checkBeta(String name, float beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("AdamW: " + name + " must be in [0, 1), got " + beta);
        }
    }

    @Override
    protected void update(int i, Tensor p, Tensor g, float weightDecay, int step, float gradScale) {
        backend.adamW(p.numel(), p.storage(), g.storage(), buffer(M, i), buffer(V, i), lr(), beta1, beta2, eps,
                weightDecay, step, gradScale);
    }

    @Override
    public String toString() {
        return "AdamW[lr=" + lr() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ", params="
                + params().size() + "]";
    }
}
