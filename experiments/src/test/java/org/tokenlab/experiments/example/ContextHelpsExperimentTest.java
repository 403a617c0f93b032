package org.tokenlab.experiments.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;
import org.tokenlab.experiments.runner.Verdict;

/** The worked example of docs/architecture.md runs through the real runner and is evaluated. */
class ContextHelpsExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void theExampleRunsEndToEndAndItsCheckIsEvaluated() {
        Runner runner = new Runner(ExperimentRegistry.of(new ContextHelpsExperiment()),
                new PrintStream(new ByteArrayOutputStream()));
        Results r = runner.start(new RunConfig("context-helps", List.of("context-helps"), Profile.SMOKE, 1, 1, "cpu", null),
                tmp.resolve("run")).get(0);
        assertEquals(Results.COMPLETED, r.status(), r.error());
        assertEquals(1, r.checks().size());
        // The smoke profile checks the pipeline, not the verdict: the check is evaluated, not skipped.
        assertNotEquals(Verdict.SKIPPED, r.checks().get(0).verdict(), r.checks().get(0).measured());
        assertTrue(Double.isFinite(((Number) r.numbers().get("modelLoss")).doubleValue()));
        assertEquals(true, Files.exists(tmp.resolve("run").resolve("report.md")));
    }

    @Test
    void theUnigramBaselineIsTheEntropyOfTheTrainingCounts() {
        // two symbols, 3:1 in training and in test -> H = -(3/4 ln(3.5/5) + 1/4 ln(1.5/5)) with add-1/2
        int[] train = {0, 0, 0, 1};
        int[] test = {0, 0, 0, 1};
        double expected = -(3 * Math.log(3.5 / 5) + Math.log(1.5 / 5)) / 4;
        assertEquals(expected, ContextHelpsExperiment.unigramLoss(train, test, 2), 1e-12);
    }
}
