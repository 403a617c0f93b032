package org.tokenlab.experiments.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.Verdict;

class PriorChecksTest {
    @Test
    void p1NeedsBothTheRatioAndTheCorrelation() {
        assertEquals(Verdict.PASS, PriorChecks.p1(0.9, 0.2, 0.6).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p1(0.9, 0.4, 0.6).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p1(0.9, 0.2, 0.4).verdict());
    }

    @Test
    void p2IsAThreePointMargin() {
        assertEquals(Verdict.PASS, PriorChecks.p2(0.50, 0.531).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p2(0.50, 0.529).verdict());
    }

    @Test
    void p3NeedsACiAboveZeroAndLessHallucinationInEveryVariant() {
        double[] ntp = {0.50, 0.52, 0.48, 0.51, 0.49};
        double[] better = {0.55, 0.56, 0.53, 0.57, 0.54};
        double[] mixed = {0.55, 0.46, 0.53, 0.45, 0.54};
        double[] hn = {0.2, 0.2, 0.2, 0.2, 0.2}, hp = {0.1, 0.1, 0.1, 0.1, 0.1};
        List<Check> good = new ArrayList<>(PriorChecks.p3Parts("a", ntp, better, hn, hp));
        good.addAll(PriorChecks.p3Parts("b", ntp, better, hn, hp));
        assertEquals(Verdict.PASS, PriorChecks.p3(good).verdict());
        List<Check> noisy = new ArrayList<>(PriorChecks.p3Parts("a", ntp, better, hn, hp));
        noisy.addAll(PriorChecks.p3Parts("b", ntp, mixed, hn, hp));
        assertEquals(Verdict.FAIL, PriorChecks.p3(noisy).verdict());
        List<Check> hallucinates = new ArrayList<>(PriorChecks.p3Parts("a", ntp, better, hp, hn));
        assertEquals(Verdict.FAIL, PriorChecks.p3(hallucinates).verdict());
    }

    @Test
    void meanCiUsesStudentT() {
        double[] ci = PriorChecks.meanCi(new double[] {1, 2, 3, 4, 5});
        assertEquals(3.0, ci[0], 1e-12);
        assertEquals(2.776 * Math.sqrt(2.5) / Math.sqrt(5), ci[1], 1e-9);
    }

    @Test
    void p4IsTheTradeOff() {
        assertEquals(Verdict.PASS, PriorChecks.p4(PriorChecks.p4Parts("a", 1.0, 0.8, 0.1, 0.2)).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p4(PriorChecks.p4Parts("a", 1.0, 0.8, 0.2, 0.1)).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p4(PriorChecks.p4Parts("a", 0.8, 1.0, 0.1, 0.2)).verdict());
    }

    @Test
    void p5ComparesLogSlopesAndP6OnlyReports() {
        double[] c = {1e9, 2e9, 4e9};
        assertEquals(0.1 / Math.log(2), PriorChecks.slopeVsLog(c, new double[] {0.5, 0.6, 0.7}), 1e-9);
        assertEquals(Verdict.PASS, PriorChecks.p5(0.10, 0.12).verdict());
        assertEquals(Verdict.FAIL, PriorChecks.p5(0.12, 0.10).verdict());
        assertEquals(Verdict.SKIPPED, PriorChecks.p5(4.2e-31, 4.2e-31).verdict(), "a tie of flat slopes is no support");
        assertEquals(Verdict.REPORTED, PriorChecks.p6(0.05, 0.01).verdict());
    }
}
