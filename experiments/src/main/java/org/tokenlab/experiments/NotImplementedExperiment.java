package org.tokenlab.experiments;

import org.tokenlab.experiments.runner.RunContext;

/**
 * An experiment listed in the registry whose code does not exist yet. It says so: {@link #run} throws
 * {@link NotImplementedYet}, and the runner records the status "not-implemented" (never a verdict).
 */
public record NotImplementedExperiment(String id, String title, String paper, String claim, String analogue,
                                       long quickSeconds, long fullSeconds) implements Experiment {

    /** Thrown by experiments (or parts of them) that are not implemented yet. */
    public static final class NotImplementedYet extends RuntimeException {
        public NotImplementedYet(String what) {
            super(what + " is not implemented yet");
        }
    }

    @Override
    public boolean implemented() {
        return false;
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 0;
            case QUICK -> quickSeconds;
            case FULL -> fullSeconds;
        };
    }

    @Override
    public Outcome run(RunContext ctx) {
        throw new NotImplementedYet("experiment '" + id + "'");
    }
}
