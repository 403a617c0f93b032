package org.tokenlab.experiments;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much compute a run spends (papers.md §0.3): {@code smoke} checks the plumbing in seconds with
 * fixed step counts, {@code quick} is the under-two-minutes profile of each experiment's checks table
 * ("Q" rows), {@code full} the under-thirty-minutes one ("F" rows).
 */
public enum Profile {
    SMOKE, QUICK, FULL;

    /** The lower-case name used on the command line and in records. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code smoke|quick|full}, or fails naming the known profiles. */
    public static Profile parse(String s) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + s + "'; known: "
                + Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id();
    }
}
