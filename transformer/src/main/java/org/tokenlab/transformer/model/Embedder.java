package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where tokens enter and leave the model.
 * <ul>
 *   <li><b>EMBEDDING</b>: a learned table wte (V,C); the head is wte (tied) or lm_head (V,C).</li>
 *   <li><b>LEXINVARIANT</b> (Huang et al. 2023; papers.md §2.2): per sequence a Gaussian G (V,C) with
 *       entries N(0, σ²) drawn from the stream {@code lexinvariant.child(sequenceId)}, never trained; inputs
 *       are G[x] and logits = (h·Gᵀ)·s with one learned scalar s ({@code transformer.lex_scale}).</li>
 *   <li><b>Soft inputs</b>: in either mode a position may be the mixture Σⱼ wⱼ·E[idⱼ].</li>
 *   <li><b>Prefix</b>: ADAPTER maps a conditioning vector (D) through c_fc (H,D) → GELU → c_proj (k·C,H)
 *       to k vectors; TOKENS embeds k prefix ids with their own table (prefixVocab, C).</li>
 * </ul>
 */
final class Embedder {
    private static final int LEX_CACHE = 64;

    private final GptConfig cfg;
    private final Tensor wte;
    private final Tensor lexScale;
    private final RandomStream lexRoot;
    private final Tensor adapterFcW;
    private final Tensor adapterFcB;
    private final Tensor adapterProjW;
    private final Tensor adapterProjB;
    private final Tensor prefixWte;
    private final Map<Long, float[]> lexMatrices = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, float[]> e) {
            return size() > LEX_CACHE;
        }
    };

    Embedder(Params p, GptConfig cfg, RandomStream lexRoot) {
        this.cfg = cfg;
        this.lexRoot = lexRoot;
        int V = cfg.vocabSize();
        int C = cfg.nEmbd();
        boolean lex = cfg.inputMode() == GptConfig.InputMode.LEXINVARIANT;
        wte = lex ? null : p.normal("transformer.wte.weight", Gpt.INIT_STD, V, C);
        lexScale = lex ? p.constant("transformer.lex_scale", 1f, 1) : null;
        boolean adapter = cfg.prefix() == GptConfig.Prefix.ADAPTER;
        int k = cfg.prefixLength();
        adapterFcW = adapter ? p.normal("prefix.adapter.c_fc.weight", Gpt.INIT_STD, cfg.prefixHidden(), cfg.prefixDim()) : null;
        adapterFcB = adapter ? p.constant("prefix.adapter.c_fc.bias", 0f, cfg.prefixHidden()) : null;
        adapterProjW = adapter ? p.normal("prefix.adapter.c_proj.weight", Gpt.INIT_STD, k * C, cfg.prefixHidden()) : null;
        adapterProjB = adapter ? p.constant("prefix.adapter.c_proj.bias", 0f, k * C) : null;
        prefixWte = cfg.prefix() == GptConfig.Prefix.TOKENS
                ? p.normal("prefix.wte.weight", Gpt.INIT_STD, cfg.prefixVocab(), C) : null;
    }

    // ids (B,T,n), weights (B,T,n) -> x (B,T,C)
    Tensor tokens(ModelInput in) {
        int B = in.B();
        int T = in.T();
        int n = in.n();
        int V = cfg.vocabSize();
        Tensor table = wte;
        int[] ids = in.ids();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= V) {
                throw new IllegalArgumentException("input token id " + ids[i] + " at flat position " + i
                        + " is outside the vocabulary [0, " + V + ")");
            }
        }
        if (table == null) { // lexinvariant: gather from the stacked per-sequence matrices (B·V, C)
            table = lexTable(in.sequenceIds());
            ids = ids.clone();
            for (int i = 0; i < ids.length; i++) {
                ids[i] += (i / (T * n)) * V;
            }
        }
        if (n == 1) {
            return F.embedding(table, ids, B, T);
        }
        Tensor x = null;
        for (int j = 0; j < n; j++) {
            int[] idsJ = new int[B * T];
            float[] wJ = new float[B * T];
            for (int i = 0; i < B * T; i++) {
                idsJ[i] = ids[i * n + j];
                wJ[i] = in.weights()[i * n + j];
            }
            Tensor term = F.embedding(table, idsJ, B, T).mul(Tensor.of(wJ, B, T, 1));
            x = x == null ? term : x.add(term);
        }
        return x;
    }

    // condition (B,D) -> (B,k,C), or prefix ids (B,k) -> (B,k,C)
    Tensor prefix(ModelInput in) {
        int B = in.B();
        int k = cfg.prefixLength();
        int C = cfg.nEmbd();
        if (cfg.prefix() == GptConfig.Prefix.ADAPTER) {
            if (in.condition() == null || in.condition().length != B * cfg.prefixDim()) {
                throw new IllegalArgumentException("ADAPTER prefix needs a condition of B·prefixDim = "
                        + B * cfg.prefixDim() + " values, got " + (in.condition() == null ? "none" : in.condition().length));
            }
            Tensor c = Tensor.of(in.condition(), B, cfg.prefixDim());
            Tensor h = F.linear(c, adapterFcW, adapterFcB).gelu();
            return F.linear(h, adapterProjW, adapterProjB).reshape(B, k, C);
        }
        int[] ids = in.prefixTokens();
        if (ids == null || ids.length != B * k) {
            throw new IllegalArgumentException("TOKENS prefix needs B·prefixLength = " + B * k + " prefix ids, got "
                    + (ids == null ? "none" : ids.length));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= cfg.prefixVocab()) {
                throw new IllegalArgumentException("prefix token " + ids[i] + " at " + i + " is outside [0, "
                        + cfg.prefixVocab() + ")");
            }
        }
        return F.embedding(prefixWte, ids, B, k);
    }

    // h (B,T,C) -> logits (B,T,V)
    Tensor head(Tensor h, ModelInput in, Tensor lmHead) {
        if (wte == null) {
            int B = in.B();
            Tensor g = lexTable(in.sequenceIds()).reshape(B, cfg.vocabSize(), cfg.nEmbd());
            return h.matmul(g.transpose(1, 2)).mul(lexScale);
        }
        return F.linear(h, lmHead != null ? lmHead : wte, null);
    }

    /** The B per-sequence Gaussian matrices stacked as a constant (B·V, C) tensor. */
    private Tensor lexTable(long[] sequenceIds) {
        int VC = cfg.vocabSize() * cfg.nEmbd();
        float[] all = new float[sequenceIds.length * VC];
        for (int b = 0; b < sequenceIds.length; b++) {
            System.arraycopy(lexMatrix(sequenceIds[b]), 0, all, b * VC, VC); // read-only use of the cached array
        }
        return Tensor.of(all, sequenceIds.length * cfg.vocabSize(), cfg.nEmbd());
    }

    /** G (V,C) of one sequence (a cached array: do not modify): entries N(0, σ²) in row-major order from {@code lexinvariant.child(id)}. */
    float[] lexMatrix(long sequenceId) {
        return lexMatrices.computeIfAbsent(sequenceId, id -> {
            RandomStream s = lexRoot.child(id);
            float sigma = cfg.effectiveLexSigma();
            float[] g = new float[cfg.vocabSize() * cfg.nEmbd()];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) (s.nextGaussian() * sigma);
            }
            return g;
        });
    }

    /** Replaces the Gaussian matrix of one sequence (tests: permuting G together with the vocabulary). */
    void setLexMatrix(long sequenceId, float[] g) {
        if (g.length != cfg.vocabSize() * cfg.nEmbd()) {
            throw new IllegalArgumentException("G must have V·C = " + cfg.vocabSize() * cfg.nEmbd() + " entries");
        }
        lexMatrices.put(sequenceId, g.clone());
    }
}
