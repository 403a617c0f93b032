package org.tokenlab.experiments.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path tmp;

    @Test
    void aValueThatCannotBeSerialisedLeavesTheOldFile() throws IOException {
        Path f = tmp.resolve("results.json");
        Json.write(f, Map.of("a", 1));
        String before = Files.readString(f);
        assertThrows(IllegalArgumentException.class, () -> Json.write(f, new Object()));
        assertEquals(before, Files.readString(f));
        RunnerTest.assertNoTempFiles(tmp);
    }
}
