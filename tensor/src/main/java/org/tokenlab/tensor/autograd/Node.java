package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;

/**
 * One recorded operation of the autograd tape: the rule it applies, its inputs, and the backward
 * closure that captured what the forward saved. A result tensor holds its node; leaves hold none.
 */
public final class Node {
    /** Accumulates the input gradients of one node, given the gradient of its output. */
    @FunctionalInterface
    public interface Backward {
        /**
         * @param g     the gradient of the output: contiguous, offset 0, the output's shape
         * @param grads where to accumulate input gradients ({@link Grads#of(int)} is null for inputs that
         *              need none)
         */
        void apply(Tensor g, Grads grads);
    }

    private final Rule rule;
    private final Tensor[] inputs;
    private final Backward backward;
    private final boolean ownsOutput;

    private Node(Rule rule, Tensor[] inputs, Backward backward, boolean ownsOutput) {
        this.rule = rule;
        this.inputs = inputs;
        this.backward = backward;
        this.ownsOutput = ownsOutput;
    }

    /**
     * Attaches a node to {@code out} when recording is on and some input requires grad, and returns
     * {@code out}. Called by every primitive right after its forward.
     */
    public static Tensor record(Rule rule, Tensor out, Tensor[] inputs, Backward backward) {
        if (!Engine.isGradEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in.requiresGrad()) {
                out.attachNode(new Node(rule, inputs.clone(), backward, ownsStorage(out, inputs)));
                return out;
            }
        }
        return out;
    }

    // whether the op allocated out's storage (a view shares its input's storage and owns nothing)
    private static boolean ownsStorage(Tensor out, Tensor[] inputs) {
        for (Tensor in : inputs) {
            if (in.storage() == out.storage()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the output's storage was allocated by this op (so it dies with the op's output). */
    boolean ownsOutput() {
        return ownsOutput;
    }

    public Rule rule() {
        return rule;
    }

    /** The inputs (a copy of the array). */
    public Tensor[] inputs() {
        return inputs.clone();
    }

    Tensor input(int i) {
        return inputs[i];
    }

    int arity() {
        return inputs.length;
    }

    void runBackward(Tensor g, Grads grads) {
        backward.apply(g, grads);
    }
}
