package org.tokenlab.experiments.example;

import java.util.Arrays;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.data.SynCorpus;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.theory.tokenize.CharTokenizer;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.Evaluation;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;

/**
 * The worked "add your own experiment" example of docs/architecture.md: does a tiny GPT use its context,
 * i.e. beat the best context-free (unigram) model on SYN characters? One claim, one baseline beside the
 * method, one pre-registered check, a time-boxed training phase that resumes, and an honest outcome.
 */
public final class ContextHelpsExperiment implements Experiment {

    /** What the training phase hands back (stored in phases.json, so a resumed run skips it). */
    public record Trained(double modelLoss, long steps) {
    }

    @Override
    public String id() {
        return "context-helps";
    }

    @Override
    public String title() {
        return "Context helps (worked example)";
    }

    @Override
    public String paper() {
        return "none: the example of docs/architecture.md";
    }

    @Override
    public String claim() {
        return "A causal transformer predicts the next character better than the best unigram model.";
    }

    @Override
    public String analogue() {
        return "A 1-layer GPT on SYN characters against the unigram model fitted on the same training text.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return profile == Profile.SMOKE ? 3 : 20;
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        // 1. Data: all randomness comes from the run seed, by name.
        RandomStream rng = ctx.random().child("data");
        byte[] text = SynCorpus.generate(rng.nextLong(), 40_000);
        CharTokenizer chars = CharTokenizer.fromCorpus(text);
        int[] tokens = chars.encode(text);
        int split = tokens.length * 9 / 10;
        int[] train = Arrays.copyOfRange(tokens, 0, split);
        int[] valid = Arrays.copyOfRange(tokens, split, tokens.length);

        // 2. The baseline beside the method: the unigram model's cross-entropy on the validation text.
        double unigram = unigramLoss(train, valid, chars.vocabSize());

        // 3. The method, in a resumable, time-boxed phase.
        GptConfig model = GptConfig.standard(chars.vocabSize(), 32, 1, 2, 32);
        Trained trained = ctx.phase("train", Trained.class, () -> {
            Gpt gpt = new Gpt(model, ctx.random().child("init").nextLong());
            Batch[] eval = TokenWindows.fixed(valid, 8, 32, 4, ctx.random().child("eval"), 0);
            long maxSteps = ctx.profile() == Profile.SMOKE ? 20 : 400;
            TrainConfig cfg = TrainConfig.defaults(8, (int) maxSteps)
                    .withOptim(3e-3f, 3e-3f, 10, TrainConfig.Schedule.CONSTANT, 0.0f, 1.0f)
                    .withCadence(0, 0, 1_000_000);
            Trainer trainer = new Trainer(gpt, cfg, new TokenWindows(train, 8, 32, ctx.random().child("batches"), 0),
                    eval, null, null);
            // The first steps are timed; the step count is fitted to a 15 s budget (replayed on resume).
            TimeBox box = ctx.timeBox("train", 15, 8 * 32, 5, 20, maxSteps,
                    () -> trainer.runUntil(trainer.state().step() + 1));
            trainer.runUntil((int) box.steps());
            return new Trained(Evaluation.of(gpt, eval).meanLoss(), box.steps());
        });

        // 4. The pre-registered check, with its threshold fixed before any run.
        return Outcome.builder()
                .setup("GPT 1×32 (T = 32) on 36k SYN characters, " + trained.steps() + " steps; unigram baseline.")
                .check(Check.atMost("C1", "the transformer's validation loss is below the unigram model's",
                        trained.modelLoss(), unigram))
                .number("unigramLoss", unigram)
                .number("modelLoss", trained.modelLoss())
                .build();
    }

    /** Cross-entropy (nats/char) of the add-½ unigram model fitted on {@code train}, measured on {@code test}. */
    static double unigramLoss(int[] train, int[] test, int vocab) {
        double[] counts = new double[vocab];
        Arrays.fill(counts, 0.5);
        for (int t : train) {
            counts[t]++;
        }
        double total = train.length + 0.5 * vocab;
        double loss = 0;
        for (int t : test) {
            loss -= Math.log(counts[t] / total);
        }
        return loss / test.length;
    }
}
