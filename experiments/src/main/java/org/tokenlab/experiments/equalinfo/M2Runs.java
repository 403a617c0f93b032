package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.List;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.lm.TokenLm;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.transformer.config.GptConfig;

/**
 * E3–E9 (papers.md §3.3): one M2 transformer per method, all on the same number of training tokens. The
 * first method's time box fixes the step count; every other method takes exactly that many steps.
 */
final class M2Runs {
    private M2Runs() {
    }

    /** One method's M2: held-out loss, bits/byte, unigram loss, FLOPs/byte and accuracy by window position. */
    public record M2(String method, int vocab, int period, double tokensPerByte, int steps, long tokens,
                     long nonEmbeddingParams, double loss, double unigramLoss, double[] accuracy,
                     double[] trivialAccuracy, double[] curveSteps, double[] curveLoss) {
        /** bits/byte = (tokens/byte) · loss / ln 2. */
        double bitsPerByte() {
            return tokensPerByte * loss / Math.log(2);
        }

        /** Inference FLOPs per byte of text: 2 · non-embedding parameters · tokens/byte (M1 not counted). */
        double flopsPerByte() {
            return 2.0 * nonEmbeddingParams * tokensPerByte;
        }
    }

    /** Every method's M2 (a phase result). */
    public record Models(String description, List<M2> models) {
    }

    static GptConfig model(Profile profile, int vocab) {
        return switch (profile) {
            case SMOKE -> GptConfig.standard(vocab, 32, 1, 2, 32); // plumbing only
            case QUICK -> GptConfig.standard(vocab, 128, 2, 4, 64);
            case FULL -> GptConfig.standard(vocab, 256, 3, 4, 128);
        };
    }

    /**
     * Trains one M2 per method, each in its own phase (a killed run keeps the finished methods). The first
     * method's time box fixes the step count of all the others.
     */
    static Models train(RunContext ctx, Profile profile, List<TokenStreams.Stream> trains, List<TokenStreams.Stream> valids)
            throws Exception {
        List<M2> out = new ArrayList<>();
        int steps = -1;
        double budget = switch (profile) {
            case SMOKE -> 1;
            case QUICK -> 25;
            case FULL -> 75;
        };
        for (int i = 0; i < trains.size(); i++) {
            TokenStreams.Stream tr = trains.get(i);
            TokenStreams.Stream va = valids.get(i);
            GptConfig cfg = model(profile, tr.vocab());
            int fixed = steps > 0 ? matchedSteps(steps, out.get(0), cfg) : -1;
            int min = fixed > 0 ? fixed : (profile == Profile.SMOKE ? 3 : 20);
            int max = fixed > 0 ? fixed : 50_000;
            TokenLm.Spec spec = new TokenLm.Spec("m2-" + tr.method(), cfg, 16, 1e-3f, budget, min, max,
                    switch (profile) { case SMOKE -> 2; case QUICK -> 10; case FULL -> 6; },   // evaluation points
                    switch (profile) { case SMOKE -> 1; case QUICK -> 8; case FULL -> 4; },    // batches per evaluation
                    tr.period());
            M2 m = ctx.phase("m2-" + tr.method(), M2.class, () -> {
                ctx.log("M2 on " + tr.method() + ": " + tr.tokens().length + " training tokens");
                return summarise(tr, va, TokenLm.train(ctx, spec, tr.tokens(), va.tokens(),
                        ctx.random().child("m2").child(tr.method())));
            });
            if (steps < 0) {
                steps = m.steps();
            }
            out.add(m);
        }
        GptConfig c = model(profile, 256);
        return new Models(String.format(java.util.Locale.ROOT, "M2: d %d, L %d, %d heads, T %d, batch 16, AdamW lr 1e-3 "
                + "(constant), %d steps (%,d tokens) for every method with V = 256; other V: the same training FLOPs", c.nEmbd(), c.nLayer(), c.nHead(), c.blockSize(),
                steps, (long) steps * 16 * c.blockSize()), out);
    }

    /**
     * The step count of a method after the first: the same tokens (steps) for a 256-token vocabulary, and the
     * same training FLOPs as the first method for any other vocabulary (E8: BPE-1024's larger head costs more
     * per token, papers.md §0.3), rounded to the nearest step. Non-embedding parameters do not depend on V.
     */
    static int matchedSteps(int firstSteps, M2 first, GptConfig cfg) {
        if (cfg.vocabSize() == first.vocab()) {
            return firstSteps;
        }
        double perToken = M2Checks.trainFlopsPerToken(cfg, first.nonEmbeddingParams());
        double firstPerToken = M2Checks.trainFlopsPerToken(cfg.withVocabSize(first.vocab()), first.nonEmbeddingParams());
        return Math.max(1, (int) Math.round(firstSteps * firstPerToken / perToken));
    }

    private static M2 summarise(TokenStreams.Stream tr, TokenStreams.Stream va, TokenLm.Result r) {
        int k = tr.period();
        double[] trivial = new double[k];
        java.util.Arrays.fill(trivial, Double.NaN);
        int earlyLimit = (int) Math.ceil(0.02 * r.steps());
        double[] xs = new double[r.curve().size()];
        double[] ys = new double[r.curve().size()];
        for (int i = 0; i < xs.length; i++) {
            TokenLm.Eval e = r.curve().get(i);
            xs[i] = e.step();
            ys[i] = e.loss();
            if (e.step() <= earlyLimit) { // trivial accuracy: the best in the first 2 % of steps
                for (int p = 0; p < k; p++) {
                    trivial[p] = Double.isNaN(trivial[p]) ? e.accuracyByPhase()[p] : Math.max(trivial[p], e.accuracyByPhase()[p]);
                }
            }
        }
        return new M2(tr.method(), tr.vocab(), k, va.tokensPerByte(), r.steps(), r.tokens(), r.nonEmbeddingParams(),
                r.last().loss(), TokenStreams.unigramLoss(tr.tokens(), va.tokens(), tr.vocab()), r.last().accuracyByPhase(),
                trivial, xs, ys);
    }
}
