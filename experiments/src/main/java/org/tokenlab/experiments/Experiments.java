package org.tokenlab.experiments;

/** Where the CLI gets its experiments: the defaults with the implemented ones plugged in. */
public final class Experiments {
    private Experiments() {
    }

    /** The registry of the six experiments, implemented ones replacing their placeholders. */
    public static ExperimentRegistry registry() {
        return ExperimentRegistry.defaults()
                .with(new org.tokenlab.experiments.lexinvariant.LexinvariantExperiment());
    }
}
