package org.tokenlab.transformer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeJson;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.Pretokenizer;
import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.config.ConfigJson;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TokenizerConfig;

/** A run over BPE tokens: the vocabulary travels with the run folder, and bad vocabularies are clear errors. */
class BpeRunTest {

    private static RunConfig bpeRun(int vocab, String file) {
        RunConfig t = RunTest.tiny(2);
        GptConfig m = t.model();
        return new RunConfig(GptConfig.standard(vocab, m.blockSize(), m.nLayer(), m.nHead(), m.nEmbd()), t.train(),
                TokenizerConfig.bpe(file));
    }

    @Test
    void trainsOnBpeTokensAndKeepsItsOwnVocabulary(@TempDir Path dir) throws Exception {
        Path data = RunTest.text(dir);
        BpeTokenizer bpe = BpeTrainer.trainToVocab(Files.readAllBytes(data), 270, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        BpeJson.save(bpe, conf.resolve("vocab.json"));
        Path out = dir.resolve("run");
        TrainState s = Run.start(bpeRun(bpe.vocabSize(), "vocab.json"), conf, data, out, null);
        assertEquals(2, s.step());
        RunConfig saved = ConfigJson.readRun(out.resolve("config.json"), RunConfig.preset("tiny"));
        assertEquals(TokenizerConfig.bpe(TokenData.RUN_VOCAB), saved.tokenizer());
        Files.delete(conf.resolve("vocab.json")); // the run no longer needs the original
        assertEquals(2, Run.resume(out, null).step());
        Tokenizer back = TokenData.forCheckpoint(Checkpoint.latest(out.resolve("checkpoints")));
        byte[] text = Files.readAllBytes(data);
        assertArrayEquals(bpe.encode(text), back.encode(text));
        // tokens, not bytes: the BPE stream is shorter than the file
        assertTrue(TokenData.read(data, back).length < text.length);
    }

    @Test
    void vocabularyLargerThanTheModelOrMissingIsAClearError(@TempDir Path dir) throws Exception {
        Path data = RunTest.text(dir);
        BpeTokenizer bpe = BpeTrainer.trainToVocab(Files.readAllBytes(data), 270, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
        BpeJson.save(bpe, dir.resolve("vocab.json"));
        int v = bpe.vocabSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Run.start(bpeRun(v - 1, "vocab.json"), dir, data, dir.resolve("a"), null));
        assertTrue(e.getMessage().contains("vocabSize is " + (v - 1)) && e.getMessage().contains("has " + v + " ids"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Run.start(bpeRun(v, "nope.json"), dir, data, dir.resolve("b"), null));
        assertTrue(e.getMessage().contains("tokenizer.vocab") && e.getMessage().contains("not found"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenizerConfig("bpe", null));
        e = assertThrows(IllegalArgumentException.class, () -> new TokenizerConfig("words", null));
        assertTrue(e.getMessage().contains("tokenizer.kind"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("a/config.json")) && !Files.exists(dir.resolve("b/config.json")));
    }
}
