package org.tokenlab.experiments.equalinfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Hashes;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.theory.coding.FrequencyTable;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.KvCache;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.BatchSource;
import org.tokenlab.transformer.train.Checkpoint;
import org.tokenlab.transformer.train.Trainer;

/**
 * The full profile's M1 (papers.md §3.3): a byte transformer (d 64, L 2, 4 heads, T 64) over V = 257 ids,
 * the 256 bytes and a BOS id 256 that stands for the empty context. A context of j bytes (0 ≤ j < T) is
 * read as the sequence {@code [BOS, x_1..x_j]}; the logits at position j give p̂(x_{j+1} | context), and
 * {@link #table} turns them into a β-bit {@link FrequencyTable} over the 256 bytes.
 *
 * <p>Exactness: the model is causal, and every kernel it runs (SIMD GEMM, fused attention, layer norm,
 * GELU) computes a row's numbers from that row's inputs alone, in an order that depends only on the
 * row's position (GEMM: k sequential from zero; attention: max, exp-sum and P·V over the visible keys,
 * masked probabilities exact zeros). So the logits at position j are the same floats whatever follows
 * position j, however long the sequence, and whatever else is in the batch. {@code ByteTransformerTest}
 * checks this bitwise; encoder and decoder then build identical tables.
 */
final class ByteTransformer {
    /** The id of the empty context. */
    static final int BOS = 256;
    /** V: 256 bytes and BOS. */
    static final int V = 257;
    /** T: the longest context is T − 1 bytes; M1 restarts every T bytes (see {@link M1Coder}). */
    static final int T = 64;
    /** The id that fills positions after the known context (any byte would do: causality). */
    static final int PAD = 0;
    /** Sequences per training step. */
    static final int BATCH = 32;

    private final Gpt model;

    ByteTransformer(Gpt model) {
        if (model.config().vocabSize() != V || model.config().blockSize() < T) {
            throw new IllegalArgumentException("M1 needs V = " + V + " and T >= " + T + ", got " + model.config());
        }
        this.model = model;
    }

    /** d 64, L 2, 4 heads, T 64, V 257 (nanoGPT's standard block). */
    static GptConfig config() {
        return GptConfig.standard(V, T, 2, 4, 64);
    }

    /** What training M1 recorded: steps, tokens and the last training loss (nats/byte). */
    record Trained(int steps, long tokens, double lastLoss, String weightsSha256) {
    }

    /**
     * Trains M1 on random 64-byte windows of {@code train} (each read from BOS), time-boxed to
     * {@code budgetSeconds}, AdamW at a constant lr 2e-3, and writes {@code checkpoints/m1.safetensors}.
     */
    static Trained train(RunContext ctx, byte[] train, double budgetSeconds, int minSteps, RandomStream stream) {
        Gpt model = new Gpt(config(), stream.child("init").nextLong());
        TrainConfig tc = TrainConfig.defaults(BATCH, 1_000_000)
                .withOptim(2e-3f, 2e-3f, 0, TrainConfig.Schedule.CONSTANT, 0.1f, 1.0f)
                .withCadence(0, 0, 1_000_000);
        Trainer trainer = new Trainer(model, tc, new BosWindows(train, stream.child("windows")), new Batch[0], null, null);
        // untimed JIT warm-up (real training steps), so the time box's probe times steady steps
        trainer.runUntil(ctx.profile() == Profile.SMOKE ? 0 : Math.max(0, Math.min(10, minSteps - 6)));
        TimeBox tb = ctx.timeBox("m1", budgetSeconds, (long) BATCH * T, Math.min(5, minSteps), minSteps, 1_000_000,
                () -> trainer.runUntil(trainer.state().step() + 1));
        int steps = (int) tb.steps();
        for (int s = trainer.state().step(); s < steps; s = Math.min(steps, s + 100)) {
            trainer.runUntil(Math.min(steps, s + 100));
            ctx.metric("m1", trainer.state().step(), Map.of("train_loss", trainer.lastLoss()));
        }
        ctx.tokens("m1", trainer.state().tokens());
        Path file = weights(ctx);
        try {
            Checkpoint.saveModel(file, model, ctx.seed());
            String sha = Hashes.sha256(Files.readAllBytes(file));
            ctx.recordWeights("m1", sha);
            return new Trained(steps, trainer.state().tokens(), trainer.lastLoss(), sha);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads the weights the training phase wrote. */
    static ByteTransformer load(RunContext ctx) {
        Path file = weights(ctx);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("M1 weights " + file + " are missing; the phase m1 did not finish");
        }
        return new ByteTransformer(Checkpoint.loadModel(file));
    }

    private static Path weights(RunContext ctx) {
        return ctx.checkpoints().resolve("m1.safetensors");
    }

    /** Logits of B sequences of L ids each: ids (B,L) → (B,L,V), no dropout, no graph. */
    float[] logits(int[] ids, int B, int L) {
        if (L < 1 || L > T || ids.length != B * L) {
            throw new IllegalArgumentException("M1 input: " + ids.length + " ids for B=" + B + ", L=" + L + " (L <= " + T + ")");
        }
        try (var ng = Engine.noGrad()) {
            return model.logits(ModelInput.tokens(B, L, ids, new long[B])).toArray();
        }
    }

    /** A KV cache for B sequences of up to T positions. */
    KvCache newCache(int B) {
        return model.newCache(B);
    }

    /**
     * One position of B sequences through the cache: ids (B) → logits (B,V) at the cache's next position.
     * The same floats as the full forward's row at that position (the rows are exact, see the class comment).
     */
    float[] step(int[] ids, KvCache cache) {
        try (var ng = Engine.noGrad()) {
            return model.logits(ModelInput.tokens(ids.length, 1, ids, new long[ids.length]), cache, false, 0).toArray();
        }
    }

    /**
     * The β-bit table of the next byte from the logits at {@code off} (V floats): softmax over the 256
     * bytes (BOS is never a target, so it is left out), in double with StrictMath so that the same floats
     * always give the same table.
     */
    static FrequencyTable table(float[] logits, int off, int precision) {
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < 256; s++) {
            max = Math.max(max, logits[off + s]);
        }
        double[] p = new double[256];
        for (int s = 0; s < 256; s++) {
            p[s] = StrictMath.exp(logits[off + s] - max);
        }
        return FrequencyTable.quantize(p, precision);
    }

    /** Random windows of T bytes, each read from BOS: inputs [BOS, x_s..x_{s+T−2}], targets [x_s..x_{s+T−1}]. */
    static final class BosWindows implements BatchSource {
        private final byte[] text;
        private final RandomStream root;
        private long drawn;

        BosWindows(byte[] text, RandomStream root) {
            if (text.length < T) {
                throw new IllegalArgumentException("M1 training text has " + text.length + " bytes; need at least " + T);
            }
            this.text = text;
            this.root = root;
        }

        @Override
        public Batch next() {
            int[] in = new int[BATCH * T];
            int[] tg = new int[BATCH * T];
            long[] ids = new long[BATCH];
            for (int b = 0; b < BATCH; b++) {
                int s = root.child(drawn).nextInt(text.length - T + 1);
                ids[b] = drawn++;
                in[b * T] = BOS;
                for (int t = 0; t < T; t++) {
                    if (t > 0) {
                        in[b * T + t] = text[s + t - 1] & 0xFF;
                    }
                    tg[b * T + t] = text[s + t] & 0xFF;
                }
            }
            return Batch.of(BATCH, T, in, tg, ids);
        }

        @Override
        public long[] state() {
            return new long[] {drawn};
        }

        @Override
        public void restore(long[] state) {
            drawn = state[0];
        }
    }
}
