package org.tokenlab.experiments.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Profile;
import org.tokenlab.tensor.parallel.Parallel;

class RunnerTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final int threadsBefore = Parallel.get().threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    private Runner runner(FakeExperiment e) {
        return new Runner(ExperimentRegistry.of(e), new PrintStream(log, true));
    }

    private static RunConfig config(Profile p, int threads, String timeboxFrom) {
        return new RunConfig("fake", List.of("fake"), p, 7, threads, "cpu", timeboxFrom);
    }

    @Test
    void smokeRunWritesWellFormedRecords() throws IOException {
        FakeExperiment e = new FakeExperiment();
        Path dir = tmp.resolve("run");
        List<Results> results = runner(e).start(config(Profile.SMOKE, 1, null), dir);
        assertEquals(1, results.size());

        JsonNode r = Json.readTree(dir.resolve("results.json"));
        assertEquals("fake", r.get("experiment").asText());
        assertEquals("smoke", r.get("profile").asText());
        assertEquals(7, r.get("seed").asLong());
        assertEquals("completed", r.get("status").asText());
        assertEquals(5, r.get("checks").size());
        assertEquals("PASS", r.get("checks").get(0).get("verdict").asText());
        assertEquals("FAIL", r.get("checks").get(2).get("verdict").asText());
        assertEquals("full profile only", r.get("checks").get(3).get("reason").asText());
        assertTrue(r.get("timings").get("phaseSeconds").has("train"));
        Results back = Json.read(dir.resolve("results.json"), Results.class);
        assertEquals(1, back.count(Verdict.FAIL));

        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.startsWith("# A fake experiment"), report);
        assertTrue(report.contains("| F3 | an impossible threshold |"), report);
        assertTrue(report.contains("![A curve](curve.png)"), report);
        assertTrue(report.contains("F3 did not"), report);
        assertTrue(report.contains("F4 (full profile only)"), report);
        for (String png : List.of("curve.png", "bars.png")) {
            byte[] b = Files.readAllBytes(dir.resolve(png));
            assertEquals((byte) 0x89, b[0]);
            assertEquals('P', b[1]);
        }
        for (String f : List.of("config.json", "manifest.json", "metrics.jsonl", "phases.json")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        JsonNode manifest = Json.readTree(dir.resolve("manifest.json"));
        assertEquals("finished", manifest.get("status").asText());
        assertEquals(4 * 64, manifest.get("tokensProcessed").get("fake/train").asLong());
        assertTrue(manifest.get("phaseSeconds").has("fake/draw"));
        try (Stream<String> lines = Files.lines(dir.resolve("metrics.jsonl"))) {
            for (String line : lines.toList()) {
                JsonNode m = Json.MAPPER.readTree(line);
                assertEquals("fake", m.get("experiment").asText());
                assertTrue(m.has("loss") && m.has("step"), line);
            }
        }
        assertNoTempFiles(dir);
    }

    @Test
    void sameSeedSameResultsForAnyThreadCount() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        runner(new FakeExperiment()).start(config(Profile.SMOKE, 1, null), a);
        runner(new FakeExperiment()).start(config(Profile.SMOKE, 2, null), b);
        assertEquals(Results.withoutTimings(Json.readTree(a.resolve("results.json"))),
                Results.withoutTimings(Json.readTree(b.resolve("results.json"))));
    }

    @Test
    void differentSeedsGiveDifferentResults() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        runner(new FakeExperiment()).start(config(Profile.SMOKE, 1, null), a);
        runner(new FakeExperiment()).start(new RunConfig("fake", List.of("fake"), Profile.SMOKE, 8, 1, "cpu", null), b);
        assertFalse(Results.withoutTimings(Json.readTree(a.resolve("results.json")))
                .equals(Results.withoutTimings(Json.readTree(b.resolve("results.json")))));
    }

    @Test
    void replayedTimeBoxesReproduceAMeasuredRun() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        runner(new FakeExperiment()).start(config(Profile.QUICK, 1, null), a);
        runner(new FakeExperiment()).start(config(Profile.QUICK, 2, a.toString()), b);
        JsonNode tbB = Json.readTree(b.resolve("results.json")).get("timings").get("timeBoxes").get("train");
        assertEquals("replayed", tbB.get("source").asText());
        assertEquals(Results.withoutTimings(Json.readTree(a.resolve("results.json"))),
                Results.withoutTimings(Json.readTree(b.resolve("results.json"))));
    }

    @Test
    void resumeSkipsFinishedPhasesAndEndsLikeAnUninterruptedRun() {
        FakeExperiment e = new FakeExperiment();
        e.dieBetweenPhases = true;
        Path dir = tmp.resolve("killed");
        Runner r = runner(e);
        List<Results> first = r.start(config(Profile.SMOKE, 1, null), dir);
        assertEquals(Results.FAILED, first.get(0).status());
        assertTrue(first.get(0).error().contains("killed between phases"));
        assertEquals(1, e.drawRuns.get());
        assertEquals(0, e.trainRuns.get());

        e.dieBetweenPhases = false;
        List<Results> second = r.resume(dir);
        assertEquals(Results.COMPLETED, second.get(0).status());
        assertEquals(1, e.drawRuns.get(), "finished phase must not run again");
        assertEquals(1, e.trainRuns.get());
        assertEquals(2, Json.readTree(dir.resolve("manifest.json")).get("attempts").asInt());

        // A completed run resumed again does nothing.
        r.resume(dir);
        assertEquals(1, e.trainRuns.get());

        Path clean = tmp.resolve("clean");
        runner(new FakeExperiment()).start(config(Profile.SMOKE, 1, null), clean);
        assertEquals(Results.withoutTimings(Json.readTree(clean.resolve("results.json"))),
                Results.withoutTimings(Json.readTree(dir.resolve("results.json"))));
    }

    @Test
    void multiExperimentRunWritesSubfoldersAndSummary() throws IOException {
        FakeExperiment e = new FakeExperiment();
        ExperimentRegistry reg = ExperimentRegistry.of(e, new BrokenExperiment());
        Path dir = tmp.resolve("all");
        List<Results> rs = new Runner(reg, new PrintStream(log, true))
                .start(new RunConfig("all", reg.ids(), Profile.SMOKE, 1, 1, "cpu", null), dir);
        assertEquals(Results.FAILED, rs.get(1).status());
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("| [broken](broken/report.md) | failed: IllegalStateException: out of disk |"), summary);
        assertTrue(summary.contains("| [fake](fake/report.md) | ran | 2 | 1 | 1 | 1 |"), summary);
        assertTrue(summary.contains("1 experiment(s) failed to run"), summary);
        assertTrue(Files.readString(dir.resolve("broken/report.md")).contains("The run failed before its checks"));

        // report DIR re-renders from the files alone
        Files.delete(dir.resolve("fake/report.md"));
        Files.delete(dir.resolve("fake/curve.png"));
        Runner.rerender(dir);
        assertTrue(Files.exists(dir.resolve("fake/report.md")));
        assertTrue(Files.exists(dir.resolve("fake/curve.png")));
    }

    @Test
    void startRefusesAnExistingRunAndUnknownIds() {
        FakeExperiment e = new FakeExperiment();
        Path dir = tmp.resolve("run");
        runner(e).start(config(Profile.SMOKE, 1, null), dir);
        assertThrows(IllegalArgumentException.class, () -> runner(e).start(config(Profile.SMOKE, 1, null), dir));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> runner(e)
                .start(new RunConfig("nope", List.of("nope"), Profile.SMOKE, 1, 1, "cpu", null), tmp.resolve("x")));
        assertTrue(ex.getMessage().contains("known: fake"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runner(e).resume(tmp.resolve("missing")));
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> tmps = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmps.isEmpty(), "temp files left: " + tmps);
        }
    }
}
