package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
        assertNoTempFiles(tmp);
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndCleansUp() throws IOException {
        // The target is a non-empty folder: the final rename must fail, and nothing half-written may remain.
        Path target = tmp.resolve("target");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(target, "new"));
        assertEquals(true, Files.isDirectory(target.resolve("inside")));
        assertNoTempFiles(tmp);
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> tmps = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmps.isEmpty(), "temp files left: " + tmps);
        }
    }
}
