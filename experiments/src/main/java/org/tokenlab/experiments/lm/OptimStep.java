package org.tokenlab.experiments.lm;

import java.util.List;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.optim.GradClip;
import org.tokenlab.tensor.optim.Optimizer;

/**
 * The tail of one training step for experiments that drive their own loop (their batches or schedules do
 * not fit {@link org.tokenlab.transformer.train.Trainer}): a finite-loss check, backward, global-norm
 * clipping to 1 folded into the optimiser step.
 */
public final class OptimStep {
    private OptimStep() {
    }

    /**
     * Back-propagates {@code loss} (whose value is {@code value}) and steps {@code opt}; the caller has set
     * the learning rate and zeroed the gradients. Fails naming {@code what} and the step when the loss is not
     * finite. Returns the gradient norm before clipping.
     */
    public static double backwardAndStep(String what, int step, Tensor loss, float value, Optimizer opt,
                                         List<Tensor> params) {
        if (!Float.isFinite(value)) {
            throw new IllegalStateException(what + ": training loss is " + value + " at step " + step);
        }
        loss.backward();
        double norm = GradClip.globalNorm(params);
        opt.step(GradClip.scale(norm, 1.0f));
        return norm;
    }
}
