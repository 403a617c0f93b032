package org.tokenlab.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void constant() {
        LrSchedule s = LrSchedule.constant(3e-4f);
        assertEquals(3e-4f, s.lr(0));
        assertEquals(3e-4f, s.lr(1_000_000));
    }

    @Test
    void warmupRampsToMaxAtTheLastWarmupStep() {
        LrSchedule s = LrSchedule.cosine(1.0f, 4, 20, 0.1f);
        assertEquals(0.25f, s.lr(0));
        assertEquals(0.5f, s.lr(1));
        assertEquals(0.75f, s.lr(2));
        assertEquals(1.0f, s.lr(3));
    }

    @Test
    void linearBreakpoints() {
        LrSchedule s = LrSchedule.linear(1.0f, 2, 12, 0.0f);
        assertEquals(0.5f, s.lr(0));
        assertEquals(1.0f, s.lr(1));
        assertEquals(1.0f, s.lr(2), "decay starts at maxLr");
        assertEquals(0.5f, s.lr(7), "half-way through the 10 decay steps");
        assertEquals(0.1f, s.lr(11), 1e-7f);
        assertEquals(0.0f, s.lr(12), "final lr at totalSteps");
        assertEquals(0.0f, s.lr(100), "and after");
    }

    @Test
    void cosineBreakpoints() {
        LrSchedule s = LrSchedule.cosine(1.0f, 10, 110, 0.1f);
        assertEquals(1.0f, s.lr(10));
        assertEquals(0.55f, s.lr(60), 1e-7f, "half-way: mean of max and min");
        assertEquals(0.1f + 0.9f * 0.5f * (1 + Math.cos(Math.PI * 0.25)), s.lr(35), 1e-6f);
        assertEquals(0.1f, s.lr(110));
        assertEquals(0.1f, s.lr(500));
        for (int t = 11; t < 110; t++) {
            assertTrue(s.lr(t) < s.lr(t - 1), "strictly decreasing at " + t);
        }
    }

    @Test
    void cosineWithoutWarmup() {
        LrSchedule s = LrSchedule.cosine(2.0f, 0, 4, 0.0f);
        assertEquals(2.0f, s.lr(0));
        assertEquals(1.0f, s.lr(2), 1e-6f);
        assertEquals(0.0f, s.lr(4));
    }

    @Test
    void wsdBreakpoints() {
        LrSchedule s = LrSchedule.wsd(1.0f, 5, 100, 20, 0.0f);
        assertEquals(0.2f, s.lr(0));
        assertEquals(1.0f, s.lr(4));
        assertEquals(1.0f, s.lr(5));
        assertEquals(1.0f, s.lr(79), "stable until the decay starts");
        assertEquals(1.0f, s.lr(80), "decay starts at maxLr");
        assertEquals(0.5f, s.lr(90));
        assertEquals(0.05f, s.lr(99), 1e-7f);
        assertEquals(0.0f, s.lr(100));
    }

    @Test
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1f));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1f, 11, 10, 0f), "warm-up > total");
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1f, -1, 10, 0f));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1f, 0, 0, 0f), "total >= 1");
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linear(1f, 0, 10, 2f), "final > max");
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.wsd(1f, 5, 10, 6, 0f), "warm-up + decay > total");
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.wsd(1f, 5, 10, -1, 0f));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(1f).lr(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1f, 11, 10, 0f));
        assertTrue(e.getMessage().contains("warmupSteps=11"), e.getMessage());
    }

    @Test
    void describesItself() {
        assertEquals("Cosine[maxLr=0.003, warmupSteps=10, totalSteps=100, minLr=3.0E-4]",
                LrSchedule.cosine(3e-3f, 10, 100, 3e-4f).toString());
    }
}
