package org.tokenlab.transformer.model;

import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;

/** Tiny configurations and batches shared by the model tests. */
final class TinyModels {
    static final int V = 11;

    private TinyModels() {
    }

    /** V11 T8 C8 L2 NH2, standard architecture. */
    static GptConfig standard() {
        return GptConfig.standard(V, 8, 2, 2, 8);
    }

    static Batch batch(int B, int T, long seed, GptConfig cfg) {
        RandomStream r = RandomStream.root(seed);
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        float[] w = new float[B * T];
        long[] ids = new long[B];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.nextInt(cfg.vocabSize());
            tg[i] = i % 5 == 3 ? Batch.IGNORE : r.nextInt(cfg.vocabSize());
            w[i] = 0.5f + r.nextFloat();
        }
        for (int b = 0; b < B; b++) {
            ids[b] = 100 + b;
        }
        float[] cond = null;
        int[] prefix = null;
        if (cfg.prefix() == GptConfig.Prefix.ADAPTER) {
            cond = new float[B * cfg.prefixDim()];
            for (int i = 0; i < cond.length; i++) {
                cond[i] = (float) r.nextGaussian();
            }
        } else if (cfg.prefix() == GptConfig.Prefix.TOKENS) {
            prefix = new int[B * cfg.prefixLength()];
            for (int i = 0; i < prefix.length; i++) {
                prefix[i] = r.nextInt(cfg.prefixVocab());
            }
        }
        return new Batch(B, T, in, tg, w, ids, cond, prefix);
    }
}
