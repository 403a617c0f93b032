package org.tokenlab.cli;

import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.Checkpoint;
import org.tokenlab.transformer.train.Evaluation;
import org.tokenlab.transformer.train.TokenData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.config.TokenizerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code tokenlab score}: mean nats/token and bits/byte of a checkpoint on a data file, in its own tokenizer. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a checkpoint on a data file: mean nats/token and bits/byte over consecutive windows, "
                + "tokenised as the checkpoint's run was (bytes or its BPE vocabulary).")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "model.safetensors, or a checkpoint folder.")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "Text to score.")
    Path data;

    @Option(names = "--tokenizer", description = "bytes, or a BPE vocabulary file (default: the tokenizer of the "
            + "checkpoint's run folder, else bytes).")
    String tokenizer;

    @Option(names = "--batch", defaultValue = "8", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply();
        Gpt model = Checkpoint.loadModel(modelFile(checkpoint));
        Tokenizer tok = cliTokenizer(tokenizer, checkpoint);
        int[] tokens = TokenData.read(data, tok);
        long bytes = TokenData.bytes(data).length;
        int T = model.config().maxTokens();
        if (tokens.length < 2) {
            throw new IllegalArgumentException("data file " + data + " needs at least 2 bytes to score");
        }
        // consecutive windows: inputs tokens[s, s+T), targets tokens[s+1, s+T+1); the last one is shorter
        int windows = (tokens.length - 1 + T - 1) / T;
        Batch[] batches = new Batch[(windows + batch - 1) / batch];
        for (int bi = 0; bi < batches.length; bi++) {
            int B = Math.min(batch, windows - bi * batch);
            int[] in = new int[B * T];
            int[] tg = new int[B * T];
            Arrays.fill(tg, Batch.IGNORE);
            long[] ids = new long[B];
            for (int b = 0; b < B; b++) {
                int s = (bi * batch + b) * T;
                int n = Math.min(T, tokens.length - 1 - s);
                System.arraycopy(tokens, s, in, b * T, n);
                System.arraycopy(tokens, s + 1, tg, b * T, n);
                ids[b] = bi * (long) batch + b;
            }
            batches[bi] = Batch.of(B, T, in, tg, ids);
        }
        Evaluation e = Evaluation.of(model, batches);
        // bits/byte: nats/token × tokens/byte / ln 2 (the predicted tokens cover their share of the bytes)
        double bitsPerByte = e.meanLoss() / Math.log(2) * tokens.length / bytes;
        System.out.printf("{\"tokenizer\": \"%s\", \"tokens\": %d, \"nats_per_token\": %.6f, \"bits_per_byte\": %.6f, "
                        + "\"mean_entropy\": %.6f, \"mean_top1_prob\": %.6f}%n", tok.name(), e.tokens(), e.meanLoss(),
                bitsPerByte, e.meanEntropy(), e.meanTop1());
        return 0;
    }

    /** The tokenizer a command asked for: "bytes", a BPE file, or (null) the checkpoint run's own. */
    static Tokenizer cliTokenizer(String option, Path checkpoint) {
        if (option == null) {
            return TokenData.forCheckpoint(Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent());
        }
        return TokenData.tokenizer(option.equals("bytes") ? TokenizerConfig.BYTES : TokenizerConfig.bpe(option), Path.of(""));
    }

    /** A weights file, given itself or the checkpoint folder holding it. */
    static Path modelFile(Path p) {
        return Files.isDirectory(p) ? p.resolve(Checkpoint.MODEL_FILE) : p;
    }
}
