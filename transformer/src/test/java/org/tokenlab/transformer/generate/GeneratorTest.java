package org.tokenlab.transformer.generate;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.sample.ColdStop;
import org.tokenlab.transformer.sample.ConceptSampler;
import org.tokenlab.transformer.sample.Distribution;
import org.tokenlab.transformer.sample.Sampler;
import org.tokenlab.transformer.sample.TokenBan;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    private static final GptConfig CFG = GptConfig.standard(13, 24, 2, 2, 16);

    @Test
    void greedyCachedGenerationEqualsRecomputedArgmax() {
        Gpt model = new Gpt(CFG, 3);
        int[] prompt = {1, 5, 2};
        Generation g = new Generator(model, 0).generate(prompt, 30, Sampler.greedy(), TokenBan.NONE, null, -1);
        assertEquals(30, g.tokens().length, "generates past the block (sliding window)");
        // recompute the first steps without a cache
        int[] seq = Arrays.copyOf(prompt, prompt.length + 10);
        int len = prompt.length;
        try (var ng = Engine.noGrad()) {
            for (int i = 0; i < 10; i++) {
                float[] logits = model.logits(ModelInput.tokens(1, len, Arrays.copyOf(seq, len), new long[]{0})).toArray();
                int next = Distribution.argmax(Arrays.copyOfRange(logits, (len - 1) * CFG.vocabSize(), len * CFG.vocabSize()));
                assertEquals(next, g.tokens()[i], "step " + i);
                seq[len++] = next;
            }
        }
    }

    @Test
    void batchedGenerationEqualsOneAtATime() {
        Gpt model = new Gpt(CFG, 5);
        int[][] prompts = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        Generation[] batch = new Generator(model, 0).generateBatch(prompts, new long[]{0, 1, 2}, 28, Sampler.greedy(),
                TokenBan.NONE, null, 11);
        for (int b = 0; b < 3; b++) {
            Generation one = new Generator(model, b).generate(prompts[b], 28, Sampler.greedy(), TokenBan.NONE, null, 11);
            assertArrayEquals(one.tokens(), batch[b].tokens(), "row " + b);
            assertEquals(one.entropies()[0], batch[b].entropies()[0], 1e-5);
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        Gpt model = new Gpt(CFG, 3);
        Sampler s = Sampler.of(0.9f, 5, 0.9, 0.01);
        Generation a = new Generator(model, 0).generate(new int[]{4}, 12, s, TokenBan.NONE, RandomStream.root(1), -1);
        Generation b = new Generator(model, 0).generate(new int[]{4}, 12, s, TokenBan.NONE, RandomStream.root(1), -1);
        assertArrayEquals(a.tokens(), b.tokens());
    }

    @Test
    void softThinkingWithOneTokenAndNoColdStopReproducesGreedy() {
        for (long seed = 0; seed < 4; seed++) {
            Gpt model = new Gpt(CFG, seed);
            int thinkEnd = 12;
            int[] prompt = {3, 1, 4, 1};
            Generation soft = new Generator(model, 7).softThink(prompt, new ConceptSampler(0.6f, 30, 0.95, 0.001, 1),
                    null, thinkEnd, 10, Sampler.greedy(), 5, null, -1);
            Generation greedy = new Generator(model, 7).generate(prompt, soft.tokens().length, Sampler.greedy(),
                    TokenBan.NONE, null, -1);
            int thinkLen = soft.thinkingSteps();
            if (soft.tokens()[thinkLen - 1] == thinkEnd && thinkLen <= 10) {
                assertArrayEquals(greedy.tokens(), soft.tokens(), "seed " + seed);
            } else { // thinking was cut at maxThink: the prefix before the forced end must agree
                assertArrayEquals(Arrays.copyOf(greedy.tokens(), thinkLen - 1), Arrays.copyOf(soft.tokens(), thinkLen - 1),
                        "seed " + seed);
            }
        }
    }

    @Test
    void coldStopForcesTheEndOfThinking() {
        Gpt model = new Gpt(CFG, 1);
        int thinkEnd = 12;
        // tau above any entropy: every step counts as low, so patience 2 stops at the second step
        Generation g = new Generator(model, 0).softThink(new int[]{2}, new ConceptSampler(1f, 0, 1, 0, 3),
                new ColdStop(100, 2), thinkEnd, 10, Sampler.greedy(), 3, null, -1);
        assertTrue(g.coldStopped());
        assertEquals(2, g.thinkingSteps());
        assertEquals(thinkEnd, g.tokens()[1]);
    }
}
