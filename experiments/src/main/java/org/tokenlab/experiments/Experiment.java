package org.tokenlab.experiments;

import org.tokenlab.experiments.runner.RunContext;

/**
 * One of the six experiments (papers.md §1–6). It states the paper's claim and our analogue, estimates
 * its time per profile, and runs inside a {@link RunContext} that provides seeds, phases (resumable),
 * metrics, time boxes and the run folder. The runner writes results.json and report.md from the returned
 * {@link Outcome}.
 */
public interface Experiment {
    /** The id used on the command line, e.g. {@code tokenization}. */
    String id();

    /** The paper's title, short. */
    String title();

    /** Authors, venue and arXiv id. */
    String paper();

    /** The paper's claim this experiment tests, in one paragraph. */
    String claim();

    /** Our small-scale analogue, in one paragraph. */
    String analogue();

    /** The estimated wall time of a run on two CPU cores, in seconds. */
    long estimatedSeconds(Profile profile);

    /** Runs the experiment; checks that cannot be evaluated are returned as SKIPPED with a reason. */
    Outcome run(RunContext ctx) throws Exception;
}
