package org.tokenlab.experiments;

import org.tokenlab.experiments.equalinfo.EqualInfoExperiment;
import org.tokenlab.experiments.hyperfitting.HyperfittingExperiment;
import org.tokenlab.experiments.lexinvariant.LexinvariantExperiment;
import org.tokenlab.experiments.prior.PriorExperiment;
import org.tokenlab.experiments.softthinking.SoftThinkingExperiment;
import org.tokenlab.experiments.tokenization.TokenizationExperiment;

/** Where the CLI gets its experiments: the six of papers.md, in the order {@code run all} runs them. */
public final class Experiments {
    private Experiments() {
    }

    /** The registry of the six experiments. */
    public static ExperimentRegistry registry() {
        return ExperimentRegistry.of(new HyperfittingExperiment(), new LexinvariantExperiment(),
                new EqualInfoExperiment(), new TokenizationExperiment(), new SoftThinkingExperiment(),
                new PriorExperiment());
    }
}
