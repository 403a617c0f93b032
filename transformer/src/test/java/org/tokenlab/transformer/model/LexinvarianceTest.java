package org.tokenlab.transformer.model;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Lexinvariance (papers.md §2.1): permuting the vocabulary of the input and targets, together with the
 * rows of the per-sequence Gaussian G, leaves the loss unchanged; and G differs between sequences.
 */
class LexinvarianceTest {

    @Test
    void permutingVocabularyAndGTogetherLeavesLossUnchanged() {
        GptConfig cfg = TinyModels.standard().withInputMode(GptConfig.InputMode.LEXINVARIANT);
        Gpt model = new Gpt(cfg, 8);
        int V = cfg.vocabSize();
        int C = cfg.nEmbd();
        Batch b = TinyModels.batch(1, 7, 4, cfg);
        int[] perm = new int[V];
        for (int v = 0; v < V; v++) {
            perm[v] = v;
        }
        RandomStream.root(12).shuffle(perm);
        float[] g = model.embedder().lexMatrix(b.sequenceIds()[0]).clone();
        float[] gPerm = new float[g.length];
        for (int v = 0; v < V; v++) { // G'[π(v)] = G[v]
            System.arraycopy(g, v * C, gPerm, perm[v] * C, C);
        }
        int[] in = new int[b.inputs().length];
        int[] tg = new int[b.targets().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = perm[b.inputs()[i]];
            tg[i] = b.targets()[i] == Batch.IGNORE ? Batch.IGNORE : perm[b.targets()[i]];
        }
        long permutedId = 999;
        Batch permuted = new Batch(1, 7, in, tg, b.weights(), new long[]{permutedId}, null, null);
        try (var ng = Engine.noGrad()) {
            float plain = model.loss(b, false, 0).item();
            float before = model.loss(permuted, false, 0).item();
            model.embedder().setLexMatrix(permutedId, gPerm);
            float after = model.loss(permuted, false, 0).item();
            assertEquals(plain, after, 1e-5f * Math.abs(plain), "loss changed under a joint permutation");
            assertNotEquals(plain, before, "a different G must give a different loss (the test has power)");
        }
    }

    @Test
    void gaussianIsFreshPerSequenceAndHasTheConfiguredScale() {
        GptConfig cfg = GptConfig.standard(64, 8, 1, 2, 32).withInputMode(GptConfig.InputMode.LEXINVARIANT);
        Gpt model = new Gpt(cfg, 1);
        float[] a = model.embedder().lexMatrix(1);
        float[] b = model.embedder().lexMatrix(2);
        double sa = 0;
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i] * (double) a[i];
            same += a[i] == b[i] ? 1 : 0;
        }
        assertEquals(0, same);
        assertEquals(1.0 / 32, sa / a.length, 0.1 / 32, "variance σ² = 1/C");
        assertEquals(a[5], new Gpt(cfg, 1).embedder().lexMatrix(1)[5], "reproducible from seed and id");
    }
}
