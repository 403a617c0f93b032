package org.tokenlab.experiments.softthinking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final int E = Tasks.END_THINK;

    private static Decoders.Decoded d(boolean[] ok, int[] think, boolean cold, int[] tokens, double... ent) {
        return new Decoders.Decoded(ok, think, cold, tokens, ent);
    }

    @Test
    void passAtOneAveragesSamplesThenProblems() {
        List<Decoders.Decoded> x = List.of(
                d(new boolean[]{true, false, false, false}, new int[]{10, 20, 30, 40}, false, new int[]{1}),
                d(new boolean[]{true, true, true, true}, new int[]{5, 5, 5, 5}, true, new int[]{1}));
        assertEquals(100 * (0.25 + 1) / 2, Metrics.accuracy(x), 1e-12);
        assertEquals((25 + 5) / 2.0, Metrics.thinking(x), 1e-12);
        assertEquals(50, Metrics.coldStopRate(x), 1e-12);
    }

    @Test
    void agreementCountsTheTracesThinkingStepsAgainstGreedy() {
        List<Decoders.Decoded> greedy = List.of(d(new boolean[]{true}, new int[]{4}, false, new int[]{1, 2, 3, E, 9}));
        // Same first two steps, then a different token, then </think>: 3 of 4 steps agree... the third differs.
        List<Decoders.Decoded> soft = List.of(d(new boolean[]{true}, new int[]{4}, false, new int[]{1, 2, 7, E, 9}));
        assertEquals(75, Metrics.agreement(soft, greedy), 1e-12);
        // A trace cut short by Cold Stop is judged on its own steps only.
        List<Decoders.Decoded> cut = List.of(d(new boolean[]{false}, new int[]{2}, true, new int[]{1, E, 9}));
        assertEquals(50, Metrics.agreement(cut, greedy), 1e-12);
        assertEquals(100, Metrics.agreement(greedy, greedy), 1e-12);
        assertEquals(0, Metrics.identical(soft, greedy), 1e-12);
        assertEquals(100, Metrics.identical(greedy, greedy), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.identical(List.of(), greedy));
    }

    @Test
    void entropyTraceAveragesOverTracesThatReachEachStep() {
        List<Decoders.Decoded> x = List.of(
                d(new boolean[]{true}, new int[]{3}, false, new int[]{E}, 1.0, 2.0, 3.0),
                d(new boolean[]{true}, new int[]{1}, false, new int[]{E}, 3.0));
        assertArrayEquals(new double[]{2.0, 2.0, 3.0}, Metrics.entropyTrace(x), 1e-12);
        assertEquals(9.0 / 4, Metrics.meanEntropy(x), 1e-12);
        assertEquals(Double.NaN, Metrics.meanEntropy(List.of(d(new boolean[]{true}, new int[]{0}, false, new int[]{1}))));
    }

    @Test
    void tokenDecodersGetTheSoftAnswerBudget() {
        int[] rambling = {1, E, Tasks.ANS, 5, 5, 5, Tasks.EOS};
        assertArrayEquals(new int[]{1, E, Tasks.ANS, 5, 5}, Decoders.answerBudget(rambling, true, 3));
        assertArrayEquals(new int[]{1, 2}, Decoders.answerBudget(new int[]{1, 2}, true, 3));
        assertArrayEquals(new int[]{Tasks.ANS, 5, Tasks.EOS}, Decoders.answerBudget(new int[]{Tasks.ANS, 5, Tasks.EOS, 4}, false, 3));
    }
}
