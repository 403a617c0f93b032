package org.tokenlab.transformer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tokenlab.theory.tokenize.BpeJson;
import org.tokenlab.theory.tokenize.ByteTokenizer;
import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.config.ConfigJson;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TokenizerConfig;

/** Data files as token ids: the CLI's tokenizers (bytes, or a BPE vocabulary file) and the file reading. */
public final class TokenData {
    /** The name of a run folder's own copy of its BPE vocabulary. */
    public static final String RUN_VOCAB = "tokenizer.json";

    private TokenData() {
    }

    /** The tokenizer of {@code config}; a relative vocabulary path is resolved against {@code baseDir}. */
    public static Tokenizer tokenizer(TokenizerConfig config, Path baseDir) {
        if (config.byteLevel()) {
            return new ByteTokenizer();
        }
        Path vocab = baseDir.resolve(config.vocab());
        try {
            return BpeJson.load(vocab);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("tokenizer.vocab: BPE vocabulary file not found: " + vocab, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer.vocab: cannot read " + vocab + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tokenizer a checkpoint was trained with: its run folder's config.json (two levels above a checkpoint
     * folder {@code run/checkpoints/step-N}), or bytes when the checkpoint is not inside a run folder.
     */
    public static Tokenizer forCheckpoint(Path checkpointDir) {
        Path run = checkpointDir.toAbsolutePath().normalize().getParent();
        run = run == null ? null : run.getParent();
        if (run == null || !Files.isRegularFile(run.resolve("config.json"))) {
            return new ByteTokenizer();
        }
        RunConfig cfg = ConfigJson.readRun(run.resolve("config.json"), RunConfig.preset("tiny"));
        return tokenizer(cfg.tokenizer(), run);
    }

    /** The raw bytes of {@code file}; a clear error when it is missing, unreadable or empty. */
    public static byte[] bytes(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("data file not found: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read data file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("data file is empty: " + file);
        }
        return bytes;
    }

    /** The token ids of {@code file} under {@code tokenizer} (a byte it cannot encode is named with its offset). */
    public static int[] read(Path file, Tokenizer tokenizer) {
        byte[] bytes = bytes(file);
        try {
            return tokenizer.encode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data file " + file + ": " + e.getMessage(), e);
        }
    }
}
