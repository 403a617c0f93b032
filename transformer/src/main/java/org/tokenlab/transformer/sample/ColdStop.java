package org.tokenlab.transformer.sample;

/**
 * Soft Thinking's Cold Stop (official {@code update_topk_info}): while thinking, count consecutive
 * steps whose entropy is below τ; a step above τ resets the count; when the count reaches the patience
 * L, the step's output is replaced by the end-of-thinking token and thinking ends.
 */
public final class ColdStop {
    private final double tau;
    private final int patience;
    private int lowSteps;
    private int triggers;

    /**
     * @param tau      entropy threshold in nats (published default 0.01)
     * @param patience L, consecutive low-entropy steps that trigger the stop (≥ 1)
     */
    public ColdStop(double tau, int patience) {
        if (!(tau >= 0)) {
            throw new IllegalArgumentException("Cold Stop tau must be >= 0, got " + tau);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("Cold Stop patience must be >= 1, got " + patience);
        }
        this.tau = tau;
        this.patience = patience;
    }

    /**
     * Records one thinking step's entropy; returns true when this step must be replaced by the
     * end-of-thinking token (the counter then resets).
     */
    public boolean observe(double entropy) {
        if (entropy < tau) {
            lowSteps++;
        } else {
            lowSteps = 0;
        }
        if (lowSteps >= patience) {
            lowSteps = 0;
            triggers++;
            return true;
        }
        return false;
    }

    /** Resets the counter (when thinking ends for another reason). */
    public void reset() {
        lowSteps = 0;
    }

    /** Current count of consecutive low-entropy steps. */
    public int lowSteps() {
        return lowSteps;
    }

    /** How many times the stop has fired. */
    public int triggers() {
        return triggers;
    }
}
