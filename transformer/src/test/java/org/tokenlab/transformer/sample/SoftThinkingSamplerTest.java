package org.tokenlab.transformer.sample;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftThinkingSamplerTest {

    @Test
    void conceptFollowsTemperatureTruncationsAndTopN() {
        float[] logits = {2f, 1f, 0.5f, 0f, -3f, 1f};
        float t = 0.6f;
        ConceptSampler cs = new ConceptSampler(t, 4, 0.95, 0.05, 3);
        ConceptSampler.Concept c = cs.next(logits, null, 0, TokenBan.NONE);
        // reference computed independently
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / t);
            sum += p[i];
        }
        double h = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
            h -= p[i] * Math.log(p[i]);
        }
        assertEquals(h, c.entropy(), 1e-6, "entropy of the full tempered distribution");
        assertEquals(p[0], c.top1Prob(), 1e-6, "top-1 probability of the full tempered distribution");
        // top-4: ids 0, 1, 5 (tie with 1, higher id second), 2; top-p .95 and min-p keep what survives;
        // then the 3 largest: 0, 1, 5 renormalised.
        assertArrayEquals(new int[]{0, 1, 5}, c.ids());
        double z = p[0] + p[1] + p[5];
        assertArrayEquals(new float[]{(float) (p[0] / z), (float) (p[1] / z), (float) (p[5] / z)}, c.weights(), 1e-6f);
        assertEquals(0, c.top());
    }

    @Test
    void oneTokenConceptIsOneHotOnTheGreedyToken() {
        float[] logits = {0.1f, 3f, 3f, -1f};
        ConceptSampler.Concept c = new ConceptSampler(0.6f, 30, 0.95, 0.001, 1).next(logits, null, 0, TokenBan.NONE);
        assertArrayEquals(new int[]{Distribution.argmax(logits)}, c.ids());
        assertArrayEquals(new float[]{1f}, c.weights());
    }

    @Test
    void minPDropsTailBeforeTopN() {
        float[] logits = {5f, 0f, 0f};
        ConceptSampler.Concept c = new ConceptSampler(1f, 0, 1.0, 0.1, 10).next(logits, null, 0, TokenBan.NONE);
        assertArrayEquals(new int[]{0}, c.ids(), "exp(-5) < 0.1 of the max is dropped");
    }

    @Test
    void coldStopFiresAfterPatienceConsecutiveLowSteps() {
        ColdStop cs = new ColdStop(0.01, 3);
        assertFalse(cs.observe(0.001));
        assertFalse(cs.observe(0.001));
        assertFalse(cs.observe(0.5)); // resets
        assertFalse(cs.observe(0.001));
        assertFalse(cs.observe(0.001));
        assertTrue(cs.observe(0.009));
        assertEquals(0, cs.lowSteps());
        assertEquals(1, cs.triggers());
        assertFalse(cs.observe(0.01), "not strictly below tau");
    }

    @Test
    void nGramBlockerBansCompletionsOfReferenceNGrams() {
        NGramBlocker b = new NGramBlocker(3, List.of(new int[]{1, 2, 3, 4}, new int[]{7, 1, 2, 5}));
        boolean[] banned = new boolean[10];
        b.ban(new int[]{9, 1, 2}, 3, banned);
        boolean[] expect = new boolean[10];
        expect[3] = true;
        expect[5] = true;
        assertArrayEquals(expect, banned);
        boolean[] none = new boolean[10];
        b.ban(new int[]{4, 7}, 2, none); // "4 7" does not occur (separator between references)
        assertArrayEquals(new boolean[10], none);
        boolean[] shortCtx = new boolean[10];
        b.ban(new int[]{1}, 1, shortCtx);
        assertArrayEquals(new boolean[10], shortCtx);
        // with the ban, greedy avoids the citation
        float[] logits = new float[10];
        logits[3] = 5f;
        logits[6] = 1f;
        assertEquals(6, Sampler.greedy().next(logits, new int[]{1, 2}, 2, b, null).token());
    }
}
