package org.tokenlab.experiments.lexinvariant;

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
import org.tokenlab.experiments.Experiments;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Json;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;

/** The smoke profile end to end: well-formed results.json and report.md, every check present, resumable. */
class LexinvariantSmokeTest {
    @TempDir
    Path tmp;

    private static Path run(Path dir) {
        Runner runner = new Runner(ExperimentRegistry.of(new LexinvariantExperiment()),
                new PrintStream(new ByteArrayOutputStream(), true));
        runner.start(new RunConfig("lexinvariant", List.of("lexinvariant"), Profile.SMOKE, 3, 1, "cpu", null), dir);
        return dir;
    }

    @Test
    void smokeProfileWritesEveryCheckAndTheReport() throws Exception {
        Path dir = run(tmp.resolve("a"));
        JsonNode r = Json.readTree(dir.resolve("results.json"));
        assertEquals("completed", r.get("status").asText(), r.toPrettyString());
        List<String> ids = new java.util.ArrayList<>();
        r.get("checks").forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(List.of("L1", "L2", "L3", "L4", "L5", "L6"), ids);
        assertEquals("REPORTED", r.get("checks").get(5).get("verdict").asText());
        assertEquals("SKIPPED", r.get("checks").get(2).get("verdict").asText(), "smoke T = 32 cannot measure 449–512");
        for (String key : List.of("loss_std_plain", "loss_lex_ciphered", "gap_9_16", "ppl_semi", "task_acc_lex_B",
                "probe_acc_1_64")) {
            assertTrue(r.get("numbers").has(key), key);
        }
        String report = Files.readString(dir.resolve("report.md"));
        for (String png : List.of("loss-per-position.png", "gap.png", "probe.png", "tasks.png")) {
            assertTrue(Files.size(dir.resolve(png)) > 100, png);
            assertTrue(report.contains(png), png);
        }
        assertTrue(report.contains("Sample decipherment"), report);

        // Resuming rebuilds the same results from the phases stored in phases.json, without training.
        JsonNode before = Results.withoutTimings(r);
        Files.delete(dir.resolve("results.json"));
        new Runner(ExperimentRegistry.of(new LexinvariantExperiment()), new PrintStream(new ByteArrayOutputStream(), true))
                .resume(dir);
        assertEquals(before, Results.withoutTimings(Json.readTree(dir.resolve("results.json"))));
    }

    @Test
    void registeredInTheDefaultRegistry() {
        assertTrue(Experiments.registry().get("lexinvariant") instanceof LexinvariantExperiment);
    }
}
