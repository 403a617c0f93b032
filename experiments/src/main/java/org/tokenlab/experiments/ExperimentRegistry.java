package org.tokenlab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments the runner knows, by id, in the order {@code run all} runs them ({@link Experiments#registry()}
 * holds the six of papers.md; tests build registries of fake experiments).
 */
public final class ExperimentRegistry {
    private final Map<String, Experiment> byId = new LinkedHashMap<>();

    /** A registry of the given experiments (tests use this with fake experiments). */
    public static ExperimentRegistry of(Experiment... experiments) {
        ExperimentRegistry r = new ExperimentRegistry();
        for (Experiment e : experiments) {
            if (r.byId.putIfAbsent(e.id(), e) != null) {
                throw new IllegalArgumentException("experiment id '" + e.id() + "' registered twice");
            }
        }
        return r;
    }

    /** The experiment with this id, or an error listing the known ids. */
    public Experiment get(String id) {
        Experiment e = byId.get(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + id + "'; known: " + String.join(", ", ids()) + ", all");
        }
        return e;
    }

    /** Ids in run order. */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    /** All experiments in run order. */
    public List<Experiment> all() {
        return new ArrayList<>(byId.values());
    }
}
