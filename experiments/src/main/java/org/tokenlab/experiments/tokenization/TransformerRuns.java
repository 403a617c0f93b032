package org.tokenlab.experiments.tokenization;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.lm.TokenLm;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.theory.markov.MarkovSource;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.CharTokenizer;
import org.tokenlab.theory.tokenize.Lzw;
import org.tokenlab.theory.tokenize.Pretokenizer;
import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.config.GptConfig;

/**
 * T3/T4 (papers.md §4.5): N0 transformers (d 64, L 2, 4 heads, learned absolute positions, AdamW lr 1e-3)
 * on characters (T = 256) and on tokens (T = 64) of an order-k switching source, loss reported per
 * character: nats/token × tokens/character of the test stream.
 */
final class TransformerRuns {
    private TransformerRuns() {
    }

    /** One trained model: its per-character curve and final closure. */
    public record Run(String tokenizer, boolean tied, int steps, long tokens, double charsPerToken,
                      double[] curveSteps, double[] curveLossPerChar, double lossPerChar, double closure,
                      int plateauExitStep) {
    }

    /** Every run on one source (a phase result). */
    public record SourceRuns(int k, double p, double q, double unigramEntropy, double entropyRate, List<Run> runs) {
    }

    /** Closure a model must pass to count as having left the H(π) plateau (recorded, not a threshold of a check). */
    static final double PLATEAU_EXIT = 0.2;

    /** The (tokenizer, tied) runs of a profile on a source of order k. */
    static List<String> tokenizers(Profile profile, boolean primary) {
        if (profile != Profile.FULL) {
            return List.of("characters", "BPE-128");
        }
        return primary ? List.of("characters", "BPE-64", "BPE-128", "BPE-256", "LZW-256")
                : List.of("characters", "BPE-64", "BPE-256", "LZW-256");
    }

    static SourceRuns run(RunContext ctx, TokenizationExperiment.Source s, int trainChars, Profile profile, boolean untiedToo) {
        MarkovSource src = MarkovSource.switching(s.k(), s.p(), s.q());
        // the same streams as the unigram phase (same named streams)
        byte[] train = src.generate(trainChars, ctx.random().child("train").child(s.key()).nextLong());
        byte[] test = src.generate(TokenizationExperiment.TEST_CHARS, ctx.random().child("test").child(s.key()).nextLong());
        double hPi = src.unigramEntropy();
        double hInf = src.entropyRate();
        Alphabet alphabet = Alphabet.of(train);
        List<Run> runs = new ArrayList<>();
        for (String name : tokenizers(profile, s.equals(TokenizationExperiment.PRIMARY))) {
            Tokenizer tok = tokenizer(name, train, alphabet);
            boolean chars = name.equals("characters");
            for (boolean tied : untiedToo ? new boolean[] {true, false} : new boolean[] {true}) {
                runs.add(train(ctx, s, name, tok, tied, chars ? 256 : 64, train, test, hPi, hInf, profile));
            }
        }
        return new SourceRuns(s.k(), s.p(), s.q(), hPi, hInf, runs);
    }

    private static Tokenizer tokenizer(String name, byte[] train, Alphabet alphabet) {
        if (name.equals("characters")) {
            return new CharTokenizer(alphabet);
        }
        int d = Integer.parseInt(name.substring(name.indexOf('-') + 1));
        return name.startsWith("BPE") ? BpeTrainer.trainToVocab(train, d, alphabet, Pretokenizer.NONE)
                : Lzw.tokenizer(train, alphabet, d);
    }

    private static Run train(RunContext ctx, TokenizationExperiment.Source s, String name, Tokenizer tok, boolean tied,
                             int T, byte[] train, byte[] test, double hPi, double hInf, Profile profile) {
        int[] trainIds = tok.encode(train);
        int[] testIds = tok.encode(test);
        double tokensPerChar = (double) testIds.length / test.length;
        int V = 0;
        for (int id : trainIds) {
            V = Math.max(V, id + 1);
        }
        for (int id : testIds) {
            V = Math.max(V, id + 1);
        }
        GptConfig cfg = GptConfig.standard(V, T, 2, 4, 64).withTiedHead(tied);
        String runName = String.format(Locale.ROOT, "lm-%s-%s-%s", s.key(), name, tied ? "tied" : "untied");
        // full: 18 runs (papers.md §4.5's 12, plus the primary source's BPE-128 and untied twins) share ≈ 18 min
        // of the 30-minute budget; evaluation and tokenisation take the rest
        double budget = switch (profile) {
            case SMOKE -> 1;
            case QUICK -> 40;
            case FULL -> 60;
        };
        TokenLm.Spec spec = new TokenLm.Spec(runName, cfg, 16, 1e-3f, budget, profile == Profile.SMOKE ? 3 : 20,
                20_000, profile == Profile.SMOKE ? 2 : 12, profile == Profile.SMOKE ? 1 : 4, 1);
        TokenLm.Result r = TokenLm.train(ctx, spec, trainIds, testIds, ctx.random().child("lm").child(runName));
        double[] xs = new double[r.curve().size()];
        double[] ys = new double[r.curve().size()];
        int exit = -1;
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.curve().get(i).step();
            ys[i] = r.curve().get(i).loss() * tokensPerChar;
            if (exit < 0 && UnigramOverTokens.closure(ys[i], hPi, hInf) >= PLATEAU_EXIT) {
                exit = (int) xs[i];
            }
        }
        double loss = ys[ys.length - 1];
        return new Run(name, tied, r.steps(), r.tokens(), 1 / tokensPerChar, xs, ys, loss,
                UnigramOverTokens.closure(loss, hPi, hInf), exit);
    }
}
