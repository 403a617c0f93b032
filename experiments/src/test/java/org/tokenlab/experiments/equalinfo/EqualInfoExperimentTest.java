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
        return new EqualInfoExperiment.Measured("test", 10_000, codec, List.of(
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
        Outcome good = EqualInfoExperiment.outcome(Profile.QUICK, measured(10_000, 14_000, 12_500, 11_000, 18_000, 1, 9_990));
        assertEquals(Verdict.PASS, check(good, "E1").verdict());
        assertEquals(Verdict.PASS, check(good, "E2").verdict());
        assertEquals(Verdict.SKIPPED, check(good, "E3").verdict());

        // AC longer than EqualInfoAC[64]: the ordering check must fail and name the part.
        Outcome bad = EqualInfoExperiment.outcome(Profile.QUICK, measured(11_500, 14_000, 12_500, 11_000, 18_000, 1, 9_990));
        assertEquals(Verdict.FAIL, check(bad, "E2").verdict());
        assertTrue(check(bad, "E2").measured().contains("E2.c: 2.9789 vs 2.8484 FAIL"), check(bad, "E2").measured());

        // A chunk that does not round-trip, or AC 2 % above the cross-entropy, fails E1.
        assertEquals(Verdict.FAIL, check(EqualInfoExperiment.outcome(Profile.QUICK,
                measured(10_000, 14_000, 12_500, 11_000, 18_000, 0, 9_990)), "E1").verdict());
        assertEquals(Verdict.FAIL, check(EqualInfoExperiment.outcome(Profile.QUICK,
                measured(10_200, 14_000, 12_500, 11_000, 18_000, 1, 10_000)), "E1").verdict());
    }

    @Test
    void fullProfileListsTheTransformerChecksAsNotImplemented() {
        Outcome o = EqualInfoExperiment.outcome(Profile.FULL, measured(10_000, 14_000, 12_500, 11_000, 18_000, 1, 9_990));
        for (String id : List.of("E4", "E5", "E6", "E7", "E8", "E9")) {
            assertEquals("not implemented yet", check(o, id).reason());
        }
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
