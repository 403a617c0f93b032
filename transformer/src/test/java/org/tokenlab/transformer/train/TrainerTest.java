package org.tokenlab.transformer.train;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final GptConfig MODEL = GptConfig.standard(17, 16, 2, 2, 16).withDropout(0.1f);
    private static final int THREADS = Parallel.get().threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(THREADS);
    }

    static int[] corpus() {
        RandomStream r = RandomStream.root(3);
        int[] t = new int[2000];
        for (int i = 0; i < t.length; i++) { // a learnable pattern with noise
            t[i] = r.nextFloat() < 0.8f ? (i * 3) % 17 : r.nextInt(17);
        }
        return t;
    }

    static TrainConfig train(int steps) {
        return TrainConfig.defaults(4, steps).withBatch(2, 2)
                .withOptim(3e-3f, 3e-4f, 2, TrainConfig.Schedule.COSINE, 0.1f, 1.0f)
                .withCadence(0, 0, 100);
    }

    static Trainer trainer(TrainConfig cfg, Path out) {
        Gpt model = new Gpt(MODEL, cfg.seed());
        TokenWindows data = new TokenWindows(corpus(), cfg.batchSize(), MODEL.blockSize(), RandomStream.root(cfg.seed()).child("data"), 0);
        return new Trainer(model, cfg, data, new Batch[0], out, null);
    }

    static float[][] weights(Trainer t, Gpt model) {
        return model.params().all().values().stream().map(Tensor::toArray).toArray(float[][]::new);
    }

    @Test
    void lossGoesDown() {
        TrainConfig cfg = train(30).withOptim(1e-2f, 1e-3f, 2, TrainConfig.Schedule.COSINE, 0.1f, 1.0f);
        Gpt model = new Gpt(MODEL, 1);
        int[] data = corpus();
        Batch[] eval = TokenWindows.fixed(data, 4, 16, 2, RandomStream.root(9), 1L << 40);
        double before = Evaluation.of(model, eval).meanLoss();
        Trainer t = new Trainer(model, cfg, new TokenWindows(data, 2, 16, RandomStream.root(2), 0), eval, null, null);
        t.run();
        double after = t.lastEval().meanLoss();
        assertTrue(after < before - 0.3, "eval loss " + before + " -> " + after);
        assertEquals(30 * 2 * 2 * 16, t.state().tokens());
    }

    @Test
    void targetLogProbsAgreeWithTheLossAndEvaluation() {
        Gpt model = new Gpt(MODEL, 4);
        Batch b = TokenWindows.fixed(corpus(), 3, 16, 1, RandomStream.root(5), 0)[0];
        float[] lp = Evaluation.targetLogProbs(model, b);
        double mean = 0;
        for (float x : lp) {
            mean -= x;
        }
        mean /= lp.length;
        float loss;
        try (var ng = org.tokenlab.tensor.Engine.noGrad()) {
            loss = model.loss(b, false, 0).item();
        }
        assertEquals(loss, mean, 1e-4);
        assertEquals(Evaluation.of(model, new Batch[]{b}).meanLoss(), mean, 1e-5);
    }

    @Test
    void resumeGivesBitwiseTheSameWeights(@TempDir Path dir) {
        TrainConfig cfg = train(8).withCadence(0, 4, 1);
        Trainer straight = trainer(cfg, dir.resolve("a"));
        straight.run();
        Gpt m1 = modelOf(straight);

        Trainer first = trainer(cfg, dir.resolve("b"));
        first.runUntil(4); // checkpoint at 4 (checkpointEvery)
        Trainer resumed = trainer(cfg, dir.resolve("b"));
        resumed.restore(Checkpoint.latest(dir.resolve("b").resolve("checkpoints")));
        assertEquals(4, resumed.state().step());
        resumed.run();
        Gpt m2 = modelOf(resumed);
        for (Map.Entry<String, Tensor> e : m1.params().all().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), m2.params().get(e.getKey()).toArray(), e.getKey());
        }
        // the metrics of the resumed run read like the straight run's (same step lines, same losses)
        assertEquals(lossLines(dir.resolve("a/metrics.jsonl")), lossLines(dir.resolve("b/metrics.jsonl")));
        assertEquals(List.of("step-0000004", "step-0000008"), Checkpoint.list(dir.resolve("b/checkpoints")).stream()
                .map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalWeights() {
        TrainConfig cfg = train(4);
        Parallel.setThreads(1);
        Trainer a = trainer(cfg, null);
        a.run();
        float[][] w1 = weights(a, modelOf(a));
        Parallel.setThreads(2);
        Trainer b = trainer(cfg, null);
        b.run();
        float[][] w2 = weights(b, modelOf(b));
        for (int i = 0; i < w1.length; i++) {
            assertArrayEquals(w1[i], w2[i], "parameter " + i);
        }
    }

    @Test
    void nanLossStopsWithADiagnosticAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        TrainConfig cfg = train(6).withCadence(0, 2, 100);
        Trainer t = trainer(cfg, dir);
        t.runUntil(2);
        Gpt model = modelOf(t);
        Tensor w = model.params().get("transformer.h.0.mlp.c_fc.weight");
        org.tokenlab.tensor.Engine.backend().fill(w.storage(), w.offset(), 1, Float.NaN);
        TrainingDiverged e = assertThrows(TrainingDiverged.class, t::run);
        assertEquals(2, e.step());
        assertTrue(e.getMessage().contains("step 2"), e.getMessage());
        Path last = Checkpoint.latest(dir.resolve("checkpoints"));
        assertEquals("step-0000002", last.getFileName().toString());
        assertTrue(Float.isFinite(Checkpoint.loadModel(last.resolve(Checkpoint.MODEL_FILE))
                .params().get("transformer.h.0.mlp.c_fc.weight").toArray()[0]));
    }

    @Test
    void checkpointFromAnotherConfigurationIsRejected(@TempDir Path dir) {
        TrainConfig cfg = train(2).withCadence(0, 2, 100);
        trainer(cfg, dir).run();
        Gpt other = new Gpt(GptConfig.standard(17, 16, 3, 2, 16), 1);
        Trainer t = new Trainer(other, cfg, new TokenWindows(corpus(), 2, 16, RandomStream.root(1), 0), new Batch[0], null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.restore(Checkpoint.latest(dir.resolve("checkpoints"))));
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    @Test
    void sequenceEpochsVisitEveryExampleOncePerEpochAndResume() {
        List<SequenceEpochs.Example> ex = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ex.add(SequenceEpochs.Example.shifted(new int[]{i, i + 1, i + 2}));
        }
        SequenceEpochs s = new SequenceEpochs(ex, 5, 4, RandomStream.root(1), 0);
        Batch b = s.next();
        long[] ids = b.sequenceIds().clone();
        java.util.Arrays.sort(ids);
        assertArrayEquals(new long[]{0, 1, 2, 3, 4}, ids);
        assertEquals(Batch.IGNORE, b.targets()[2], "padding is ignored");
        long[] state = s.state();
        Batch next = s.next();
        SequenceEpochs s2 = new SequenceEpochs(ex, 5, 4, RandomStream.root(1), 0);
        s2.restore(state);
        assertArrayEquals(next.inputs(), s2.next().inputs());
    }

    private static Gpt modelOf(Trainer t) {
        return t.model();
    }

    private static List<String> lossLines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(l -> l.replaceAll("\"tokens_per_s\":\\d+", "")).toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
