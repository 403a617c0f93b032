package org.tokenlab.experiments.hyperfitting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tokenlab.experiments.runner.Hashes;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.Checkpoint;
import org.tokenlab.transformer.train.Evaluation;
import org.tokenlab.transformer.train.SequenceEpochs;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;

/**
 * The two training phases: pre-training the base model (AdamW, warm-up + cosine, time-boxed) and
 * hyperfitting it (Adam without weight decay, batch 8, constant learning rate, epochs over a small set
 * until the training loss is near zero; papers.md §1.1, §1.3). Weights go to the run's checkpoint folder
 * as safetensors, so a resumed run re-reads them instead of training again.
 */
final class HyperfitTraining {
    /** Hyperfitting batch size (the paper's 8). */
    static final int HYPERFIT_BATCH = 8;
    /** Untimed steps before the pre-training throughput probe. */
    static final int WARMUP_STEPS = 2;
    /** Timed steps of the probe. */
    static final int PROBE_STEPS = 3;

    private HyperfitTraining() {
    }

    /**
     * Pre-training outcome.
     *
     * @param preset          "N0" or "N1"
     * @param steps           optimiser steps
     * @param tokens          training tokens processed
     * @param tokensPerSecond measured in the time-box probe (0 when replayed or fixed)
     * @param curveStep       steps at which the loss was logged
     * @param curveLoss       training loss at those steps
     * @param params          number of trainable values
     * @param weightsSha256   sha256 of the saved weights file
     */
    record PretrainResult(String preset, int steps, long tokens, double tokensPerSecond, double[] curveStep,
                          double[] curveLoss, long params, String weightsSha256) {
    }

    /**
     * One hyperfitting run.
     *
     * @param name        weights file stem and label
     * @param n           sequences in the hyperfit set
     * @param lr          constant learning rate
     * @param orderSeed   seed of the data order (epoch shuffles)
     * @param maxUpdates  optimiser updates at most
     * @param evalEvery   evaluate the H loss (and V loss) every this many updates
     * @param stopLoss    stop as soon as the H loss is at most this (NaN: never stop early)
     * @param trackBest   save the weights with the best V loss (after ≥ 1 update) as {@code name-early}
     */
    record Spec(String name, int n, float lr, long orderSeed, int maxUpdates, int evalEvery, double stopLoss,
                boolean trackBest) {
    }

    /**
     * Hyperfitting outcome. The curves start at update 0 (the base model).
     *
     * @param updates          optimiser updates done
     * @param epochs           passes over the hyperfit set (updates · 8 / n)
     * @param trainLoss        final loss on the hyperfit set H (evaluation mode, every sequence)
     * @param curveUpdate      updates at each evaluation
     * @param curveTrainLoss   H loss at each evaluation
     * @param curveValLoss     V loss at each evaluation
     * @param updatesToLoss01  first evaluated update with H loss ≤ 0.1 (−1: never)
     * @param bestValUpdate    update of the best V loss after ≥ 1 update (−1 when not tracked)
     * @param bestValLoss      that V loss
     * @param tokens           training tokens processed
     * @param weightsSha256    sha256 of the saved weights file
     */
    record HyperfitResult(String name, int n, float lr, int updates, double epochs, double trainLoss,
                          double[] curveUpdate, double[] curveTrainLoss, double[] curveValLoss, int updatesToLoss01,
                          int bestValUpdate, double bestValLoss, long tokens, String weightsSha256) {
    }

    /** N0 and N1 of papers.md §0.3 with T = 128 and the BPE vocabulary. */
    static GptConfig preset(String name, int vocab, int T) {
        return switch (name) {
            case "N0" -> GptConfig.standard(vocab, T, 2, 4, 64);
            case "N1" -> GptConfig.standard(vocab, T, 4, 4, 128);
            default -> throw new IllegalArgumentException("unknown preset " + name + " (N0, N1)");
        };
    }

    /**
     * Pre-trains a fresh model of {@code preset} on the pre-training stream for a time-boxed number of
     * steps and writes {@code base.safetensors}. In the full profile an N1 whose probe runs below
     * {@code minTokensPerSecond} is replaced by N0 (papers.md §1.3).
     */
    static PretrainResult pretrain(RunContext ctx, HyperfitData data, HyperfittingExperiment.Plan plan) {
        int T = plan.seqLen();
        int B = plan.pretrainBatch();
        long seed = ctx.random().child("init").nextLong();
        String preset = plan.preset();
        TimeBox tb = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            GptConfig cfg = preset(preset, HyperfitData.VOCAB, T);
            // The probe trains a throwaway copy: the real run's cosine schedule needs the total step count.
            Trainer scratch = new Trainer(new Gpt(cfg, seed), pretrainConfig(B, plan.pretrainMaxSteps() + WARMUP_STEPS + PROBE_STEPS, seed),
                    windows(ctx, data, B, T), new Batch[0], null, null);
            // Two untimed warm-up steps first, so that the probe measures compiled code (as JMH would).
            int[] done = {WARMUP_STEPS};
            scratch.runUntil(WARMUP_STEPS);
            long t0 = System.nanoTime();
            tb = ctx.timeBox("pretrain-" + preset, plan.pretrainSeconds(), (long) B * T, PROBE_STEPS,
                    plan.pretrainMinSteps(), plan.pretrainMaxSteps(), () -> scratch.runUntil(++done[0]));
            double tps = (double) PROBE_STEPS * B * T / Math.max((System.nanoTime() - t0) / 1e9, 1e-9);
            if (!preset.equals("N1") || tps >= plan.minTokensPerSecond()) {
                break;
            }
            ctx.log(String.format("N1 probe at %.0f tok/s < %.0f: falling back to N0", tps, plan.minTokensPerSecond()));
            preset = "N0";
        }
        int steps = (int) tb.steps();
        GptConfig cfg = preset(preset, HyperfitData.VOCAB, T);
        Gpt model = new Gpt(cfg, seed);
        Trainer trainer = new Trainer(model, pretrainConfig(B, steps, seed), windows(ctx, data, B, T), new Batch[0],
                null, null);
        int chunk = Math.max(1, steps / 40);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int s = 0; s < steps; ) {
            s = Math.min(steps, s + chunk);
            trainer.runUntil(s);
            xs.add((double) s);
            ys.add(trainer.lastLoss());
            ctx.metric("pretrain", s, Map.of("loss", trainer.lastLoss(), "tokens", trainer.state().tokens()));
        }
        String sha = save(ctx, model, seed, "base");
        return new PretrainResult(preset, steps, trainer.state().tokens(), tb.tokensPerSecond(), toArray(xs),
                toArray(ys), model.params().numel(), sha);
    }

    /** AdamW 3e-3, warm-up then cosine to 3e-4, weight decay 0.1, clip 1 (papers.md §1.3). */
    static TrainConfig pretrainConfig(int B, int steps, long seed) {
        return new TrainConfig(B, 1, steps, 3e-3f, 3e-4f, Math.min(steps, Math.max(1, steps / 20)),
                TrainConfig.Schedule.COSINE, 0.2f, 0.1f, 0.9f, 0.95f, 1e-8f, 1.0f, 0, 1, 0, 1, Integer.MAX_VALUE, seed);
    }

    /**
     * Adam without weight decay at a constant rate, batch 8, no clipping: the paper's optimiser (its
     * lr 1e-6 scaled to our model size; papers.md §1.3).
     */
    static TrainConfig hyperfitConfig(int updates, float lr, long seed) {
        return new TrainConfig(HYPERFIT_BATCH, 1, updates, lr, lr, 0, TrainConfig.Schedule.CONSTANT, 0f, 0f, 0.9f,
                0.999f, 1e-8f, 0f, 0, 1, 0, 1, Integer.MAX_VALUE, seed);
    }

    private static TokenWindows windows(RunContext ctx, HyperfitData data, int B, int T) {
        return new TokenWindows(data.pretrain(), B, T, ctx.random().child("pretrain-data"), 0);
    }

    /** Hyperfits a copy of the base model on the first {@code spec.n()} sequences of H. */
    static HyperfitResult hyperfit(RunContext ctx, HyperfitData data, Spec spec, Batch[] valBatches) {
        Gpt model = load(ctx, "base");
        List<int[]> set = data.hyperfitSet(spec.n());
        List<SequenceEpochs.Example> examples = new ArrayList<>();
        for (int[] s : set) {
            examples.add(SequenceEpochs.Example.shifted(s));
        }
        int T = model.config().maxTokens();
        Batch[] trainBatches = batches(set, HYPERFIT_BATCH, T);
        SequenceEpochs source = new SequenceEpochs(examples, HYPERFIT_BATCH, T,
                RandomStream.root(spec.orderSeed()).child("hyperfit-order"), 0);
        Trainer trainer = new Trainer(model, hyperfitConfig(spec.maxUpdates(), spec.lr(), spec.orderSeed()), source,
                new Batch[0], null, null);
        List<Double> xs = new ArrayList<>();
        List<Double> tr = new ArrayList<>();
        List<Double> va = new ArrayList<>();
        int reach01 = -1;
        int bestUpdate = -1;
        double best = Double.POSITIVE_INFINITY;
        double trainLoss = Double.NaN;
        int u = 0;
        while (true) {
            trainLoss = Evaluation.of(model, trainBatches).meanLoss();
            double valLoss = Evaluation.of(model, valBatches).meanLoss();
            xs.add((double) u);
            tr.add(trainLoss);
            va.add(valLoss);
            ctx.metric("hyperfit-" + spec.name(), u, Map.of("trainLoss", trainLoss, "valLoss", valLoss));
            if (reach01 < 0 && trainLoss <= 0.1) {
                reach01 = u;
            }
            if (spec.trackBest() && u > 0 && valLoss < best) {
                best = valLoss;
                bestUpdate = u;
                save(ctx, model, spec.orderSeed(), spec.name() + "-early");
            }
            if (u >= spec.maxUpdates() || trainLoss <= spec.stopLoss()) {
                break;
            }
            u = Math.min(spec.maxUpdates(), u + spec.evalEvery());
            trainer.runUntil(u);
        }
        String sha = save(ctx, model, spec.orderSeed(), spec.name());
        return new HyperfitResult(spec.name(), spec.n(), spec.lr(), u, (double) u * HYPERFIT_BATCH / spec.n(),
                trainLoss, toArray(xs), toArray(tr), toArray(va), reach01, bestUpdate,
                spec.trackBest() ? best : Double.NaN, trainer.state().tokens(), sha);
    }

    /**
     * Fixed evaluation batches over whole sequences: inputs s[0..L−1), targets s[1..L), padded to T with
     * ignored targets. (B,T) each; the last batch may hold fewer real sequences (padding rows ignored).
     */
    static Batch[] batches(List<int[]> seqs, int B, int T) {
        int nb = (seqs.size() + B - 1) / B;
        Batch[] out = new Batch[nb];
        for (int k = 0; k < nb; k++) {
            int[] in = new int[B * T];
            int[] tg = new int[B * T];
            Arrays.fill(tg, Batch.IGNORE);
            long[] ids = new long[B];
            for (int b = 0; b < B; b++) {
                int i = k * B + b;
                ids[b] = i;
                if (i >= seqs.size()) {
                    continue;
                }
                int[] s = seqs.get(i);
                if (s.length - 1 > T) {
                    throw new IllegalArgumentException("sequence " + i + " has " + s.length + " tokens, more than T+1=" + (T + 1));
                }
                System.arraycopy(s, 0, in, b * T, s.length - 1);
                System.arraycopy(s, 1, tg, b * T, s.length - 1);
            }
            out[k] = Batch.of(B, T, in, tg, ids);
        }
        return out;
    }

    /** Writes {@code checkpoints/<name>.safetensors} and records its sha256 in the manifest. */
    static String save(RunContext ctx, Gpt model, long seed, String name) {
        Path file = ctx.checkpoints().resolve(name + ".safetensors");
        try {
            Checkpoint.saveModel(file, model, seed);
            String sha = Hashes.sha256(Files.readAllBytes(file));
            ctx.recordWeights(name, sha);
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code checkpoints/<name>.safetensors}, written by an earlier phase. */
    static Gpt load(RunContext ctx, String name) {
        Path file = ctx.checkpoints().resolve(name + ".safetensors");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("weights " + file + " are missing; the phase that writes them did not finish");
        }
        return Checkpoint.loadModel(file);
    }

    static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
