package org.tokenlab.transformer.config;

/**
 * The shape of a GPT decoder: everything needed to build the parameters and run a forward pass.
 *
 * <p>The <b>standard configuration</b> is nanoGPT's: learned absolute positions, LayerNorm with bias
 * (eps 1e-5), GELU (tanh approximation), MLP width 4·C, output head tied to the token embedding.
 * The other options exist for the experiments (papers.md §0.4): RoPE and RMSNorm; a lexinvariant input
 * mode (a fresh random Gaussian embedding per sequence, used for the input and as the output head);
 * and prefix conditioning (k prefix vectors from a conditioning vector through a learned MLP adapter,
 * or discrete prefix tokens from a separate vocabulary).
 *
 * @param vocabSize    V, number of token ids
 * @param blockSize    T, the longest sequence (context) the model accepts, prefix included
 * @param nLayer       L, number of transformer blocks
 * @param nHead        NH, attention heads; must divide nEmbd
 * @param nEmbd        C, channels of the residual stream
 * @param mlpRatio     the MLP hidden width is mlpRatio·C
 * @param bias         whether linear layers and LayerNorms have biases
 * @param tiedHead     whether the output head reuses the token embedding (V,C); must be true in the
 *                     lexinvariant mode, whose head is the per-sequence Gaussian matrix
 * @param dropout      dropout probability in [0, 1) on the attention probabilities, attention output, MLP
 *                     output and embeddings (nanoGPT's attn_dropout and resid_dropout)
 * @param positions    how positions enter the model
 * @param norm         the normalisation layer
 * @param inputMode    how tokens are embedded
 * @param lexSigma     standard deviation of the lexinvariant Gaussian embedding; 0 means 1/√C
 * @param prefix       prefix-conditioning mode
 * @param prefixLength k, the number of prefix positions (0 unless a prefix mode is on)
 * @param prefixDim    ADAPTER: the conditioning vector's dimension
 * @param prefixHidden ADAPTER: the hidden width of the two-layer adapter MLP
 * @param prefixVocab  TOKENS: the size of the separate prefix-token vocabulary
 */
public record GptConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, int mlpRatio,
                        boolean bias, boolean tiedHead, float dropout, Positions positions, Norm norm,
                        InputMode inputMode, float lexSigma, Prefix prefix, int prefixLength, int prefixDim,
                        int prefixHidden, int prefixVocab) {

    /** LayerNorm / RMSNorm epsilon (nanoGPT / PyTorch default). */
    public static final float NORM_EPS = 1e-5f;

    /** How position information enters the model. */
    public enum Positions {
        /** A learned (T,C) table added to the token embedding (GPT-2, nanoGPT). */
        LEARNED,
        /** Rotary position embedding applied to queries and keys in every attention layer. */
        ROPE
    }

    /** The normalisation layer used before attention, before the MLP and at the end. */
    public enum Norm {
        /** LayerNorm: (x − mean) / std · weight + bias. */
        LAYER,
        /** RMSNorm: x / rms(x) · weight (no bias, no centring). */
        RMS
    }

    /** How token ids become input vectors (and, for LEXINVARIANT, how logits are formed). */
    public enum InputMode {
        /** A learned embedding table (V,C). Soft inputs (Σ wⱼ·E[idxⱼ]) are available in this mode. */
        EMBEDDING,
        /**
         * Lexinvariant (Huang et al. 2023): a fresh Gaussian G (V,C) per sequence, never trained, embeds
         * the inputs, and logits = (h·Gᵀ)·s with a learned scalar s.
         */
        LEXINVARIANT
    }

    /** Prefix conditioning (PRIOR analogue, papers.md §6.2). */
    public enum Prefix {
        NONE,
        /** k prefix vectors = adapter MLP (prefixDim → prefixHidden → k·C) of a conditioning vector. */
        ADAPTER,
        /** k discrete prefix tokens from a separate vocabulary of prefixVocab ids, with their own table. */
        TOKENS
    }

    public GptConfig {
        positive("vocabSize", vocabSize);
        positive("blockSize", blockSize);
        positive("nLayer", nLayer);
        positive("nHead", nHead);
        positive("nEmbd", nEmbd);
        positive("mlpRatio", mlpRatio);
        require(positions != null, "positions", "must be LEARNED or ROPE");
        require(norm != null, "norm", "must be LAYER or RMS");
        require(inputMode != null, "inputMode", "must be EMBEDDING or LEXINVARIANT");
        require(prefix != null, "prefix", "must be NONE, ADAPTER or TOKENS");
        require(nEmbd % nHead == 0, "nHead", "nEmbd (" + nEmbd + ") must be divisible by nHead (" + nHead + ")");
        require(positions != Positions.ROPE || (nEmbd / nHead) % 2 == 0, "positions",
                "ROPE needs an even head size, got nEmbd/nHead = " + nEmbd / nHead);
        require(dropout >= 0f && dropout < 1f, "dropout", "must be in [0, 1), got " + dropout);
        require(lexSigma >= 0f && Float.isFinite(lexSigma), "lexSigma", "must be finite and >= 0, got " + lexSigma);
        require(inputMode != InputMode.LEXINVARIANT || tiedHead, "tiedHead",
                "must be true in the LEXINVARIANT input mode (the head is the per-sequence Gaussian matrix)");
        require(prefixLength >= 0, "prefixLength", "must be >= 0, got " + prefixLength);
        require(prefixDim >= 0 && prefixHidden >= 0 && prefixVocab >= 0, "prefixDim/prefixHidden/prefixVocab",
                "must be >= 0");
        switch (prefix) {
            case NONE -> require(prefixLength == 0, "prefixLength", "must be 0 when prefix is NONE, got " + prefixLength);
            case ADAPTER -> {
                positive("prefixLength", prefixLength);
                positive("prefixDim", prefixDim);
                positive("prefixHidden", prefixHidden);
            }
            case TOKENS -> {
                positive("prefixLength", prefixLength);
                positive("prefixVocab", prefixVocab);
            }
        }
        require(prefixLength < blockSize, "prefixLength",
                "(" + prefixLength + ") must leave room for tokens in blockSize (" + blockSize + ")");
    }

    /** The standard (nanoGPT) configuration with the given sizes. */
    public static GptConfig standard(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, 4, true, true, 0f,
                Positions.LEARNED, Norm.LAYER, InputMode.EMBEDDING, 0f, Prefix.NONE, 0, 0, 0, 0);
    }

    /** HS, the head size C/NH. */
    public int headSize() {
        return nEmbd / nHead;
    }

    /** The MLP hidden width mlpRatio·C. */
    public int mlpHidden() {
        return mlpRatio * nEmbd;
    }

    /** The Gaussian standard deviation actually used in the lexinvariant mode. */
    public float effectiveLexSigma() {
        return lexSigma > 0f ? lexSigma : (float) (1.0 / Math.sqrt(nEmbd));
    }

    /** The longest token sequence (prefix positions excluded). */
    public int maxTokens() {
        return blockSize - prefixLength;
    }

    public GptConfig withVocabSize(int v) {
        return new GptConfig(v, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, dropout, positions,
                norm, inputMode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    public GptConfig withBlockSize(int t) {
        return new GptConfig(vocabSize, t, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, dropout, positions,
                norm, inputMode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    public GptConfig withDropout(float p) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, p, positions,
                norm, inputMode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    public GptConfig withInputMode(InputMode mode) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, mode == InputMode.LEXINVARIANT || tiedHead,
                dropout, positions, norm, mode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    public GptConfig withPositionsAndNorm(Positions pos, Norm n) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, dropout, pos,
                n, inputMode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    public GptConfig withTiedHead(boolean tied) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tied, dropout, positions,
                norm, inputMode, lexSigma, prefix, prefixLength, prefixDim, prefixHidden, prefixVocab);
    }

    /** A copy with an ADAPTER prefix of {@code k} vectors from a {@code dim}-dimensional conditioning input. */
    public GptConfig withAdapterPrefix(int k, int dim, int hidden) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, dropout, positions,
                norm, inputMode, lexSigma, Prefix.ADAPTER, k, dim, hidden, 0);
    }

    /** A copy with {@code k} discrete prefix tokens from a separate vocabulary of {@code vocab} ids. */
    public GptConfig withTokenPrefix(int k, int vocab) {
        return new GptConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, mlpRatio, bias, tiedHead, dropout, positions,
                norm, inputMode, lexSigma, Prefix.TOKENS, k, 0, 0, vocab);
    }

    private static void positive(String field, int value) {
        require(value > 0, field, "must be > 0, got " + value);
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw new IllegalArgumentException("GptConfig." + field + ": " + what);
        }
    }
}
