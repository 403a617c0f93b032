package org.tokenlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;

/**
 * {@code results.json} of one experiment. Every field except {@code timings} is a function of the seed,
 * the profile and the time-box decisions only, so two runs with the same seed and profile (at any thread
 * count) produce identical files once {@code timings} is removed ({@link #withoutTimings(JsonNode)}).
 *
 * @param experiment the experiment id
 * @param title      the paper's short title
 * @param paper      authors, venue, arXiv id
 * @param claim      the paper's claim (for report.md)
 * @param analogue   our analogue (for report.md)
 * @param profile    smoke, quick or full
 * @param seed       the run seed
 * @param status     "completed" or "failed"
 * @param error      the failure message, or null
 * @param setup      models, tokens and data of this run, in words
 * @param checks     the pre-registered checks with verdicts
 * @param numbers    key numbers, by name
 * @param tables     result tables
 * @param figures    plot data (PNG files drawn from it)
 * @param timings    wall times and time-box decisions: the only field allowed to differ between runs
 */
public record Results(String experiment, String title, String paper, String claim, String analogue,
                      String profile, long seed, String status, String error, String setup, List<Check> checks,
                      Map<String, Object> numbers, List<Table> tables, List<Figure> figures, Timings timings) {

    /** Status of an experiment that ran to the end. */
    public static final String COMPLETED = "completed";
    /** Status of an experiment that threw. */
    public static final String FAILED = "failed";

    /**
     * Wall-clock facts of the run.
     *
     * @param wallSeconds  the experiment's total wall time (all attempts)
     * @param phaseSeconds wall seconds per phase
     * @param timeBoxes    the time-box decisions, by phase
     */
    public record Timings(double wallSeconds, Map<String, Double> phaseSeconds, Map<String, TimeBox> timeBoxes) {
    }

    /** Count of checks with verdict {@code v}. */
    public long count(Verdict v) {
        return checks.stream().filter(c -> c.verdict() == v).count();
    }

    /** A results.json tree without its {@code timings} field: the part that must be reproducible. */
    public static JsonNode withoutTimings(JsonNode results) {
        if (!(results instanceof ObjectNode obj)) {
            throw new IllegalArgumentException("results.json must be a JSON object");
        }
        ObjectNode copy = obj.deepCopy();
        copy.remove("timings");
        return copy;
    }
}
