package org.tokenlab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.cli.Main;
import picocli.CommandLine;

/** The model commands end to end: bpe → train (BPE tokenizer from the config) → score → generate. */
class TrainCliTest {
    private record Result(int rc, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = cl.execute(args);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void bpeTrainScoreGenerate(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat and the dog sat on the log. ".repeat(60));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Result bpe = run("bpe", "--data", text.toString(), "--vocab-size", "300", "--out", conf.resolve("vocab.json").toString());
        assertEquals(0, bpe.rc(), bpe.err());
        Files.writeString(conf.resolve("run.json"), """
                {"model": {"vocabSize": 300}, "train": {"batchSize": 2},
                 "tokenizer": {"kind": "bpe", "vocab": "vocab.json"}}""");
        Path out = dir.resolve("run");
        Result train = run("train", "--preset", "tiny", "--config", conf.resolve("run.json").toString(),
                "--data", text.toString(), "--out", out.toString(), "--steps", "3", "--threads", "1");
        assertEquals(0, train.rc(), train.err());
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        Path ckpt = out.resolve("checkpoints").resolve("step-0000003");
        Result score = run("score", "--checkpoint", ckpt.toString(), "--data", text.toString(), "--threads", "1");
        assertEquals(0, score.rc(), score.err());
        assertTrue(score.out().contains("\"tokenizer\": \"bpe-"), score.out());
        Result bytes = run("score", "--checkpoint", ckpt.toString(), "--data", text.toString(), "--tokenizer", "bytes",
                "--threads", "1");
        assertEquals(0, bytes.rc(), bytes.err());
        assertTrue(bytes.out().contains("\"tokenizer\": \"bytes\""), bytes.out());
        Result gen = run("generate", "--checkpoint", ckpt.toString(), "--prompt", "the cat", "--max-tokens", "5",
                "--threads", "1");
        assertEquals(0, gen.rc(), gen.err());
        assertTrue(gen.out().startsWith("the cat"), gen.out());
    }

    @Test
    void badConfigurationsNameTheField(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "abc ".repeat(100));
        Files.writeString(dir.resolve("unknown.json"), "{\"tokenizer\": {\"kind\": \"bpe\", \"vocabulary\": \"v.json\"}}");
        Result unknown = run("train", "--config", dir.resolve("unknown.json").toString(), "--data", text.toString(),
                "--out", dir.resolve("a").toString());
        assertNotEquals(0, unknown.rc());
        assertTrue(unknown.err().contains("unknown key 'tokenizer.vocabulary'"), unknown.err());
        Files.writeString(dir.resolve("missing.json"), "{\"tokenizer\": {\"kind\": \"bpe\", \"vocab\": \"v.json\"}}");
        Result missing = run("train", "--config", dir.resolve("missing.json").toString(), "--data", text.toString(),
                "--out", dir.resolve("b").toString());
        assertNotEquals(0, missing.rc());
        assertTrue(missing.err().contains("tokenizer.vocab") && missing.err().contains("not found"), missing.err());
        Result small = run("bpe", "--data", text.toString(), "--vocab-size", "100", "--out", dir.resolve("v.json").toString());
        assertNotEquals(0, small.rc());
        assertTrue(small.err().contains("--vocab-size must be > 256"), small.err());
    }

    @Test
    void matmulPrecisionIsCheckedAndRecorded(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "abcd efgh ".repeat(200));
        Result tf32 = run("train", "--preset", "tiny", "--data", text.toString(), "--out", dir.resolve("a").toString(),
                "--steps", "2", "--threads", "1", "--backend", "simd", "--matmul", "tf32");
        assertNotEquals(0, tf32.rc());
        assertTrue(tf32.err().contains("matmul precision tf32 needs the cuda backend; the simd backend computes matmul in fp32 only"),
                tf32.err());
        assertTrue(!Files.exists(dir.resolve("a").resolve("config.json")), "nothing is written before the backend accepts");
        Result bad = run("bench", "--preset", "tiny", "--matmul", "bf17");
        assertNotEquals(0, bad.rc());
        assertTrue(bad.err().contains("--matmul: unknown matmul precision 'bf17'; expected fp32 or tf32"), bad.err());

        Path out = dir.resolve("b");
        Result ok = run("train", "--preset", "tiny", "--data", text.toString(), "--out", out.toString(), "--steps", "2",
                "--threads", "1", "--backend", "simd", "--matmul", "fp32");
        assertEquals(0, ok.rc(), ok.err());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"matmul\" : \"fp32\""), manifest);
        // a run recorded as tf32 cannot silently resume in fp32 on a CPU backend
        Files.writeString(out.resolve("manifest.json"), manifest.replace("\"matmul\" : \"fp32\"", "\"matmul\" : \"tf32\""));
        Result resume = run("resume", out.toString(), "--threads", "1", "--backend", "simd");
        assertNotEquals(0, resume.rc());
        assertTrue(resume.err().contains("the run was trained with matmul tf32 (manifest.json)")
                && resume.err().contains("--matmul fp32"), resume.err());
        Result override = run("resume", out.toString(), "--threads", "1", "--backend", "simd", "--matmul", "fp32");
        assertEquals(0, override.rc(), override.err());
    }
}
