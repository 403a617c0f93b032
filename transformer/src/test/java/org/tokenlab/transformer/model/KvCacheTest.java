package org.tokenlab.transformer.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tokenlab.tensor.Engine;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Logits computed incrementally with the KV cache equal a full recomputation. */
class KvCacheTest {

    @ParameterizedTest
    @ValueSource(strings = {"embedding", "lexinvariant", "rope-rms", "adapter", "tokens"})
    void cachedLogitsEqualRecomputation(String mode) {
        GptConfig cfg = GptGradientTest.config(mode);
        Gpt model = new Gpt(cfg, 21);
        int T = cfg.maxTokens();
        int B = 2;
        Batch b = TinyModels.batch(B, T, 5, cfg);
        ModelInput full = ModelInput.of(b);
        int V = cfg.vocabSize();
        try (var ng = Engine.noGrad()) {
            float[] expect = model.logits(full).toArray(); // (B,T,V)
            KvCache cache = model.newCache(B);
            int[] chunks = {3, 1, 1, T - 5};
            int t0 = 0;
            for (int len : chunks) {
                int[] ids = new int[B * len];
                for (int bb = 0; bb < B; bb++) {
                    System.arraycopy(b.inputs(), bb * T + t0, ids, bb * len, len);
                }
                float[] got = model.logits(full.next(len, 1, ids, null), cache, false, 0).toArray();
                for (int bb = 0; bb < B; bb++) {
                    for (int t = 0; t < len; t++) {
                        for (int v = 0; v < V; v++) {
                            float e = expect[(bb * T + t0 + t) * V + v];
                            float g = got[(bb * len + t) * V + v];
                            assertEquals(e, g, 1e-4f * (1 + Math.abs(e)), mode + " b=" + bb + " t=" + (t0 + t) + " v=" + v);
                        }
                    }
                }
                t0 += len;
            }
            assertEquals(T + cfg.prefixLength(), cache.length());
            ModelInput one = full.next(1, 1, new int[B], null);
            assertThrows(IllegalArgumentException.class, () -> model.logits(one, cache, false, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedding", "lexinvariant"})
    void oneHotSoftInputIsExactlyTheTokenEmbedding(String mode) {
        GptConfig cfg = GptGradientTest.config(mode);
        Gpt model = new Gpt(cfg, 2);
        int[] ids = {3, 7, 1};
        try (var ng = Engine.noGrad()) {
            float[] hard = model.logits(ModelInput.tokens(1, 3, ids, new long[]{5})).toArray();
            // the same tokens as 2-component mixtures with weight 1 on the token and 0 on another
            int[] mixIds = {3, 0, 7, 0, 1, 0};
            float[] w = {1f, 0f, 1f, 0f, 1f, 0f};
            float[] soft = model.logits(new ModelInput(1, 3, 2, mixIds, w, new long[]{5}, null, null)).toArray();
            assertEquals(Arrays.toString(hard), Arrays.toString(soft));
        }
    }
}
