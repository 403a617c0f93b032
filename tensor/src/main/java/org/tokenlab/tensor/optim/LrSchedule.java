package org.tokenlab.tensor.optim;

/**
 * A learning-rate schedule: the learning rate for optimizer step {@code step}, counted from 0 (the
 * first {@code step()} uses {@code lr(0)}).
 *
 * <p>The warm-up ramps linearly {@code lr(s) = maxLr·(s+1)/warmupSteps} for {@code s < warmupSteps}, so
 * the first step is never taken at lr 0 and step {@code warmupSteps−1} runs at maxLr (llm.c's
 * convention). Decays run over {@code [decayStart, totalSteps)} with progress
 * {@code p = (s − decayStart)/(totalSteps − decayStart)} and reach their final lr at
 * {@code s = totalSteps}; later steps stay there. Every schedule validates its arguments on
 * construction and its {@code toString} describes it (for run manifests).
 */
public interface LrSchedule {

    /** The learning rate for step {@code step} (≥ 0). */
    float lr(int step);

    /** The same lr at every step. */
    static LrSchedule constant(float lr) {
        return new Constant(lr);
    }

    /** Linear warm-up to maxLr, then linear decay to finalLr at totalSteps. */
    static LrSchedule linear(float maxLr, int warmupSteps, int totalSteps, float finalLr) {
        return new Linear(maxLr, warmupSteps, totalSteps, finalLr);
    }

    /** Linear warm-up to maxLr, then half a cosine down to minLr at totalSteps. */
    static LrSchedule cosine(float maxLr, int warmupSteps, int totalSteps, float minLr) {
        return new Cosine(maxLr, warmupSteps, totalSteps, minLr);
    }

    /**
     * Warm-up–stable–decay: linear warm-up to maxLr, constant maxLr, then a linear decay to minLr over
     * the last decaySteps steps.
     */
    static LrSchedule wsd(float maxLr, int warmupSteps, int totalSteps, int decaySteps, float minLr) {
        return new WarmupStableDecay(maxLr, warmupSteps, totalSteps, decaySteps, minLr);
    }

    /** {@link #constant}. */
    record Constant(float value) implements LrSchedule {
        public Constant {
            ScheduleMath.lr("lr", value);
        }

        @Override
        public float lr(int step) {
            ScheduleMath.step(step);
            return value;
        }
    }

    /** {@link #linear}. */
    record Linear(float maxLr, int warmupSteps, int totalSteps, float finalLr) implements LrSchedule {
        public Linear {
            ScheduleMath.warmup(maxLr, warmupSteps, totalSteps, finalLr);
        }

        @Override
        public float lr(int step) {
            return ScheduleMath.warmupHoldDecay(step, maxLr, warmupSteps, warmupSteps, totalSteps, finalLr, p -> 1 - p);
        }
    }

    /** {@link #cosine}. */
    record Cosine(float maxLr, int warmupSteps, int totalSteps, float minLr) implements LrSchedule {
        public Cosine {
            ScheduleMath.warmup(maxLr, warmupSteps, totalSteps, minLr);
        }

        @Override
        public float lr(int step) {
            return ScheduleMath.warmupHoldDecay(step, maxLr, warmupSteps, warmupSteps, totalSteps, minLr,
                    p -> 0.5 * (1 + Math.cos(Math.PI * p)));
        }
    }

    /** {@link #wsd}. */
    record WarmupStableDecay(float maxLr, int warmupSteps, int totalSteps, int decaySteps, float minLr)
            implements LrSchedule {
        public WarmupStableDecay {
            ScheduleMath.warmup(maxLr, warmupSteps, totalSteps, minLr);
            if (decaySteps < 0 || warmupSteps + (long) decaySteps > totalSteps) {
                throw new IllegalArgumentException("WSD needs 0 <= decaySteps and warmupSteps + decaySteps <= totalSteps,"
                        + " got warmupSteps=" + warmupSteps + " decaySteps=" + decaySteps + " totalSteps=" + totalSteps);
            }
        }

        @Override
        public float lr(int step) {
            return ScheduleMath.warmupHoldDecay(step, maxLr, warmupSteps, totalSteps - decaySteps, totalSteps, minLr,
                    p -> 1 - p);
        }
    }
}
