package org.tokenlab.transformer.config;

/**
 * How a data file becomes tokens: {@code "bytes"} (ids 0–255, no file) or {@code "bpe"} with a vocabulary
 * file written by {@code tokenlab bpe} (theory's BPE JSON format). A relative {@code vocab} path is resolved
 * against the folder of the configuration that names it; a run folder keeps its own copy as
 * {@code tokenizer.json}.
 *
 * @param kind  "bytes" or "bpe"
 * @param vocab the BPE vocabulary file (bpe only)
 */
public record TokenizerConfig(String kind, String vocab) {
    /** Raw bytes, V = 256: the default. */
    public static final TokenizerConfig BYTES = new TokenizerConfig("bytes", null);

    public TokenizerConfig {
        if (!"bytes".equals(kind) && !"bpe".equals(kind)) {
            throw new IllegalArgumentException("tokenizer.kind: must be \"bytes\" or \"bpe\", got " + kind);
        }
        if ("bpe".equals(kind) && (vocab == null || vocab.isBlank())) {
            throw new IllegalArgumentException("tokenizer.vocab: a \"bpe\" tokenizer needs its vocabulary file");
        }
        if ("bytes".equals(kind) && vocab != null) {
            throw new IllegalArgumentException("tokenizer.vocab: only a \"bpe\" tokenizer takes a vocabulary file");
        }
    }

    /** A BPE tokenizer read from {@code vocab}. */
    public static TokenizerConfig bpe(String vocab) {
        return new TokenizerConfig("bpe", vocab);
    }

    public boolean byteLevel() {
        return "bytes".equals(kind);
    }
}
