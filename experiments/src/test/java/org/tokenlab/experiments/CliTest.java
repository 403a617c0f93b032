package org.tokenlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.tokenlab.cli.Main;
import picocli.CommandLine;

class CliTest {
    private record Result(int rc, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int rc = cl.execute(args);
        return new Result(rc, err.toString());
    }

    @Test
    void unknownExperimentListsTheKnownOnes() {
        Result r = run("run", "nope", "--profile", "smoke");
        assertNotEquals(0, r.rc());
        assertTrue(r.err().contains("unknown experiment 'nope'") && r.err().contains("tokenization"), r.err());
    }

    @Test
    void badFlagsGetClearErrors() {
        Result p = run("run", "all", "--profile", "huge");
        assertNotEquals(0, p.rc());
        assertTrue(p.err().contains("unknown profile 'huge'"), p.err());
        Result t = run("run", "all", "--threads", "0");
        assertTrue(t.err().contains("--threads must be ≥ 1"), t.err());
        Result b = run("run", "all", "--backend", "tpu");
        assertTrue(b.err().contains("unknown backend 'tpu'"), b.err());
        Result both = run("run", "all", "--resume", "x");
        assertNotEquals(0, both.rc());
        Result none = run("run");
        assertNotEquals(0, none.rc());
    }

    @Test
    void benchNamesABadFlagAndWarmsUpByTimeOrByCount() {
        assertTrue(run("bench", "--preset", "tiny", "--warmup", "-1").err().contains("--warmup must be in [0, 100000], got -1"));
        assertTrue(run("bench", "--preset", "tiny", "--warmup", "2000000000").err().contains("--warmup must be in"));
        assertTrue(run("bench", "--preset", "tiny", "--warmup-seconds", "-2").err().contains("--warmup-seconds must be"));
        assertTrue(run("bench", "--preset", "tiny", "--warmup-seconds", "NaN").err().contains("--warmup-seconds must be"));
        assertTrue(run("bench", "--preset", "tiny", "--steps", "0").err().contains("--steps must be in [1, 1000000], got 0"));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, run("bench", "--preset", "tiny", "--threads", "1", "--warmup-seconds", "0", "--steps", "1").rc());
            assertEquals(0, run("bench", "--preset", "tiny", "--threads", "1", "--warmup", "0", "--steps", "2").rc());
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        // a time box of 0 s still runs the minimum warm-up; an explicit count is taken as given
        assertTrue(printed.contains("| 1 timed steps after 3 warm-up steps"), printed);
        assertTrue(printed.contains("| 2 timed steps after 0 warm-up steps"), printed);
        // compare-torch.sh reads the FMA rates around the timed steps from this field
        assertTrue(printed.matches("(?s).*\\| FMA [1-9][0-9]*/[1-9][0-9]* GFLOP/s before/after\\R.*"), printed);
    }

    @Test
    void resumingAMissingFolderSaysSo() {
        Result r = run("run", "--resume", "/nonexistent/run");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("not a run folder"), r.err());
    }

    @Test
    void runWritesARunFolderAndRefusesToOverwriteIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path out = tmp.resolve("ei");
        Result ok = run("run", "equal-info", "--profile", "smoke", "--seed", "2", "--threads", "1", "--backend", "simd",
                "--out", out.toString());
        assertEquals(0, ok.rc(), ok.err());
        assertTrue(java.nio.file.Files.exists(out.resolve("results.json")));
        assertTrue(java.nio.file.Files.exists(out.resolve("report.md")));
        assertEquals(0, run("report", out.toString()).rc());
        Result again = run("run", "equal-info", "--profile", "smoke", "--out", out.toString());
        assertEquals(1, again.rc());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test
    void registryHasTheSixIds() {
        assertEquals(java.util.List.of("hyperfitting", "lexinvariant", "equal-info", "tokenization", "soft-thinking", "prior"),
                Experiments.registry().ids());
        assertEquals(0, run("list").rc());
    }
}
