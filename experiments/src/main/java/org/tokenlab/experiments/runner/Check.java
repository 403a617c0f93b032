package org.tokenlab.experiments.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One pre-registered check of an experiment (papers.md, the "Falsifiable checks" tables): what the paper
 * claims, what we measured, the threshold fixed before the run, and the verdict.
 *
 * <p>{@code measured} and {@code threshold} are display strings (numbers formatted with
 * {@link #fmt(double)}, so they are identical from run to run); {@code reason} is non-null only for
 * {@link Verdict#SKIPPED}.
 *
 * @param id        the check's id in papers.md, e.g. {@code "T2"} or {@code "T2.a"} for a part
 * @param claim     the pass condition in words
 * @param measured  what was measured
 * @param threshold the pass condition's threshold
 * @param verdict   PASS, FAIL, SKIPPED or REPORTED
 * @param reason    why it was skipped; {@code null} otherwise
 */
public record Check(String id, String claim, String measured, String threshold, Verdict verdict, String reason) {

    public Check {
        Objects.requireNonNull(id, "check id");
        Objects.requireNonNull(claim, "check claim");
        Objects.requireNonNull(verdict, "check verdict");
        if (verdict == Verdict.SKIPPED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("check " + id + ": a SKIPPED verdict needs a reason");
        }
        if (verdict != Verdict.SKIPPED && reason != null) {
            throw new IllegalArgumentException("check " + id + ": only SKIPPED verdicts carry a reason");
        }
        measured = measured == null ? "" : measured;
        threshold = threshold == null ? "" : threshold;
    }

    /** PASS when {@code measured ≥ threshold}; FAIL otherwise, and for NaN. */
    public static Check atLeast(String id, String claim, double measured, double threshold) {
        boolean ok = !Double.isNaN(measured) && measured >= threshold;
        return new Check(id, claim, fmt(measured), "≥ " + fmt(threshold), ok ? Verdict.PASS : Verdict.FAIL, null);
    }

    /** PASS when {@code measured ≤ threshold}; FAIL otherwise, and for NaN. */
    public static Check atMost(String id, String claim, double measured, double threshold) {
        boolean ok = !Double.isNaN(measured) && measured <= threshold;
        return new Check(id, claim, fmt(measured), "≤ " + fmt(threshold), ok ? Verdict.PASS : Verdict.FAIL, null);
    }

    /** PASS when {@code |measured − target| ≤ tolerance}; the measured field shows the value and the gap. */
    public static Check within(String id, String claim, double measured, double target, double tolerance) {
        double gap = Math.abs(measured - target);
        boolean ok = !Double.isNaN(gap) && gap <= tolerance;
        return new Check(id, claim, fmt(measured) + " (|Δ| = " + fmt(gap) + ")",
                fmt(target) + " ± " + fmt(tolerance), ok ? Verdict.PASS : Verdict.FAIL, null);
    }

    /** PASS when {@code condition} holds; for conditions that are not a single comparison. */
    public static Check that(String id, String claim, boolean condition, String measured, String threshold) {
        return new Check(id, claim, measured, threshold, condition ? Verdict.PASS : Verdict.FAIL, null);
    }

    /** An exploratory number: reported, no pass/fail. */
    public static Check reported(String id, String claim, String measured) {
        return new Check(id, claim, measured, "(exploratory)", Verdict.REPORTED, null);
    }

    /** Not evaluated, with the reason. */
    public static Check skipped(String id, String claim, String reason) {
        return new Check(id, claim, "", "", Verdict.SKIPPED, reason);
    }

    /**
     * A compound check: PASS when every part passes, FAIL when any part fails, otherwise SKIPPED (naming
     * the skipped parts). The measured field lists each part as {@code id: measured (threshold) verdict}.
     */
    public static Check all(String id, String claim, Check... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("check " + id + ": Check.all needs at least one part");
        }
        List<String> measured = new ArrayList<>();
        List<String> thresholds = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        boolean anyFail = false;
        for (Check p : parts) {
            if (p.verdict == Verdict.REPORTED) {
                throw new IllegalArgumentException("check " + id + ": part " + p.id + " is exploratory; "
                        + "a compound check needs pass/fail parts");
            }
            measured.add(p.id + ": " + p.measured + " " + p.verdict);
            thresholds.add(p.id + ": " + p.threshold);
            anyFail |= p.verdict == Verdict.FAIL;
            if (p.verdict == Verdict.SKIPPED) {
                skipped.add(p.id + " (" + p.reason + ")");
            }
        }
        Verdict v = anyFail ? Verdict.FAIL : skipped.isEmpty() ? Verdict.PASS : Verdict.SKIPPED;
        return new Check(id, claim, String.join("; ", measured), String.join("; ", thresholds), v,
                v == Verdict.SKIPPED ? "parts skipped: " + String.join(", ", skipped) : null);
    }

    /** Formats a number with 4 significant decimals, locale-independent, the same on every run. */
    public static String fmt(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.toString(x);
        }
        double a = Math.abs(x);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.4e", x);
        }
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
