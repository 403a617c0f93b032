package org.tokenlab.cli;

import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.ByteData;
import org.tokenlab.transformer.train.Checkpoint;
import org.tokenlab.transformer.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code tokenlab score}: mean nats/token and bits/byte of a checkpoint on a byte file. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score a checkpoint on a byte file: mean nats/token and bits/byte over consecutive windows.")
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "model.safetensors, or a checkpoint folder.")
    Path checkpoint;

    @Option(names = "--data", required = true, description = "Text to score, read as bytes.")
    Path data;

    @Option(names = "--batch", defaultValue = "8", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply();
        Gpt model = Checkpoint.loadModel(modelFile(checkpoint));
        int[] tokens = ByteData.read(data);
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
        System.out.printf("{\"tokens\": %d, \"nats_per_token\": %.6f, \"bits_per_byte\": %.6f, \"mean_entropy\": %.6f, "
                        + "\"mean_top1_prob\": %.6f}%n", e.tokens(), e.meanLoss(), e.meanLoss() / Math.log(2),
                e.meanEntropy(), e.meanTop1());
        return 0;
    }

    /** A weights file, given itself or the checkpoint folder holding it. */
    static Path modelFile(Path p) {
        return Files.isDirectory(p) ? p.resolve(Checkpoint.MODEL_FILE) : p;
    }
}
