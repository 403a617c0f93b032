package org.tokenlab.experiments.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void plainModePrintsOneLinePerTenthWithEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = new Progress("train", 100, new PrintStream(buf, true, StandardCharsets.UTF_8), false)) {
            for (int i = 0; i < 100; i++) {
                p.step(1, "loss 1.0");
            }
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(10, lines.length);
        assertTrue(lines[0].contains("train: 10/100 (10%)") && lines[0].contains("ETA"), lines[0]);
        assertTrue(lines[9].contains("100/100 (100%)") && lines[9].contains("loss 1.0"), lines[9]);
    }

    @Test
    void clockFormatsMinutesAndSeconds() {
        assertEquals("0:05", Progress.clock(5));
        assertEquals("2:03", Progress.clock(123));
    }
}
