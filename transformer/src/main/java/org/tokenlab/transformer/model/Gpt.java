package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;

/**
 * A GPT decoder with nanoGPT's parameter names and initialisation: N(0, 0.02) weights, c_proj weights
 * N(0, 0.02/√(2L)), zero biases, unit norm weights; the tied head is the token table (stored once).
 *
 * <p>Forward: tokens (B,T) → [prefix (B,k,C) ‖ embedding (B,T,C)] + positions → L blocks → ln_f →
 * head → logits (B,T,V) (prefix positions dropped). See {@link Embedder} for the input modes.
 */
public final class Gpt {
    /** Standard deviation of weight initialisation (GPT-2). */
    public static final float INIT_STD = 0.02f;

    private final GptConfig cfg;
    private final Params params;
    private final Embedder embedder;
    private final Tensor wpe;
    private final Block[] blocks;
    private final Norm lnF;
    private final Tensor lmHead;
    private final RandomStream dropoutRoot;

    /** A freshly initialised model; every random number derives from {@code seed} by name. */
    public Gpt(GptConfig cfg, long seed) {
        this.cfg = cfg;
        RandomStream root = RandomStream.root(seed);
        this.params = new Params(root.child("init"));
        this.dropoutRoot = root.child("dropout");
        this.embedder = new Embedder(params, cfg, root.child("lexinvariant"));
        this.wpe = cfg.positions() == GptConfig.Positions.LEARNED
                ? params.normal("transformer.wpe.weight", INIT_STD, cfg.blockSize(), cfg.nEmbd()) : null;
        Rope rope = cfg.positions() == GptConfig.Positions.ROPE
                ? new Rope(cfg.blockSize(), cfg.nHead(), cfg.headSize()) : null;
        this.blocks = new Block[cfg.nLayer()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Block(params, cfg, i, rope);
        }
        this.lnF = new Norm(params, "transformer.ln_f", cfg);
        this.lmHead = cfg.tiedHead() ? null : params.normal("lm_head.weight", INIT_STD, cfg.vocabSize(), cfg.nEmbd());
    }

    /** Std of the residual output projections: 0.02/√(2L) (GPT-2). */
    static float residualStd(GptConfig cfg) {
        return (float) (INIT_STD / Math.sqrt(2.0 * cfg.nLayer()));
    }

    public GptConfig config() {
        return cfg;
    }

    Embedder embedder() {
        return embedder;
    }

    public Params params() {
        return params;
    }

    /** A KV cache sized for this model, B sequences and the whole block. */
    public KvCache newCache(int B) {
        return new KvCache(cfg.nLayer(), B, cfg.blockSize(), cfg.nEmbd());
    }

    /** Logits (B,T,V) in evaluation mode (no dropout), without a cache. */
    public Tensor logits(ModelInput in) {
        return logits(in, null, false, 0);
    }

    /**
     * Logits (B,T,V) of the T new positions. With a cache, positions continue after the cached ones
     * (the prefix is added only while the cache is empty) and the cache grows by T.
     *
     * @param microStep keys the dropout masks when training
     */
    public Tensor logits(ModelInput in, KvCache cache, boolean training, long microStep) {
        Tensor h = hidden(in, cache, training, microStep);
        return embedder.head(h, in, lmHead);
    }

    /** Final-layer hidden states after ln_f, (B,T,C), for the T new positions (linear probes). */
    public Tensor hidden(ModelInput in, KvCache cache, boolean training, long microStep) {
        Dropout drop = training && cfg.dropout() > 0f
                ? new Dropout(cfg.dropout(), dropoutRoot.child(microStep), true) : Dropout.OFF;
        int pos0 = cache == null ? 0 : cache.length();
        Tensor x = embedder.tokens(in);                               // (B,T,C)
        int k = 0;
        if (pos0 == 0 && cfg.prefix() != GptConfig.Prefix.NONE) {
            Tensor prefix = embedder.prefix(in);                      // (B,k,C)
            k = prefix.size(1);
            x = Tensor.concat(1, prefix, x);
        }
        int Ttot = x.size(1);
        if (pos0 + Ttot > cfg.blockSize()) {
            throw new IllegalArgumentException("sequence too long: positions " + pos0 + " + " + Ttot
                    + " exceed blockSize " + cfg.blockSize());
        }
        if (wpe != null) {
            x = x.add(wpe.slice(0, pos0, pos0 + Ttot));
        }
        x = drop.apply(x, 0);
        for (Block block : blocks) {
            x = block.forward(x, pos0, cache, drop);
        }
        if (cache != null) {
            cache.advance(Ttot);
        }
        x = lnF.apply(x);
        return k == 0 ? x : x.slice(1, k, Ttot);
    }

    /**
     * The weighted mean next-token cross-entropy Σ wᵢ·ℓᵢ / Σ wᵢ over positions whose target is not
     * {@link Batch#IGNORE} (wᵢ = 1 without weights: the plain mean over target positions).
     */
    public Tensor loss(Batch b, boolean training, long microStep) {
        if (b.countTargets() == 0) {
            throw new IllegalArgumentException("batch has no target positions (every target is IGNORE)");
        }
        Tensor logits = logits(ModelInput.of(b), null, training, microStep);
        return F.crossEntropyMean(logits.reshape(b.B() * b.T(), cfg.vocabSize()), b.targets(), b.weights(),
                Batch.IGNORE);
    }
}
