package org.tokenlab.transformer.sample;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    // probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 as logits
    private static final float[] LOGITS = {
            (float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125),
            (float) Math.log(0.0625), (float) Math.log(0.0625)};

    @Test
    void greedyPicksFirstMaxAndReportsEntropyAndTop1() {
        Choice c = Sampler.greedy().next(new float[]{1, 3, 3, 0}, new int[0], 0, TokenBan.NONE, null);
        assertEquals(1, c.token());
        Choice d = Sampler.greedy().next(LOGITS, new int[0], 0, TokenBan.NONE, null);
        assertEquals(0, d.token());
        double h = -(0.5 * Math.log(0.5) + 0.25 * Math.log(0.25) + 0.125 * Math.log(0.125) + 2 * 0.0625 * Math.log(0.0625));
        assertEquals(h, d.entropy(), 1e-6);
        assertEquals(0.5, d.top1Prob(), 1e-6);
    }

    @Test
    void topKTopPMinPTruncate() {
        double[] p = {0.5, 0.25, 0.125, 0.0625, 0.0625};
        double[] a = p.clone();
        ProbabilityFilter.topK(2).apply(a);
        assertArrayEquals(new double[]{2.0 / 3, 1.0 / 3, 0, 0, 0}, a, 1e-12);
        double[] b = p.clone();
        ProbabilityFilter.topP(0.7).apply(b); // 0.5 < 0.7 so 0.25 kept; 0.75 >= 0.7 stops
        assertArrayEquals(new double[]{2.0 / 3, 1.0 / 3, 0, 0, 0}, b, 1e-12);
        double[] c = p.clone();
        ProbabilityFilter.topP(0.5).apply(c); // the crossing entry itself is kept
        assertArrayEquals(new double[]{1, 0, 0, 0, 0}, c, 1e-12);
        double[] d = p.clone();
        ProbabilityFilter.minP(0.2).apply(d); // threshold 0.1: drops the two 0.0625
        assertArrayEquals(new double[]{0.5 / 0.875, 0.25 / 0.875, 0.125 / 0.875, 0, 0}, d, 1e-12);
    }

    @Test
    void seededSamplingMatchesFrequenciesAndRepeats() {
        Sampler s = Sampler.of(1f, 0, 1, 0);
        RandomStream rng = RandomStream.root(7).child("sample");
        int[] counts = new int[5];
        int n = 40000;
        for (int i = 0; i < n; i++) {
            counts[s.next(LOGITS, new int[0], 0, TokenBan.NONE, rng).token()]++;
        }
        double[] expect = {0.5, 0.25, 0.125, 0.0625, 0.0625};
        for (int v = 0; v < 5; v++) {
            double sd = Math.sqrt(expect[v] * (1 - expect[v]) / n);
            assertEquals(expect[v], counts[v] / (double) n, 5 * sd, "token " + v);
        }
        RandomStream r1 = RandomStream.root(3);
        RandomStream r2 = RandomStream.root(3);
        for (int i = 0; i < 50; i++) {
            assertEquals(s.next(LOGITS, null, 0, TokenBan.NONE, r1).token(), s.next(LOGITS, null, 0, TokenBan.NONE, r2).token());
        }
    }

    @Test
    void lowTemperatureAndTopKOneBehaveLikeGreedy() {
        RandomStream rng = RandomStream.root(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, Sampler.of(1f, 1, 1, 0).next(LOGITS, null, 0, TokenBan.NONE, rng).token());
            assertEquals(0, Sampler.of(0.01f, 0, 1, 0).next(LOGITS, null, 0, TokenBan.NONE, rng).token());
        }
    }

    @Test
    void banRemovesTokensAndAllBannedIsAnError() {
        TokenBan banFirst = (seq, len, banned) -> banned[0] = true;
        assertEquals(1, Sampler.greedy().next(LOGITS, null, 0, banFirst, null).token());
        RandomStream rng = RandomStream.root(2);
        for (int i = 0; i < 200; i++) {
            assertTrue(Sampler.of(1f, 0, 1, 0).next(LOGITS, null, 0, banFirst, rng).token() != 0);
        }
        TokenBan all = (seq, len, banned) -> java.util.Arrays.fill(banned, true);
        assertThrows(IllegalStateException.class, () -> Sampler.greedy().next(LOGITS, null, 0, all, null));
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ProbabilityFilter.topK(0));
        assertThrows(IllegalArgumentException.class, () -> ProbabilityFilter.topP(0));
        assertThrows(IllegalArgumentException.class, () -> ProbabilityFilter.minP(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(-1f, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Sampler.greedy().next(new float[]{0, Float.NaN}, null, 0, TokenBan.NONE, null));
    }
}
