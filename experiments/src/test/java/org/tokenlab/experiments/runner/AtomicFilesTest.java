package org.tokenlab.experiments.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesContentAndLeavesNoTempFile() throws IOException {
        Path f = tmp.resolve("sub/a.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        RunnerTest.assertNoTempFiles(tmp);
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndCleansUp() throws IOException {
        // The target is a non-empty folder: the final rename must fail, and nothing half-written may remain.
        Path target = tmp.resolve("target");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(target, "new"));
        assertEquals(true, Files.isDirectory(target.resolve("inside")));
        RunnerTest.assertNoTempFiles(tmp);
    }

    @Test
    void aValueThatCannotBeSerialisedLeavesTheOldFile() throws IOException {
        Path f = tmp.resolve("results.json");
        Json.write(f, Map.of("a", 1));
        String before = Files.readString(f);
        assertThrows(IllegalArgumentException.class, () -> Json.write(f, new Object()));
        assertEquals(before, Files.readString(f));
    }
}
