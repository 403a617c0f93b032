package org.tokenlab.experiments.tokenization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.theory.markov.MarkovSource;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.CharTokenizer;
import org.tokenlab.theory.tokenize.GreedyTokenizer;
import org.tokenlab.theory.tokenize.Lzw;
import org.tokenlab.theory.tokenize.Pretokenizer;

/**
 * Tokenization theory (Rajaraman, Jiao, Ramchandran 2024; papers.md §4): the generator checks T1, the
 * unigram-over-tokens curves T2 (and T5 in the full profile), computed exactly with {@code theory/}, and
 * the transformer checks T3 and T4: N0 models on characters and on tokens ({@link TransformerRuns}).
 */
public final class TokenizationExperiment implements Experiment {
    /** Test characters for every loss (papers.md T1: 100k). */
    static final int TEST_CHARS = 100_000;

    /** A source of the design: order k, switching probabilities p and q. */
    record Source(int k, double p, double q) {
        String label() {
            return String.format(Locale.ROOT, "k=%d, p=%.1f, q=%.1f", k, p, q);
        }

        String key() {
            return String.format(Locale.ROOT, "k%d-p%.1f-q%.1f", k, p, q);
        }
    }

    /** A loss at dictionary size d. */
    public record Point(int d, double loss, double closure, double charsPerToken) {
    }

    /** Everything measured on one source (a phase result). */
    public record SourceResult(int k, double p, double q, double unigramEntropy, double entropyRate,
                               double empiricalUnigramLoss, double bayesLoss, List<Point> bpe, List<Point> lzw,
                               List<Point> greedy) {
    }

    static final Source PRIMARY = new Source(4, 0.1, 0.1);

    @Override
    public String id() {
        return "tokenization";
    }

    @Override
    public String title() {
        return "Toward a Theory of Tokenization in LLMs";
    }

    @Override
    public String paper() {
        return "Rajaraman, Jiao, Ramchandran; NeurIPS 2024; arXiv 2404.08335";
    }

    @Override
    public String claim() {
        return "On data from k-th order Markov sources (k > 1), transformers trained without tokenization are slow or "
                + "fail to learn and predict characters by a unigram model (loss H(π)); with tokenization, even a unigram "
                + "model over tokens models sequences near-optimally (loss near the entropy rate H∞), given a dictionary "
                + "large enough for the source.";
    }

    @Override
    public String analogue() {
        return "Binary order-k switching sources (x_n depends on x_{n−k} through P = [[1−p, p], [q, 1−q]]) from "
                + "theory/, with H(π) and H∞ computed exactly. BPE (merges learned on the training stream) and LZW "
                + "dictionaries; the loss of the best unigram model over their tokens, per character, on held-out "
                + "characters, and the share of the gap H(π) − H∞ it closes. N0 transformers (d 64, L 2) trained on "
                + "characters (T = 256) and on BPE/LZW tokens (T = 64), with their loss per character against H(π) and H∞.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 5;
            case QUICK -> 90; // measured 84–90 s
            case FULL -> 1500;
        };
    }

    private static List<Source> sources(Profile profile) {
        return profile == Profile.FULL
                ? List.of(PRIMARY, new Source(2, 0.1, 0.1), new Source(8, 0.1, 0.1), new Source(2, 0.2, 0.3))
                : List.of(PRIMARY);
    }

    /** Sources with transformer runs: k = 4 (T3); k ∈ {2, 4, 8} in the full profile (T4). */
    private static List<Source> lmSources(Profile profile) {
        return profile == Profile.FULL
                ? List.of(PRIMARY, new Source(2, 0.1, 0.1), new Source(8, 0.1, 0.1))
                : List.of(PRIMARY);
    }

    private static int[] bpeSizes(Profile profile) {
        return profile == Profile.FULL ? new int[] {16, 32, 64, 128, 256} : new int[] {16, 64, 128};
    }

    private static int[] lzwSizes(Profile profile) {
        return profile == Profile.FULL ? new int[] {64, 256} : new int[] {256};
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Profile profile = ctx.profile();
        int trainChars = profile == Profile.SMOKE ? 50_000 : 1_000_000;
        List<SourceResult> results = new ArrayList<>();
        for (Source s : sources(profile)) {
            results.add(ctx.phase("unigram-" + s.key(), SourceResult.class,
                    () -> measure(ctx, s, trainChars, bpeSizes(profile), lzwSizes(profile))));
        }
        List<TransformerRuns.SourceRuns> lms = new ArrayList<>();
        for (Source s : lmSources(profile)) {
            boolean untied = profile == Profile.FULL && s.equals(PRIMARY); // papers.md §4.7: tied and untied
            lms.add(ctx.phase("lm-" + s.key(), TransformerRuns.SourceRuns.class,
                    () -> TransformerRuns.run(ctx, s, trainChars, profile, untied)));
        }
        return TokenizationReport.outcome(profile, trainChars, results, lms);
    }

    private static SourceResult measure(RunContext ctx, Source s, int trainChars, int[] bpeSizes, int[] lzwSizes) {
        MarkovSource src = MarkovSource.switching(s.k(), s.p(), s.q());
        byte[] train = src.generate(trainChars, ctx.random().child("train").child(s.key()).nextLong());
        byte[] test = src.generate(TEST_CHARS, ctx.random().child("test").child(s.key()).nextLong());
        ctx.recordData("tokenization/" + s.key() + "/train", train);
        ctx.recordData("tokenization/" + s.key() + "/test", test);
        double hPi = src.unigramEntropy();
        double hInf = src.entropyRate();
        Alphabet alphabet = Alphabet.of(train);
        double charUnigram = UnigramOverTokens.lossPerChar(new CharTokenizer(alphabet), train, test);
        double bayes = src.bayesLoss(test);

        int maxD = Arrays.stream(bpeSizes).max().orElseThrow();
        ctx.log(s.label() + ": training BPE to d = " + maxD + " on " + trainChars + " characters");
        BpeTokenizer full = BpeTrainer.trainToVocab(train, maxD, alphabet, Pretokenizer.NONE);
        int[][] merges = full.merges();
        List<Point> bpe = new ArrayList<>();
        List<Point> greedy = new ArrayList<>();
        for (int d : bpeSizes) {
            // BPE merges are greedy and sequential: the first d − A merges are the BPE of size d.
            int m = Math.min(merges.length, d - alphabet.size());
            BpeTokenizer tok = new BpeTokenizer(alphabet, Arrays.copyOf(merges, m), Pretokenizer.NONE);
            bpe.add(point(d, tok, train, test, hPi, hInf));
            greedy.add(point(d, GreedyTokenizer.overBpe(tok), train, test, hPi, hInf));
        }
        List<Point> lzw = new ArrayList<>();
        for (int d : lzwSizes) {
            lzw.add(point(d, Lzw.tokenizer(train, alphabet, d), train, test, hPi, hInf));
        }
        ctx.tokens("unigram-" + s.key(), (long) trainChars + TEST_CHARS);
        return new SourceResult(s.k(), s.p(), s.q(), hPi, hInf, charUnigram, bayes, bpe, lzw, greedy);
    }

    private static Point point(int d, org.tokenlab.theory.tokenize.Tokenizer tok, byte[] train, byte[] test,
                               double hPi, double hInf) {
        double loss = UnigramOverTokens.lossPerChar(tok, train, test);
        return new Point(d, loss, UnigramOverTokens.closure(loss, hPi, hInf), UnigramOverTokens.charsPerToken(tok, test));
    }
}
