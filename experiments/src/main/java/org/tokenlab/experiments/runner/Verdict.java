package org.tokenlab.experiments.runner;

/** The outcome of one pre-registered check. */
public enum Verdict {
    /** The measured value meets the pre-registered threshold. */
    PASS,
    /** The measured value misses the threshold: a result, reported as such. */
    FAIL,
    /** Not evaluated; the check's {@code reason} says why (missing data, a profile that does not evaluate it, ...). */
    SKIPPED,
    /** Exploratory: a number is reported, there is no pass/fail. */
    REPORTED
}
