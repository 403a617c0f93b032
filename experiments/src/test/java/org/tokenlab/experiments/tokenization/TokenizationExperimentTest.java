package org.tokenlab.experiments.tokenization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;
import org.tokenlab.experiments.runner.Verdict;
import org.tokenlab.experiments.tokenization.TokenizationExperiment.Point;
import org.tokenlab.experiments.tokenization.TokenizationExperiment.SourceResult;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.CharTokenizer;

class TokenizationExperimentTest {
    @TempDir
    Path tmp;

    private static final double H_PI = Math.log(2);
    private static final double H_INF = 0.325;

    private static Point p(int d, double loss) {
        return new Point(d, loss, UnigramOverTokens.closure(loss, H_PI, H_INF), 5);
    }

    private static SourceResult source(double unigram, double bayes, double l16, double l64, double l128) {
        return new SourceResult(4, 0.1, 0.1, H_PI, H_INF, unigram, bayes, List.of(p(16, l16), p(64, l64), p(128, l128)),
                List.of(p(256, 0.5)), List.of(p(16, l16), p(64, l64), p(128, l128)));
    }

    private static Check check(Outcome o, String id) {
        return o.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void t1AndT2PassOnTheCalibrationNumbersAndFailOffThem() {
        Outcome good = TokenizationReport.outcome(Profile.QUICK, 1000, List.of(source(0.6935, 0.3260, 0.542, 0.430, 0.412)), lms(0.69, 0.40));
        assertEquals(Verdict.PASS, check(good, "T1").verdict());
        assertEquals(Verdict.PASS, check(good, "T2").verdict());
        assertEquals(Verdict.PASS, check(good, "T3").verdict(), check(good, "T3").measured());

        assertEquals(Verdict.FAIL, check(TokenizationReport.outcome(Profile.QUICK, 1000,
                List.of(source(0.700, 0.3260, 0.542, 0.430, 0.412)), lms(0.69, 0.40)), "T1").verdict());
        // closure at 128 below 0.6
        assertEquals(Verdict.FAIL, check(TokenizationReport.outcome(Profile.QUICK, 1000,
                List.of(source(0.6935, 0.3260, 0.60, 0.55, 0.50)), lms(0.69, 0.40)), "T2").verdict());
        // loss rising with d
        assertEquals(Verdict.FAIL, check(TokenizationReport.outcome(Profile.QUICK, 1000,
                List.of(source(0.6935, 0.3260, 0.40, 0.43, 0.41)), lms(0.69, 0.40)), "T2").verdict());
    }

    private static TransformerRuns.Run run(String tok, int k, double loss, double hInf) {
        double closure = UnigramOverTokens.closure(loss, H_PI, hInf);
        return new TransformerRuns.Run(tok, true, 100, 1000, 1, new double[] {0, 100}, new double[] {H_PI, loss}, loss,
                closure, closure >= TransformerRuns.PLATEAU_EXIT ? 100 : -1);
    }

    /** Transformer runs on k = 4: the character model's loss and the BPE-128 model's, per character. */
    private static List<TransformerRuns.SourceRuns> lms(double chars, double bpe) {
        return List.of(new TransformerRuns.SourceRuns(4, 0.1, 0.1, H_PI, H_INF,
                List.of(run("characters", 4, chars, H_INF), run("BPE-128", 4, bpe, H_INF))));
    }

    @Test
    void t3PassesWhenCharactersAreStuckAndTokensAreNearOptimal() {
        SourceResult s = source(0.6935, 0.3260, 0.542, 0.430, 0.412);
        assertEquals(Verdict.PASS, check(TokenizationReport.outcome(Profile.QUICK, 1000, List.of(s), lms(0.69, 0.40)), "T3").verdict());
        // the character model learned the order-k dependence (closure 0.5)
        assertEquals(Verdict.FAIL, check(TokenizationReport.outcome(Profile.QUICK, 1000, List.of(s), lms(0.51, 0.40)), "T3").verdict());
        // the BPE model is 0.05 nats/char worse than the unigram over its tokens (0.412)
        assertEquals(Verdict.FAIL, check(TokenizationReport.outcome(Profile.QUICK, 1000, List.of(s), lms(0.69, 0.462)), "T3").verdict());
    }

    @Test
    void t4NeedsBothOrdersAndRecordsThePlateauExit() {
        List<TransformerRuns.SourceRuns> good = List.of(
                new TransformerRuns.SourceRuns(4, 0.1, 0.1, H_PI, H_INF, List.of(run("characters", 4, 0.69, H_INF), run("BPE-256", 4, 0.40, H_INF))),
                new TransformerRuns.SourceRuns(8, 0.1, 0.1, H_PI, H_INF, List.of(run("characters", 8, 0.69, H_INF), run("BPE-256", 8, 0.50, H_INF))));
        assertEquals(Verdict.PASS, TransformerChecks.t4(good).verdict());
        assertTrue(TransformerChecks.t4(good).measured().contains("never left the plateau"), TransformerChecks.t4(good).measured());
        List<TransformerRuns.SourceRuns> k8Weak = List.of(good.get(0),
                new TransformerRuns.SourceRuns(8, 0.1, 0.1, H_PI, H_INF, List.of(run("characters", 8, 0.69, H_INF), run("BPE-256", 8, 0.60, H_INF))));
        assertEquals(Verdict.FAIL, TransformerChecks.t4(k8Weak).verdict());
    }

    @Test
    void unigramOverCharactersOfAFairCoinIsLnTwo() {
        byte[] train = new byte[20_000];
        byte[] test = new byte[20_000];
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (i % 2);
            test[i] = (byte) ((i / 3) % 2);
        }
        double loss = UnigramOverTokens.lossPerChar(new CharTokenizer(Alphabet.of(train)), train, test);
        assertEquals(Math.log(2), loss, 1e-3);
        assertEquals(1.0, UnigramOverTokens.closure(H_INF, H_PI, H_INF), 1e-12);
        assertEquals(0.0, UnigramOverTokens.closure(H_PI, H_PI, H_INF), 1e-12);
    }

    @Test
    void smokeRunMeasuresTheGeneratorAndTheBpeCurve() {
        List<Results> r = new Runner(ExperimentRegistry.of(new TokenizationExperiment()), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("tokenization", List.of("tokenization"), Profile.SMOKE, 1, 1, "cpu", null), tmp.resolve("run"));
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("T1") && c.verdict() != Verdict.SKIPPED));
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("T2") && c.verdict() != Verdict.SKIPPED));
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("T3") && c.verdict() != Verdict.SKIPPED));
        assertEquals(3, res.figures().size());
        assertTrue(java.nio.file.Files.exists(tmp.resolve("run").resolve("lm-curves-k4.png")));
        assertTrue(java.nio.file.Files.exists(tmp.resolve("run").resolve("report.md")));
    }
}
