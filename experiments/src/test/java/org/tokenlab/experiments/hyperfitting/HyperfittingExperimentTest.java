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

    /** The full profile's code path (seeds, blocker, ablations, early stop, shuffle) at toy sizes. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void fullCodePathAtToySizesProducesEveryCheck() {
        HyperfittingExperiment.Plan toy = new HyperfittingExperiment.Plan(new HyperfitData.Sizes(60_000, 30_000, 64, 8, 128),
                false, "N0", 1, 4, 3, 3, 0, 16, 3e-4f, 4, 2, Double.NaN, 2, 32, 16, 8, 3, new int[] {8, 64}, 1e-4f, 1e-3f);
        Path dir = tmp.resolve("full");
        List<Results> r = new Runner(ExperimentRegistry.of(new HyperfittingExperiment(p -> toy)),
                new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("hyperfitting", List.of("hyperfitting"), Profile.SMOKE, 1, 1, "cpu", null), dir);
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        for (String id : List.of("H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8")) {
            assertTrue(res.checks().stream().anyMatch(c -> c.id().equals(id) && c.verdict() != Verdict.SKIPPED), id);
        }
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("H9") && c.verdict() == Verdict.REPORTED));
        assertTrue(res.checks().stream().anyMatch(c -> c.id().equals("X1") && c.verdict() == Verdict.REPORTED));
        assertEquals(4, res.figures().size());
        assertTrue(Files.isRegularFile(dir.resolve("checkpoints").resolve("main-early.safetensors")));
    }
}
