package org.tokenlab.experiments.prior;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.tokenlab.experiments.lm.OptimStep;
import org.tokenlab.experiments.prior.CaptionWorld.Example;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;

/**
 * Models, batches and the training loop of the PRIOR analogue. The reference model sees captions only
 * (TEXT); the target models are conditioned on the image, either by 6 discrete patch tokens
 * (ENCODER_FREE, Fuyu-style) or by 4 prefix vectors from a learned 2-layer MLP adapter over the 40-d
 * feature vector (ENCODER, LLaVA-style). Loss is on caption tokens only (prefix positions carry none).
 * AdamW at a constant learning rate after a short warm-up, so that a run cut into segments (learning
 * curves) or of any step count (time boxes) follows the same trajectory.
 */
public final class PriorTraining {
    /** Sequences per batch. */
    static final int BATCH = 32;
    static final float LR = 2e-3f;
    static final int WARMUP = 20;
    static final float WEIGHT_DECAY = 0.1f;
    static final int ADAPTER_PREFIX = 4;
    static final int ADAPTER_HIDDEN = 128;

    private PriorTraining() {
    }

    /** How the image reaches the model. */
    public enum Variant {
        TEXT("text"), ENCODER_FREE("encoder-free"), ENCODER("encoder");

        public final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    /** N0-like shapes (papers.md §0.3): d, 2 layers, 4 heads, MLP 4d; T = the longest caption + BOS. */
    static GptConfig config(Variant v, int vocab, int T, int d) {
        GptConfig base = GptConfig.standard(vocab, T, 2, 4, d);
        return switch (v) {
            case TEXT -> base;
            case ENCODER_FREE -> base.withBlockSize(T + CaptionWorld.PATCHES)
                    .withTokenPrefix(CaptionWorld.PATCHES, CaptionWorld.VISUAL_VOCAB);
            case ENCODER -> base.withBlockSize(T + ADAPTER_PREFIX)
                    .withAdapterPrefix(ADAPTER_PREFIX, CaptionWorld.FEATURE_DIM, ADAPTER_HIDDEN);
        };
    }

    /** T: the longest caption (EOS included); the input is BOS + caption without its last token. */
    static int maxLength(List<Example> data) {
        int m = 1;
        for (Example e : data) {
            m = Math.max(m, e.tokens().length);
        }
        return m;
    }

    /**
     * A batch of examples {@code idx}: inputs BOS·t₀…, targets t₀…EOS then IGNORE, the image in the
     * variant's encoding, per-token loss weights (null for uniform).
     *
     * @param weights one array per example (indexed like {@code data}), or null
     */
    static Batch batch(List<Example> data, int[] idx, int T, Variant v, float[][] weights, int[][] imagePatches,
                       float[][] imageFeatures) {
        int B = idx.length;
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        float[] w = weights == null ? null : new float[B * T];
        long[] seq = new long[B];
        int[] patches = v == Variant.ENCODER_FREE ? new int[B * CaptionWorld.PATCHES] : null;
        float[] cond = v == Variant.ENCODER ? new float[B * CaptionWorld.FEATURE_DIM] : null;
        for (int b = 0; b < B; b++) {
            Example e = data.get(idx[b]);
            int[] toks = e.tokens();
            if (toks.length > T) {
                throw new IllegalArgumentException("caption of " + toks.length + " tokens exceeds T=" + T);
            }
            seq[b] = idx[b];
            for (int t = 0; t < T; t++) {
                in[b * T + t] = t == 0 ? CaptionWorld.BOS : t - 1 < toks.length ? toks[t - 1] : CaptionWorld.EOS;
                tg[b * T + t] = t < toks.length ? toks[t] : Batch.IGNORE;
                if (w != null) {
                    w[b * T + t] = t < toks.length ? weights[idx[b]][t] : 0f;
                }
            }
            if (patches != null) {
                int[] p = imagePatches != null ? imagePatches[b] : e.patches();
                System.arraycopy(p, 0, patches, b * CaptionWorld.PATCHES, CaptionWorld.PATCHES);
            }
            if (cond != null) {
                float[] f = imageFeatures != null ? imageFeatures[b] : e.features();
                System.arraycopy(f, 0, cond, b * CaptionWorld.FEATURE_DIM, CaptionWorld.FEATURE_DIM);
            }
        }
        return new Batch(B, T, in, tg, w, seq, cond, patches);
    }

    /** One training run in progress: model, optimiser and the epoch-shuffled order of examples. */
    static final class Run {
        final Gpt model;
        final Variant variant;
        private final List<Example> data;
        private final float[][] weights;
        private final int T;
        private final AdamW opt;
        private final List<Tensor> params;
        private final RandomStream order;
        private int[] perm;
        private int cursor;
        private int epoch;
        int step;
        long tokens;
        double lastLoss = Double.NaN;

        Run(GptConfig cfg, long initSeed, Variant variant, List<Example> data, float[][] weights, int T,
            RandomStream order) {
            this.model = new Gpt(cfg, initSeed);
            this.variant = variant;
            this.data = data;
            this.weights = weights;
            this.T = T;
            this.order = order;
            this.params = new ArrayList<>(model.params().all().values());
            this.opt = new AdamW(ParamGroup.decayMatrices(params, WEIGHT_DECAY), LR, 0.9f, 0.95f, 1e-8f);
        }

        private int[] nextIndices() {
            int[] idx = new int[BATCH];
            for (int b = 0; b < BATCH; b++) {
                if (perm == null || cursor == perm.length) {
                    perm = new int[data.size()];
                    for (int i = 0; i < perm.length; i++) {
                        perm[i] = i;
                    }
                    order.child(epoch++).shuffle(perm);
                    cursor = 0;
                }
                idx[b] = perm[cursor++];
            }
            return idx;
        }

        /** One optimiser step on the next batch. */
        void step() {
            Batch b = batch(data, nextIndices(), T, variant, weights, null, null);
            opt.setLr(LR * Math.min(1f, (step + 1f) / WARMUP));
            opt.zeroGrad();
            Tensor loss = model.loss(b, true, step);
            float value = loss.item();
            lastLoss = value;
            OptimStep.backwardAndStep("PRIOR", step, loss, value, opt, params);
            step++;
            tokens += b.countTargets();
        }

        /** Steps until {@code steps} are done, calling {@code every} after each multiple of {@code every}. */
        void until(int steps, int everyN, IntConsumer every) {
            while (step < steps) {
                step();
                if (everyN > 0 && (step % everyN == 0 || step == steps)) {
                    every.accept(step);
                }
            }
        }

        /** Tokens per optimiser step (the batch's target positions, at most B·T). */
        long tokensPerStep() {
            return (long) BATCH * T;
        }
    }
}
