package org.tokenlab.experiments.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Json;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;
import org.tokenlab.experiments.runner.Verdict;

class PriorExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void smokeRunWritesEveryCheckAndAReportAndDoesNotDependOnThreads() throws Exception {
        Path dir = tmp.resolve("run");
        List<Results> r = new Runner(ExperimentRegistry.of(new PriorExperiment()), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("prior", List.of("prior"), Profile.SMOKE, 0, 1, "cpu", null), dir);
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        for (String id : List.of("P1", "P2", "P3", "P4", "P5", "P6")) {
            assertTrue(res.checks().stream().anyMatch(c -> c.id().equals(id)), id);
        }
        assertNotEquals(Verdict.SKIPPED, res.checks().stream().filter(c -> c.id().equals("P2")).findFirst().orElseThrow().verdict());
        JsonNode json = Json.readTree(dir.resolve("results.json"));
        assertEquals("prior", json.get("experiment").asText());
        assertTrue(json.get("numbers").has("reference.wImage"));
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("P1") && report.contains("learning-curves.png"), report);
        assertTrue(Files.exists(dir.resolve("learning-curves.png")));

        // Same seed and profile on another thread count: identical results once timings are removed.
        Path two = tmp.resolve("run2");
        new Runner(ExperimentRegistry.of(new PriorExperiment()), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("prior", List.of("prior"), Profile.SMOKE, 0, 2, "cpu", null), two);
        assertEquals(Results.withoutTimings(json), Results.withoutTimings(Json.readTree(two.resolve("results.json"))));
    }

    @Test
    void fullProfilePathAtSmokeSizesEvaluatesEveryCheckFromOneReference() throws Exception {
        // The full profile's code path (both variants, seeds, ablations, pure-noise world, scaling grid) with
        // smoke sizes and fixed step counts; 2 seeds so that P3's confidence interval is defined.
        PriorExperiment tiny = new PriorExperiment(p -> new PriorExperiment.Plan(40, 2, 8, 4, 1, 1, 1, 6, 2, true));
        Path dir = tmp.resolve("full");
        Results res = new Runner(ExperimentRegistry.of(tiny), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("prior", List.of("prior"), Profile.SMOKE, 0, 1, "cpu", null), dir).get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        for (String id : List.of("P3", "P4", "P6")) {
            assertNotEquals(Verdict.SKIPPED, res.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().verdict(), id);
        }
        JsonNode numbers = Json.readTree(dir.resolve("results.json")).get("numbers");
        assertTrue(numbers.has("reference.wImage") && numbers.has("reference-noise.wImage"), numbers.toString());
        assertTrue(numbers.has("encoder-NTP-d64-n6-s1.tfAccuracy") && numbers.has("encoder-free-PRIOR-d64-n6-s1.tfAccuracy"));
        assertTrue(Files.exists(dir.resolve("scaling.png")));
        assertTrue(!Files.exists(dir.resolve("checkpoints").resolve("reference-s1.pr.bin")), "one reference for every seed");
    }
}
