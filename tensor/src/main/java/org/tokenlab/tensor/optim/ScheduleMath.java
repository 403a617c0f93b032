package org.tokenlab.tensor.optim;

import java.util.function.DoubleUnaryOperator;

/** Argument checks and the warm-up / hold / decay shape shared by the {@link LrSchedule} implementations. */
final class ScheduleMath {
    private ScheduleMath() {
    }

    static void lr(String what, float lr) {
        if (!(lr >= 0 && Float.isFinite(lr))) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + lr);
        }
    }

    static void step(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
    }

    static void warmup(float maxLr, int warmupSteps, int totalSteps, float endLr) {
        lr("maxLr", maxLr);
        lr("final/min lr", endLr);
        if (endLr > maxLr) {
            throw new IllegalArgumentException("final/min lr " + endLr + " exceeds maxLr " + maxLr);
        }
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps >= 1, got warmupSteps="
                    + warmupSteps + " totalSteps=" + totalSteps);
        }
    }

    static float warmupLr(float maxLr, int warmupSteps, int step) {
        return (float) ((double) maxLr * (step + 1) / warmupSteps);
    }

    /** (step − start)/(end − start), clamped to 1 past the end (and 1 when the phase is empty). */
    static double progress(int step, int start, int end) {
        return step >= end ? 1.0 : (double) (step - start) / (end - start);
    }

    /**
     * Linear warm-up to maxLr over [0, warmupSteps), maxLr over [warmupSteps, decayStart), then
     * {@code endLr + shape(p)·(maxLr − endLr)} with p the progress through [decayStart, totalSteps) and
     * shape falling from 1 at p = 0 to 0 at p = 1.
     */
    static float warmupHoldDecay(int step, float maxLr, int warmupSteps, int decayStart, int totalSteps, float endLr,
                                 DoubleUnaryOperator shape) {
        step(step);
        if (step < warmupSteps) {
            return warmupLr(maxLr, warmupSteps, step);
        }
        if (step < decayStart) {
            return maxLr;
        }
        double p = progress(step, decayStart, totalSteps);
        return (float) (endLr + shape.applyAsDouble(p) * ((double) maxLr - endLr));
    }
}
