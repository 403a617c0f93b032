package org.tokenlab.transformer.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunTest {

    static RunConfig tiny(int steps) {
        RunConfig t = RunConfig.preset("tiny");
        return new RunConfig(t.model(), t.train().withSteps(steps).withCadence(0, 2, 1));
    }

    static Path text(Path dir) throws Exception {
        Path f = dir.resolve("data.txt");
        Files.writeString(f, "the cat sat on the mat. ".repeat(40));
        return f;
    }

    @Test
    void runFolderHoldsConfigManifestMetricsAndCheckpoints(@TempDir Path dir) throws Exception {
        Path data = text(dir);
        Path out = dir.resolve("run");
        TrainState s = Run.start(tiny(4), data, out, null);
        assertEquals(4, s.step());
        assertTrue(Files.isRegularFile(out.resolve("config.json")));
        assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"loss\"")).count());
        RunManifest m = RunManifest.read(out);
        assertEquals("finished", m.status());
        assertEquals(RunManifest.sha256(data), m.dataSha256());
        Path last = Checkpoint.latest(out.resolve("checkpoints"));
        assertEquals(RunManifest.sha256(last.resolve(Checkpoint.MODEL_FILE)), m.finalWeightsSha256());
        assertEquals(s.tokens(), m.tokensProcessed());
        // resuming a finished run changes nothing
        assertEquals(s.step(), Run.resume(out, null).step());
        assertEquals(m.finalWeightsSha256(), RunManifest.read(out).finalWeightsSha256());
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> Run.start(tiny(4), data, out, null));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
    }

    @Test
    void badDataIsAClearError(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Run.start(tiny(2), empty, dir.resolve("a"), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Run.start(tiny(2), dir.resolve("missing.txt"), dir.resolve("b"), null));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        RunConfig small = new RunConfig(GptConfig.standard(100, 16, 1, 1, 8), tiny(2).train());
        e = assertThrows(IllegalArgumentException.class, () -> Run.start(small, text(dir), dir.resolve("c"), null));
        assertTrue(e.getMessage().contains("vocabSize"), e.getMessage());
    }

    @Test
    void changedDataRefusesToResume(@TempDir Path dir) throws Exception {
        Path data = text(dir);
        Path out = dir.resolve("run");
        Run.start(tiny(2), data, out, null);
        Files.writeString(data, "something else entirely, long enough to hold a window of bytes. ".repeat(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Run.resume(out, null));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
    }
}
