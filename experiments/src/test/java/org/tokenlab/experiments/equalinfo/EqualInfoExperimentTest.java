package org.tokenlab.experiments.equalinfo;

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
import org.tokenlab.experiments.runner.Json;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;
import org.tokenlab.experiments.runner.Verdict;

class EqualInfoExperimentTest {
    @TempDir
    Path tmp;

    private static Check check(Outcome o, String id) {
        return o.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static EqualInfoExperiment.Measured measured(long ac, long ei16, long ei32, long ei64, long st,
                                                         int exact, double ideal) {
        long bytes = 4096;
        Compression.Codec codec = new Compression.Codec(1, bytes, exact, 1, 0, ac, ideal);
        return new EqualInfoExperiment.Measured("test", 10_000, "M1: test", codec, List.of(
                new Compression.Method("Bytes", bytes, 8 * bytes),
                new Compression.Method("StaticAC", bytes, st),
                new Compression.Method("GZip", bytes, 12_000),
                new Compression.Method("EqualInfoAC[16]", bytes, ei16),
                new Compression.Method("EqualInfoAC[32]", bytes, ei32),
                new Compression.Method("EqualInfoAC[64]", bytes, ei64),
                new Compression.Method("AC", bytes, ac)));
    }

    @Test
    void checksPassOnThePapersOrderingAndFailWhenItBreaks() {
        Outcome good = outcomeQ(measured(10_000, 14_000, 12_500, 11_000, 18_000, 1, 9_990));
        assertEquals(Verdict.PASS, check(good, "E1").verdict());
        assertEquals(Verdict.PASS, check(good, "E2").verdict());
        assertEquals(Verdict.PASS, check(good, "E3").verdict());

        // AC longer than EqualInfoAC[64]: the ordering check must fail and name the part.
        Outcome bad = outcomeQ(measured(11_500, 14_000, 12_500, 11_000, 18_000, 1, 9_990));
        assertEquals(Verdict.FAIL, check(bad, "E2").verdict());
        assertTrue(check(bad, "E2").measured().contains("E2.c: 2.9789 vs 2.8484 FAIL"), check(bad, "E2").measured());

        // A chunk that does not round-trip, or AC 2 % above the cross-entropy, fails E1.
        assertEquals(Verdict.FAIL, check(outcomeQ(
                measured(10_000, 14_000, 12_500, 11_000, 18_000, 0, 9_990)), "E1").verdict());
        assertEquals(Verdict.FAIL, check(outcomeQ(
                measured(10_200, 14_000, 12_500, 11_000, 18_000, 1, 10_000)), "E1").verdict());
    }

    @Test
    void bpeTakesFewerStepsForTheSameTrainingFlops() {
        M2Runs.M2 bytes = m2("Bytes", 1, 1.0, 2.0, 3.0, new double[] {0.5}, new double[] {0.1});
        var bpeCfg = M2Runs.model(Profile.FULL, 1024);
        int steps = M2Runs.matchedSteps(81, bytes, bpeCfg);
        assertEquals(81, M2Runs.matchedSteps(81, bytes, M2Runs.model(Profile.FULL, 256)));
        assertTrue(steps < 81, "BPE steps " + steps);
        double perBpe = M2Checks.trainFlopsPerToken(bpeCfg, bytes.nonEmbeddingParams());
        double perBytes = M2Checks.trainFlopsPerToken(M2Runs.model(Profile.FULL, 256), bytes.nonEmbeddingParams());
        assertTrue(Math.abs(steps * perBpe - 81 * perBytes) <= perBpe / 2, "FLOPs match to half a step");
    }

    private static Outcome outcomeQ(EqualInfoExperiment.Measured m) {
        return EqualInfoExperiment.outcome(Profile.QUICK, m, models(5.54, 1.5, 1.9, 1.6, 4.8));
    }

    private static M2Runs.M2 m2(String name, int period, double tokensPerByte, double loss, double unigram,
                                double[] acc, double[] trivial) {
        return new M2Runs.M2(name, 256, period, tokensPerByte, 100, 100 * 16 * 128, 100_000, loss, unigram, acc, trivial,
                new double[] {0, 100}, new double[] {5.6, loss});
    }

    /** M2 results: AC's loss, Bytes' loss, EqualInfoAC[16]'s loss (unigram 5.3), BPE's, GZip's. */
    private static M2Runs.Models models(double ac, double bytes, double ei16, double bpe, double gzip) {
        return new M2Runs.Models("test", List.of(
                m2("Bytes", 1, 1.0, bytes, 3.0, new double[] {0.5}, new double[] {0.2}),
                m2("AC", 1, 0.18, ac, 5.545, new double[] {0.004}, new double[] {0.004}),
                m2("EqualInfoAC[16]", 2, 0.75, ei16, 5.3, new double[] {0.30, 0.05}, new double[] {0.05, 0.02}),
                m2("EqualInfoAC[32]", 4, 0.6, ei16 + 0.5, 5.4, new double[] {0.3, 0.1, 0.05, 0.02}, new double[] {0.05, 0.02, 0.01, 0.01}),
                m2("EqualInfoAC[64]", 8, 0.5, ei16 + 1.0, 5.45, new double[8], new double[8]),
                m2("StaticAC", 1, 0.58, 5.53, 5.54, new double[] {0.01}, new double[] {0.01}),
                m2("GZip", 1, 0.45, gzip, 5.4, new double[] {0.1}, new double[] {0.05}),
                m2("BPE-1024", 1, 0.3, bpe, 6.0, new double[] {0.2}, new double[] {0.1})));
    }

    @Test
    void m2ChecksPassAndFailOnConstructedModels() {
        EqualInfoExperiment.Measured m = measured(10_000, 14_000, 12_500, 11_000, 18_000, 1, 9_990);
        // Bytes 1.5 nats/token → 2.16 bits/byte; EqualInfo16 1.9·0.75/ln2 = 2.06 (beats Bytes: E9 PASSes here)
        Outcome good = EqualInfoExperiment.outcome(Profile.FULL, m, models(5.54, 1.5, 1.9, 1.6, 4.8));
        for (String id : List.of("E3", "E4", "E5", "E6", "E7", "E8", "E9")) {
            assertEquals(Verdict.PASS, check(good, id).verdict(), id + ": " + check(good, id).measured());
        }
        // AC learned (5.0 < 0.99·ln 256), Bytes not learned: E3 and E4 fail.
        Outcome acLearned = EqualInfoExperiment.outcome(Profile.FULL, m, models(5.0, 4.5, 2.0, 1.6, 4.8));
        assertEquals(Verdict.FAIL, check(acLearned, "E3").verdict());
        assertEquals(Verdict.FAIL, check(acLearned, "E4").verdict());
        // EqualInfo16 no better than its unigram (5.3): E4 fails; E9 fails (negative control); GZip at uniform: E7 fails.
        Outcome flat = EqualInfoExperiment.outcome(Profile.FULL, m, models(5.54, 1.0, 5.29, 3.5, 5.45));
        assertEquals(Verdict.FAIL, check(flat, "E4").verdict());
        assertEquals(Verdict.FAIL, check(flat, "E9").verdict());
        assertEquals(Verdict.FAIL, check(flat, "E7").verdict());
        assertEquals(Verdict.FAIL, check(flat, "E8").verdict());
    }

    @Test
    void e5ComparesGainsOverTrivialAccuracy() {
        M2Runs.M2 first = m2("EqualInfoAC[16]", 2, 0.75, 5.0, 5.3, new double[] {0.30, 0.05}, new double[] {0.05, 0.02});
        M2Runs.M2 second = m2("EqualInfoAC[16]", 2, 0.75, 5.0, 5.3, new double[] {0.10, 0.30}, new double[] {0.05, 0.02});
        assertEquals(Verdict.PASS, M2Checks.e5(first).verdict());
        assertEquals(Verdict.FAIL, M2Checks.e5(second).verdict());
    }

    @Test
    void unigramLossIsTheAddHalfCrossEntropy() {
        // train: two symbols of V = 2, counts (3, 1); add-½: p = (3.5/5, 1.5/5)
        double loss = TokenStreams.unigramLoss(new int[] {0, 0, 0, 1}, new int[] {0, 1}, 2);
        assertEquals(-(Math.log(0.7) + Math.log(0.3)) / 2, loss, 1e-12);
    }

    @Test
    void smokeRunCodesSynLosslessly() {
        EqualInfoExperiment e = new EqualInfoExperiment();
        List<Results> r = new Runner(ExperimentRegistry.of(e), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("equal-info", List.of("equal-info"), Profile.SMOKE, 1, 1, "cpu", null), tmp.resolve("run"));
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status());
        Check e1 = res.checks().stream().filter(c -> c.id().equals("E1")).findFirst().orElseThrow();
        assertEquals(Verdict.PASS, e1.verdict(), e1.measured());
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("E2") && c.verdict() != Verdict.SKIPPED));
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("E3") && c.verdict() != Verdict.SKIPPED));
        assertTrue(java.nio.file.Files.exists(tmp.resolve("run").resolve("report.md")));
        assertTrue(java.nio.file.Files.exists(tmp.resolve("run").resolve("m2-curves.png")));
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Path[] dirs = {tmp.resolve("t1"), tmp.resolve("t2")};
        for (int i = 0; i < 2; i++) {
            new Runner(ExperimentRegistry.of(new EqualInfoExperiment()), new PrintStream(new ByteArrayOutputStream()))
                    .start(new RunConfig("equal-info", List.of("equal-info"), Profile.SMOKE, 4, i + 1, "cpu", null), dirs[i]);
        }
        assertEquals(Results.withoutTimings(Json.readTree(dirs[0].resolve("results.json"))),
                Results.withoutTimings(Json.readTree(dirs[1].resolve("results.json"))));
    }
}
