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
        assertTrue(json.get("numbers").has("reference-s0.wImage"));
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("P1") && report.contains("learning-curves.png"), report);
        assertTrue(Files.exists(dir.resolve("learning-curves.png")));

        // Same seed and profile on another thread count: identical results once timings are removed.
        Path two = tmp.resolve("run2");
        new Runner(ExperimentRegistry.of(new PriorExperiment()), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("prior", List.of("prior"), Profile.SMOKE, 0, 2, "cpu", null), two);
        assertEquals(Results.withoutTimings(json), Results.withoutTimings(Json.readTree(two.resolve("results.json"))));
    }
}
