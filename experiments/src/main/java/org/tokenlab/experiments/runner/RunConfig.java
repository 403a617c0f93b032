package org.tokenlab.experiments.runner;

import java.util.List;
import java.util.Objects;
import org.tokenlab.experiments.Profile;

/**
 * {@code config.json}: everything needed to run (or resume) a run.
 *
 * @param target       what was asked for: an experiment id or "all"
 * @param experiments  the experiment ids to run, in order
 * @param profile      smoke, quick or full
 * @param seed         the run seed; every random stream derives from it by name
 * @param threads      the size of the thread pool
 * @param backend      cpu (the default SIMD backend), scalar, simd or cuda
 * @param timeboxFrom  a folder whose time-box decisions are replayed, or null
 */
public record RunConfig(String target, List<String> experiments, Profile profile, long seed, int threads,
                        String backend, String timeboxFrom) {
    public RunConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(backend, "backend");
        experiments = List.copyOf(experiments);
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one experiment");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /** Whether the run holds several experiments (each in its own sub-folder). */
    public boolean multi() {
        return experiments.size() > 1 || target.equals("all");
    }
}
