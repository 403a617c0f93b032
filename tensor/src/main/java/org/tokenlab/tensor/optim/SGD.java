package org.tokenlab.tensor.optim;

import java.util.List;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, with PyTorch's
 * {@code SGD} semantics (dampening 0). For each parameter p with gradient g and group decay λ:
 *
 * <pre>
 *   d ← gradScale·g + λ·p
 *   without momentum:   p ← p − lr·d
 *   with momentum μ:    buf ← μ·buf + d       (buf starts at 0, so the first step sets buf = d)
 *                       p ← p − lr·buf        or, Nesterov:  p ← p − lr·(d + μ·buf)
 * </pre>
 *
 * Built from the backend's {@code unary(SCALE)} and {@code axpy} kernels; d is never materialised, so
 * the rounding differs from PyTorch's by a few ulps.
 */
public final class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    /** SGD with momentum and weight decay over one group, without Nesterov. */
    public SGD(List<Tensor> params, float lr, float momentum, float weightDecay) {
        this(params, lr, momentum, weightDecay, false);
    }

    /** SGD with momentum and weight decay over one group. */
    public SGD(List<Tensor> params, float lr, float momentum, float weightDecay, boolean nesterov) {
        this(List.of(new ParamGroup(params, weightDecay)), lr, momentum, nesterov);
    }

    /**
     * @param momentum μ in [0, 1); 0 disables the buffer
     * @param nesterov Nesterov momentum (needs μ &gt; 0)
     */
    public SGD(List<ParamGroup> groups, float lr, float momentum, boolean nesterov) {
        super("SGD", groups, lr, momentum > 0 ? new String[] {"momentum"} : new String[0]);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    // p (n), g (n), buf (n): all contiguous from offset 0
    @Override
    protected void update(int i, Tensor p, Tensor g, float weightDecay, int step, float gradScale) {
        int n = p.numel();
        Storage ps = p.storage();
        Storage gs = g.storage();
        float lr = lr();
        if (momentum > 0) {
            Storage buf = buffer(0, i);
            backend.unary(UnaryOp.SCALE, momentum, buf, 0, buf, 0, n);   // buf = μ·buf
            backend.axpy(n, gradScale, gs, 0, buf, 0);                    //     + s·g
            if (weightDecay != 0) {
                backend.axpy(n, weightDecay, ps, 0, buf, 0);              //     + λ·p  (p before the update)
            }
            if (nesterov) {
                // p −= lr·(s·g + λ·p + μ·buf), the λ·p term first while p is still the old p
                decayInPlace(ps, n, lr * weightDecay);
                backend.axpy(n, -lr * gradScale, gs, 0, ps, 0);
                backend.axpy(n, -lr * momentum, buf, 0, ps, 0);
            } else {
                backend.axpy(n, -lr, buf, 0, ps, 0);
            }
        } else {
            decayInPlace(ps, n, lr * weightDecay);                        // p −= lr·λ·p
            backend.axpy(n, -lr * gradScale, gs, 0, ps, 0);               // p −= lr·s·g
        }
    }

    private void decayInPlace(Storage ps, int n, float lrTimesDecay) {
        if (lrTimesDecay != 0) {
            backend.unary(UnaryOp.SCALE, 1f - lrTimesDecay, ps, 0, ps, 0, n);
        }
    }

    @Override
    public String toString() {
        return "SGD[lr=" + lr() + ", momentum=" + momentum + ", nesterov=" + nesterov + ", params="
                + params().size() + "]";
    }
}
