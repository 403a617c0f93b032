package org.tokenlab.experiments;

import org.tokenlab.experiments.equalinfo.EqualInfoExperiment;
import org.tokenlab.experiments.hyperfitting.HyperfittingExperiment;
import org.tokenlab.experiments.lexinvariant.LexinvariantExperiment;
import org.tokenlab.experiments.prior.PriorExperiment;
import org.tokenlab.experiments.softthinking.SoftThinkingExperiment;
import org.tokenlab.experiments.tokenization.TokenizationExperiment;

/** Where the CLI gets its experiments: the defaults with the implemented ones plugged in. */
public final class Experiments {
    private Experiments() {
    }

    /** The registry of the six experiments, implemented ones replacing their placeholders. */
    public static ExperimentRegistry registry() {
        return ExperimentRegistry.defaults()
                .with(new EqualInfoExperiment())
                .with(new HyperfittingExperiment())
                .with(new LexinvariantExperiment())
                .with(new PriorExperiment())
                .with(new SoftThinkingExperiment())
                .with(new TokenizationExperiment());
    }
}
