package org.tokenlab.transformer.train;

/** Training produced a NaN or infinite loss or gradient; the message names the step and the tensor. */
public final class TrainingDiverged extends RuntimeException {
    private final int step;

    public TrainingDiverged(int step, String what) {
        super("training diverged at step " + step + ": " + what
                + "; the run stopped, the last checkpoint (if any) is intact");
        this.step = step;
    }

    /** The optimiser step (0-based) at which it happened. */
    public int step() {
        return step;
    }
}
