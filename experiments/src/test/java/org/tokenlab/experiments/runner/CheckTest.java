package org.tokenlab.experiments.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CheckTest {

    @Test
    void atLeastAndAtMostReachBothVerdicts() {
        assertEquals(Verdict.PASS, Check.atLeast("X", "c", 0.61, 0.60).verdict());
        assertEquals(Verdict.PASS, Check.atLeast("X", "c", 0.60, 0.60).verdict());
        assertEquals(Verdict.FAIL, Check.atLeast("X", "c", 0.59, 0.60).verdict());
        assertEquals(Verdict.PASS, Check.atMost("X", "c", 0.19, 0.20).verdict());
        assertEquals(Verdict.FAIL, Check.atMost("X", "c", 0.21, 0.20).verdict());
    }

    @Test
    void nanNeverPasses() {
        assertEquals(Verdict.FAIL, Check.atLeast("X", "c", Double.NaN, 0).verdict());
        assertEquals(Verdict.FAIL, Check.atMost("X", "c", Double.NaN, 0).verdict());
        assertEquals(Verdict.FAIL, Check.within("X", "c", Double.NaN, 0, 1).verdict());
    }

    @Test
    void withinUsesAbsoluteGap() {
        assertEquals(Verdict.PASS, Check.within("T1", "c", 0.6950, 0.6931, 0.005).verdict());
        assertEquals(Verdict.PASS, Check.within("T1", "c", 0.6900, 0.6931, 0.005).verdict());
        assertEquals(Verdict.FAIL, Check.within("T1", "c", 0.7000, 0.6931, 0.005).verdict());
        assertEquals(Verdict.FAIL, Check.within("T1", "c", 0.6850, 0.6931, 0.005).verdict());
        assertEquals("0.7000 (|Δ| = 0.0069)", Check.within("T1", "c", 0.7000, 0.6931, 0.005).measured());
    }

    @Test
    void compoundCheckFailsWhenAnyPartFailsAndListsParts() {
        Check a = Check.atLeast("a", "x", 1, 0);
        Check b = Check.atMost("b", "y", 2, 1);
        Check all = Check.all("T2", "both", a, b);
        assertEquals(Verdict.FAIL, all.verdict());
        assertTrue(all.measured().contains("a: 1.0000 PASS"), all.measured());
        assertTrue(all.measured().contains("b: 2.0000 FAIL"), all.measured());
        assertEquals(Verdict.PASS, Check.all("T2", "both", a, Check.atMost("b", "y", 0.5, 1)).verdict());
    }

    @Test
    void compoundWithSkippedPartIsSkippedUnlessAnotherFails() {
        Check skip = Check.skipped("s", "later", "needs the natural corpus");
        Check pass = Check.atLeast("p", "x", 1, 0);
        Check fail = Check.atLeast("f", "x", -1, 0);
        Check c = Check.all("C", "c", pass, skip);
        assertEquals(Verdict.SKIPPED, c.verdict());
        assertTrue(c.reason().contains("needs the natural corpus"), c.reason());
        assertEquals(Verdict.FAIL, Check.all("C", "c", fail, skip).verdict());
    }

    @Test
    void invalidChecksAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Check("X", "c", "", "", Verdict.SKIPPED, null));
        assertThrows(IllegalArgumentException.class, () -> new Check("X", "c", "", "", Verdict.PASS, "why"));
        assertThrows(IllegalArgumentException.class, () -> Check.all("X", "c"));
        assertThrows(IllegalArgumentException.class, () -> Check.all("X", "c", Check.reported("r", "c", "1")));
    }

    @Test
    void formattingIsLocaleIndependent() {
        assertEquals("0.3250", Check.fmt(0.325));
        assertEquals("1.0000e-04", Check.fmt(1e-4));
        assertEquals("NaN", Check.fmt(Double.NaN));
    }

    @Test
    void timeBoxFitsStepsToBudgetAndClamps() {
        assertEquals(100, TimeBox.stepsFor(10, 1000, 100, 1, 1000));
        assertEquals(5, TimeBox.stepsFor(0.01, 1000, 100, 5, 1000));
        assertEquals(50, TimeBox.stepsFor(100, 1000, 100, 1, 50));
        assertThrows(IllegalArgumentException.class, () -> TimeBox.stepsFor(10, 0, 100, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> TimeBox.stepsFor(10, Double.NaN, 100, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> TimeBox.stepsFor(10, 1, 100, 5, 4));
    }
}
