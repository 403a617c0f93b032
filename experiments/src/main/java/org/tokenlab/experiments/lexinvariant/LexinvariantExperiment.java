package org.tokenlab.experiments.lexinvariant;

import java.util.function.Supplier;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.data.Corpora;
import org.tokenlab.experiments.data.TextSplits;
import org.tokenlab.experiments.runner.Hashes;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.TokenWindows;

/**
 * Lexinvariant language models (Huang et al. 2023; papers.md §2): standard versus lexinvariant
 * character-level GPTs, their per-position loss and gap curve G(t), loss on ciphered text (L1, L2; L3 at
 * T = 512), the decipher probe (L4), synthetic in-context tasks on seen and unseen symbol pools (L5) and
 * the semi-lexinvariant variant (L6).
 */
public final class LexinvariantExperiment implements Experiment {
    static final long EVAL_IDS = 1_000_000_000L;
    static final long TASK_EVAL_IDS = 5_000_000_000L;

    /** One language model's training and evaluation (per-position losses, 1-based position t at t−1). */
    public record LmResult(Training.Trained trained, double[] plainLoss, double[] cipherLoss, double[] plainWindowLoss,
                           double[] cipherWindowLoss, DecipherProbe.Result probe, String probeSample) {
    }

    /** One task model's training and its per-task accuracy on pools A and B. */
    public record TaskResult(Training.Trained trained, double[] accA, double[] accB) {
    }

    @Override
    public String id() {
        return "lexinvariant";
    }

    @Override
    public String title() {
        return "Lexinvariant Language Models";
    }

    @Override
    public String paper() {
        return "Huang, Zelikman, Chen, Wu, Valiant, Liang; NeurIPS 2023; arXiv 2305.16349";
    }

    @Override
    public String claim() {
        return "A transformer whose token embeddings are fresh random Gaussian vectors for every sequence can still model "
                + "language: its perplexity gap to a standard LM shrinks with context length (9X to under 1X by 512 "
                + "characters), it deciphers substitution ciphers in context (99.6 % probe accuracy), and it is about 4X "
                + "better on synthetic in-context reasoning tasks.";
    }

    @Override
    public String analogue() {
        return "Character-level standard and lexinvariant GPTs (N0, T = 128 on SYN for quick; N1, T = 512 on NAT for full); "
                + "per-position loss in buckets and the relative perplexity gap G(t) = exp(ℓ_lex − ℓ_std) − 1, loss on "
                + "ciphered validation windows, a linear decipher probe against a frequency-rank baseline, LookUp / "
                + "Reverse / Permute-apply tasks trained on symbol pool A and tested on A and the unseen pool B, and a "
                + "semi-lexinvariant (p = 0.2 type swap) standard model.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 10;
            case QUICK -> 90; // measured 75–100 s
            case FULL -> 1500; // measured 1 205 s at 1 thread (session 2)
        };
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Profile profile = ctx.profile();
        Plan plan = Plan.of(profile);
        RandomStream rnd = ctx.random();
        TextSplits text = TextSplits.forProfile(ctx, plan.trainBytes(), plan.valBytes());
        boolean lmRuns = profile != Profile.FULL || text.natural();
        LexReport report = new LexReport(ctx, plan, text.source());
        if (lmRuns) {
            CharText chars = new CharText(text.train(), text.validation());
            int V = chars.vocabSize();
            int[] train = chars.encode(text.train());
            int[] val = chars.encode(text.validation());
            int T = plan.lm().blockSize();
            int[][] windows = CharText.windows(val, T, plan.evalWindows());
            int[][] ciphered = CharText.cipherAll(windows, V, rnd.child("cipher-eval"));
            long[] freq = CharText.counts(train, V);
            if (profile != Profile.SMOKE) {
                Training.warmUp(ctx, plan.lm(), V, plan.batch());
            }
            // The standard model's time box sets the steps; the others train on exactly as many tokens.
            LmResult std = ctx.phase("lm-standard", LmResult.class,
                    () -> trainLm(ctx, "lm-standard", LexModel.Kind.STANDARD, 0, plan, V, train, windows,
                            ciphered, null, freq, chars, rnd));
            long steps = std.trained().steps();
            LmResult lex = ctx.phase("lm-lexinvariant", LmResult.class,
                    () -> trainLm(ctx, "lm-lexinvariant", LexModel.Kind.LEXINVARIANT, steps, plan, V, train,
                            windows, ciphered, val, freq, chars, rnd));
            LmResult semi = !plan.semi() ? null : ctx.phase("lm-semi", LmResult.class,
                    () -> trainLm(ctx, "lm-semi", LexModel.Kind.SEMI, steps, plan, V, train, windows,
                            ciphered, null, freq, chars, rnd));
            report.languageModels(V, std, lex, semi);
        } else {
            report.languageModelsSkipped(Corpora.NAT_MISSING);
        }
        if (plan.task() != null) {
            if (profile != Profile.SMOKE) {
                Training.warmUp(ctx, plan.task(), SyntheticTasks.V, plan.taskBatch());
            }
            TaskResult std = ctx.phase("tasks-standard", TaskResult.class,
                    () -> trainTasks(ctx, "tasks-standard", LexModel.Kind.STANDARD, 0, plan, rnd));
            long steps = std.trained().steps();
            TaskResult lex = ctx.phase("tasks-lexinvariant", TaskResult.class,
                    () -> trainTasks(ctx, "tasks-lexinvariant", LexModel.Kind.LEXINVARIANT, steps, plan, rnd));
            TaskResult semi = ctx.phase("tasks-semi", TaskResult.class,
                    () -> trainTasks(ctx, "tasks-semi", LexModel.Kind.SEMI, steps, plan, rnd));
            report.tasks(std, lex, semi);
        } else {
            report.tasksSkipped("full profile only (papers.md §2.4: L3–L6 are F checks)");
        }
        return report.build();
    }

    /** Trains one LM, scores plain and ciphered validation windows, and (probe windows given) runs the decipher probe. */
    private static LmResult trainLm(RunContext ctx, String name, LexModel.Kind kind, long steps, Plan plan,
                                    int V, int[] train, int[][] windows, int[][] ciphered, int[] probeText, long[] freq,
                                    CharText chars, RandomStream rnd) {
        int T = plan.lm().blockSize();
        LexModel model = new LexModel(kind, plan.lm(), V, rnd.child(name).child("init").key());
        TokenWindows data = new TokenWindows(train, plan.batch(), T, rnd.child(name).child("data"), 0);
        Training.Trained trained = Training.train(ctx, name, model, data::next, plan.batch() * T, plan.lmBudget(),
                steps, rnd.child(name).child("train"));
        ctx.recordWeights(name, weightsSha256(model));
        LexModel.Losses plain = model.losses(CharText.batches(windows, plan.batch(), EVAL_IDS));
        LexModel.Losses cipher = model.losses(CharText.batches(ciphered, plan.batch(), EVAL_IDS));
        DecipherProbe.Result probe = null;
        String sample = null;
        if (probeText != null && plan.probeTrain() > 0) {
            int[][] pw = CharText.windows(probeText, T, plan.probeTrain() + plan.probeTest());
            int[][] probeTrain = java.util.Arrays.copyOfRange(pw, 0, plan.probeTrain());
            int[][] probeTest = java.util.Arrays.copyOfRange(pw, plan.probeTrain(), pw.length);
            probe = DecipherProbe.run(model, probeTrain, probeTest, freq, plan.probeSteps(), 2048, plan.batch(),
                    rnd.child(name).child("probe"));
            int from = Math.max(0, T - 64);
            sample = "plaintext: " + chars.decode(probeTest[0], from, T) + "\nciphered:  "
                    + chars.decode(probe.sampleCipher(), from, T) + "\nprobe:     " + chars.decode(probe.samplePrediction(), from, T);
        }
        return new LmResult(trained, plain.perPosition(), cipher.perPosition(), plain.perWindow(), cipher.perWindow(),
                probe, sample);
    }

    /** sha256 of every parameter's values, in creation order. */
    static String weightsSha256(LexModel model) {
        java.util.List<float[]> parts = model.gpt().params().all().values().stream().map(t -> t.toArray()).toList();
        float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return Hashes.sha256(all);
    }

    /** Trains one task model on pool A and scores it on pools A and B. */
    private static TaskResult trainTasks(RunContext ctx, String name, LexModel.Kind kind, long steps, Plan plan,
                                         RandomStream rnd) {
        int T = plan.task().blockSize();
        int B = plan.taskBatch();
        LexModel model = new LexModel(kind, plan.task(), SyntheticTasks.V, rnd.child(name).child("init").key());
        RandomStream data = rnd.child(name).child("data");
        long[] counter = {0};
        Supplier<Batch> batches = () -> {
            long k = counter[0]++;
            return SyntheticTasks.batch(SyntheticTasks.sequences(B, T, 0, data.child(k)), k * B);
        };
        Training.Trained trained = Training.train(ctx, name, model, batches, B * T, plan.taskBudget(), steps,
                rnd.child(name).child("train"));
        RandomStream eval = rnd.child("task-eval"); // the same test sequences for every model
        double[] accA = SyntheticTasks.accuracy(model,
                SyntheticTasks.sequences(plan.taskEvalSeqs(), T, 0, eval.child("A")), B, TASK_EVAL_IDS);
        double[] accB = SyntheticTasks.accuracy(model,
                SyntheticTasks.sequences(plan.taskEvalSeqs(), T, SyntheticTasks.POOL, eval.child("B")), B, TASK_EVAL_IDS);
        return new TaskResult(trained, accA, accB);
    }
}
