package org.tokenlab.experiments.hyperfitting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.Verdict;

/** Each check of papers.md §1.4 on constructed numbers: it can PASS and it can FAIL. */
class HyperfitChecksTest {

    private static Verdict verdict(List<Check> checks, String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().verdict();
    }

    /** Paper-like numbers: near-zero H loss, worse V loss, entropy 3.47 → 1.46, top-1 48 → 74 %, TTR 0.3 → 0.6. */
    private static HyperfitChecks.Quick good() {
        return new HyperfitChecks.Quick(0.05, 3.0, 4.0, 3.47, 1.46, 0.484, 0.744, 0.30, 0.60);
    }

    @Test
    void quickChecksPassOnPaperLikeNumbers() {
        List<Check> c = HyperfitChecks.quick(good());
        assertEquals(Verdict.PASS, verdict(c, "H1"));
        assertEquals(Verdict.PASS, verdict(c, "H2"));
        assertEquals(Verdict.PASS, verdict(c, "H3"));
    }

    @Test
    void quickChecksFailOffTheirThresholds() {
        // H1: training loss above 0.15; validation loss only 1.02 × base
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.2, 3.0, 4.0, 3.47, 1.46, 0.484, 0.744, 0.3, 0.6)), "H1"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.05, 3.0, 3.06, 3.47, 1.46, 0.484, 0.744, 0.3, 0.6)), "H1"));
        // H2: entropy falls only 30 %; top-1 rises only 5 points
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.05, 3.0, 4.0, 3.0, 2.1, 0.484, 0.744, 0.3, 0.6)), "H2"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.05, 3.0, 4.0, 3.47, 1.46, 0.484, 0.534, 0.3, 0.6)), "H2"));
        // H3: +0.10 but only 1.2 ×; 1.5 × but only +0.05
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.05, 3.0, 4.0, 3.47, 1.46, 0.484, 0.744, 0.5, 0.6)), "H3"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.quick(new HyperfitChecks.Quick(0.05, 3.0, 4.0, 3.47, 1.46, 0.484, 0.744, 0.1, 0.15)), "H3"));
    }

    private static HyperfitChecks.Full full(double ciLo, double cited, double blocked, double n8, double disagree,
                                            double topP) {
        List<HyperfitChecks.SeedTtr> seeds = List.of(new HyperfitChecks.SeedTtr(0, 0.3, 0.6, ciLo, 0.4),
                new HyperfitChecks.SeedTtr(1, 0.3, 0.62, 0.2, 0.4), new HyperfitChecks.SeedTtr(2, 0.3, 0.58, 0.2, 0.4));
        return new HyperfitChecks.Full(seeds, cited, blocked, 0.6, n8, 0.6, disagree, topP, 0.4, 32);
    }

    @Test
    void fullChecksPassAndFail() {
        List<Check> ok = HyperfitChecks.full(full(0.2, 0.02, 0.58, 0.4, 0.3, 0.62));
        for (String id : List.of("H4", "H5", "H6", "H7", "H8")) {
            assertEquals(Verdict.PASS, verdict(ok, id), id);
        }
        assertEquals(Verdict.REPORTED, verdict(ok, "H9"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(-0.01, 0.02, 0.58, 0.4, 0.3, 0.62)), "H4"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(0.2, 0.2, 0.58, 0.4, 0.3, 0.62)), "H5"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(0.2, 0.02, 0.5, 0.4, 0.3, 0.62)), "H5"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(0.2, 0.02, 0.58, 0.58, 0.3, 0.62)), "H6"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(0.2, 0.02, 0.58, 0.4, 0.05, 0.62)), "H7"));
        assertEquals(Verdict.FAIL, verdict(HyperfitChecks.full(full(0.2, 0.02, 0.58, 0.4, 0.3, 0.7)), "H8"));
    }
}
