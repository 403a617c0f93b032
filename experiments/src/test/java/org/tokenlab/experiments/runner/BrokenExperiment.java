package org.tokenlab.experiments.runner;

import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;

/** An experiment that throws: the runner must record status "failed" with the error and claim nothing. */
final class BrokenExperiment implements Experiment {
    @Override
    public String id() {
        return "broken";
    }

    @Override
    public String title() {
        return "An experiment that throws";
    }

    @Override
    public String paper() {
        return "none";
    }

    @Override
    public String claim() {
        return "nothing";
    }

    @Override
    public String analogue() {
        return "none";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return 1;
    }

    @Override
    public Outcome run(RunContext ctx) {
        throw new IllegalStateException("out of disk");
    }
}
