package org.tokenlab.experiments.hyperfitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The smoke profile end to end: a well-formed results.json, report.md, plots and weights. */
class HyperfittingExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void smokeRunWritesResultsReportPlotsAndWeights() throws Exception {
        Path dir = tmp.resolve("run");
        List<Results> r = new Runner(ExperimentRegistry.of(new HyperfittingExperiment()),
                new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("hyperfitting", List.of("hyperfitting"), Profile.SMOKE, 1, 1, "cpu", null), dir);
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        for (String id : List.of("H1", "H2", "H3")) {
            assertTrue(res.checks().stream().anyMatch(c -> c.id().equals(id) && c.verdict() != Verdict.SKIPPED), id);
        }
        assertEquals(3, res.figures().size());
        assertTrue(res.tables().stream().anyMatch(t -> t.title().startsWith("Sample continuations")));
        JsonNode json = Json.MAPPER.readTree(dir.resolve("results.json").toFile());
        assertEquals("hyperfitting", json.get("experiment").asText());
        assertTrue(json.get("numbers").has("ttr.main-greedy"));
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("H3"), report);
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints").resolve("main.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("hyperfit-loss.png")));
    }
}
