package org.tokenlab.experiments.lexinvariant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.runner.Verdict;

/** Each check of papers.md §2.4 on constructed numbers: it can PASS and it can FAIL. */
class LexChecksTest {

    @Test
    void l1InvarianceAndCipherSensitivity() {
        assertEquals(Verdict.PASS, LexChecks.l1(2.00, 2.01, 1.5, 3.0).verdict());
        assertEquals(Verdict.FAIL, LexChecks.l1(2.00, 2.05, 1.5, 3.0).verdict(), "lex loss moved 2.5 %");
        assertEquals(Verdict.FAIL, LexChecks.l1(2.00, 2.00, 1.5, 2.0).verdict(), "standard barely hurt by the cipher");
    }

    @Test
    void l2GapHalvesAndLossDecreases() {
        double[] decreasing = {3.5, 2.9, 2.5, 2.2, 2.0, 1.9};
        assertEquals(Verdict.PASS, LexChecks.l2(2.0, 0.9, decreasing).verdict());
        assertEquals(Verdict.FAIL, LexChecks.l2(2.0, 1.1, decreasing).verdict(), "gap only shrank to 55 %");
        assertEquals(Verdict.FAIL, LexChecks.l2(2.0, 0.5, new double[]{3.5, 2.0, 2.5, 2.2, 2.6, 1.9}).verdict(),
                "loss not monotone enough");
        assertEquals(Verdict.FAIL, LexChecks.l2(Double.NaN, 0.5, decreasing).verdict());
    }

    @Test
    void l3QuarterGapAndParityBound() {
        assertEquals(Verdict.PASS, LexChecks.l3(4.0, 0.9).verdict());
        assertEquals(Verdict.FAIL, LexChecks.l3(4.0, 1.1).verdict(), "G > 1 although ≤ 25 % of 4");
        assertEquals(Verdict.FAIL, LexChecks.l3(2.0, 0.6).verdict(), "G ≤ 1 but 30 % of the early gap");
    }

    @Test
    void l4ProbeAccuracyGainAndBaseline() {
        assertEquals(Verdict.PASS, LexChecks.l4(0.4, 0.95, 0.6).verdict());
        assertEquals(Verdict.FAIL, LexChecks.l4(0.4, 0.85, 0.6).verdict(), "below 90 %");
        assertEquals(Verdict.FAIL, LexChecks.l4(0.7, 0.95, 0.6).verdict(), "gain of 25 points only");
        assertEquals(Verdict.FAIL, LexChecks.l4(0.4, 0.95, 0.96).verdict(), "below the baseline");
    }

    @Test
    void l5UnseenPoolAndSamePool() {
        assertEquals(Verdict.PASS, LexChecks.l5(0.60, 0.58, 0.62, 0.05).verdict());
        assertEquals(Verdict.FAIL, LexChecks.l5(0.60, 0.08, 0.62, 0.05).verdict(), "not twice on pool B");
        assertEquals(Verdict.FAIL, LexChecks.l5(0.50, 0.50, 0.62, 0.05).verdict(), "12 points worse on pool A");
        assertEquals(Verdict.FAIL, LexChecks.l5(0.0, 0.0, 0.0, 0.0).verdict(), "0 vs 0 is no evidence of 2x");
    }

    @Test
    void l6IsExploratory() {
        assertEquals(Verdict.REPORTED, LexChecks.l6(5.0, 4.8, 0.3, 0.1).verdict());
    }
}
