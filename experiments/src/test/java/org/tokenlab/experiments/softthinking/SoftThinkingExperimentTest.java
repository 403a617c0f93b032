package org.tokenlab.experiments.softthinking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;

class SoftThinkingExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void registeredUnderItsId() {
        assertTrue(Experiments.registry().get("soft-thinking") instanceof SoftThinkingExperiment);
    }

    @Test
    void identityDecoderFollowsGreedyOnAnUntrainedModel() {
        Gpt model = new Gpt(CotTraining.n0(), 5);
        assertTrue(Phases.oneHotExact(model));
        for (int i = 0; i < 3; i++) {
            Tasks.Problem p = Tasks.chainSum(RandomStream.root(9).child(i), 6, true);
            int[] g = Decoders.decode(model, p, Decoders.Spec.greedy(), 3, RandomStream.root(1)).tokens();
            int[] s = Decoders.decode(model, p, Decoders.Spec.identity(), 3, RandomStream.root(2)).tokens();
            // The soft decoder must stop thinking at its budget (block − prompt − 1 − answer); before that
            // the two traces are the same tokens.
            int maxThink = 64 - p.prompt().length - 1 - 3;
            int n = Math.min(maxThink, Math.min(g.length, s.length));
            assertArrayEquals(Arrays.copyOf(g, n), Arrays.copyOf(s, n), "problem " + i);
        }
    }

    @Test
    void smokeRunWritesResultsAndReport() throws Exception {
        var e = new SoftThinkingExperiment();
        List<Results> r = new Runner(ExperimentRegistry.of(e), new PrintStream(new ByteArrayOutputStream()))
                .start(new RunConfig("soft-thinking", List.of("soft-thinking"), Profile.SMOKE, 1, 1, "cpu", null),
                        tmp.resolve("run"));
        Results res = r.get(0);
        assertEquals(Results.COMPLETED, res.status(), res.error());
        assertEquals(List.of("S1", "S2", "S3", "S4", "S5", "S6"), res.checks().stream().map(c -> c.id()).toList());
        var tree = Json.MAPPER.readTree(tmp.resolve("run/results.json").toFile());
        assertEquals("soft-thinking", tree.get("experiment").asText());
        String report = Files.readString(tmp.resolve("run/report.md"));
        assertTrue(report.contains("S1") && report.contains("greedy CoT"), report);
        assertTrue(Files.exists(tmp.resolve("run/entropy-trace.png")));
    }
}
