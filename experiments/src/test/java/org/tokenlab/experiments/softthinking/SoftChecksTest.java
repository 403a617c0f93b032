package org.tokenlab.experiments.softthinking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.runner.Verdict;

class SoftChecksTest {

    private static SoftChecks.SplitNumbers split(double greedy, double sampled, double sampledThink, double soft,
                                                 double softThink, double agree, double noStop, double noStopThink) {
        return new SoftChecks.SplitNumbers("in", greedy, sampled, sampledThink, soft, softThink, agree, noStop, noStopThink,
                97.5);
    }

    @Test
    void s1NeedsEveryProblemIdenticalAndAnExactOneHot() {
        assertEquals(Verdict.PASS, SoftChecks.s1(100, true).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s1(99.5, true).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s1(100, false).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s1(Double.NaN, true).verdict());
    }

    @Test
    void s2NeedsNinetyPercentAndThirtyPointsOverDirect() {
        assertEquals(Verdict.PASS, SoftChecks.s2(95, 60).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s2(89, 10).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s2(95, 70).verdict());
    }

    @Test
    void s3IsThePapersDirectionOnEverySplit() {
        SoftChecks.SplitNumbers good = split(90, 90, 40, 89.5, 30, 99, 90, 40);
        assertEquals(Verdict.PASS, SoftChecks.s3(List.of(good, good)).verdict());
        // Accuracy more than a point below sampled CoT on one split fails.
        assertEquals(Verdict.FAIL, SoftChecks.s3(List.of(good, split(90, 90, 40, 88.5, 30, 99, 90, 40))).verdict());
        // Thinking only 5 % shorter fails.
        assertEquals(Verdict.FAIL, SoftChecks.s3(List.of(split(90, 90, 40, 90, 38, 99, 90, 40))).verdict());
    }

    @Test
    void s4IsTheSingleThreadedHypothesis() {
        assertEquals(Verdict.PASS, SoftChecks.s4(List.of(split(90, 80, 40, 91.5, 36, 95, 90, 36))).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s4(List.of(split(90, 80, 40, 91.5, 36, 85, 90, 36))).verdict());
        assertEquals(Verdict.FAIL, SoftChecks.s4(List.of(split(90, 80, 40, 87, 36, 95, 90, 36))).verdict());
    }

    @Test
    void s5ComparesColdStopWithNoColdStop() {
        assertEquals(Verdict.PASS, SoftChecks.s5(List.of(split(90, 90, 40, 89, 30, 99, 90, 36))).verdict());
        // Only 10 % shorter.
        assertEquals(Verdict.FAIL, SoftChecks.s5(List.of(split(90, 90, 40, 90, 32.4, 99, 90, 36))).verdict());
        // Shorter but 5 points worse.
        assertEquals(Verdict.FAIL, SoftChecks.s5(List.of(split(90, 90, 40, 85, 10, 99, 90, 36))).verdict());
    }

    @Test
    void s6IsReportedNeverJudged() {
        assertEquals(Verdict.REPORTED, SoftChecks.s6(80, 70).verdict());
        assertEquals(Verdict.REPORTED, SoftChecks.s6(70, 80).verdict());
    }

    @Test
    void s4NoStopIsReportedWithTheNoStopNumbers() {
        var c = SoftChecks.s4NoStop(List.of(split(90, 90, 40, 10, 4, 50, 89.5, 40)));
        assertEquals(Verdict.REPORTED, c.verdict());
        assertEquals("in: agreement 97.5000 %, |soft − greedy| 0.5000 points", c.measured());
    }
}
