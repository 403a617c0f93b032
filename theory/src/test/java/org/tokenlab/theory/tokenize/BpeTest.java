package org.tokenlab.theory.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTest {

    static byte[] randomBytes(SplittableRandom rng, int n, int alphabet) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(alphabet);
        }
        return b;
    }

    /** Skewed binary stream with long runs, where overlapping pairs (a,a) matter. */
    static byte[] runs(SplittableRandom rng, int n) {
        byte[] b = new byte[n];
        int cur = 0;
        for (int i = 0; i < n; i++) {
            if (rng.nextInt(5) == 0) {
                cur ^= 1;
            }
            b[i] = (byte) cur;
        }
        return b;
    }

    @Test
    void fastTrainerAndEncoderMatchTheNaiveReference() {
        SplittableRandom rng = new SplittableRandom(42);
        for (int trial = 0; trial < 60; trial++) {
            byte[] data = switch (trial % 3) {
                case 0 -> randomBytes(rng, 1 + rng.nextInt(600), 2 + rng.nextInt(4));
                case 1 -> runs(rng, 1 + rng.nextInt(600));
                default -> WordSalad.generate(1 + rng.nextInt(1500), trial);
            };
            Pretokenizer pre = trial % 3 == 2 && trial % 2 == 0 ? Pretokenizer.WHITESPACE : Pretokenizer.NONE;
            Alphabet alphabet = Alphabet.of(data);
            int merges = rng.nextInt(60);
            BpeTokenizer fast = BpeTrainer.train(data, merges, alphabet, pre);
            int[][] naive = BpeReference.trainMerges(data, merges, alphabet, pre);
            assertArrayEquals(naive, fast.merges(), "merges, trial " + trial);

            byte[] other = trial % 3 == 2 ? WordSalad.generate(800, 1000 + trial) : runs(rng, 400);
            if (alphabetCovers(alphabet, other)) {
                assertArrayEquals(BpeReference.encode(other, alphabet, naive, pre), fast.encode(other), "encode, trial " + trial);
            }
            assertArrayEquals(BpeReference.encode(data, alphabet, naive, pre), fast.encode(data), "train stream, trial " + trial);
        }
    }

    @Test
    void longSingleStreamMatchesTheNaiveReference() {
        byte[] data = org.tokenlab.theory.markov.MarkovSource.switching(4, 0.1, 0.1).generate(30_000, 9);
        Alphabet binary = Alphabet.ofValues(0, 1);
        BpeTokenizer fast = BpeTrainer.trainToVocab(data, 128, binary, Pretokenizer.NONE);
        int[][] naive = BpeReference.trainMerges(data, 126, binary, Pretokenizer.NONE);
        assertArrayEquals(naive, fast.merges());
        assertArrayEquals(BpeReference.encode(data, binary, naive, Pretokenizer.NONE), fast.encode(data));
        assertArrayEquals(BpeReference.trainMerges(data, 40, binary, Pretokenizer.NONE), fast.truncated(40).merges());
    }

    private static boolean alphabetCovers(Alphabet a, byte[] data) {
        for (byte b : data) {
            if (a.idOf(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void roundTripOnRandomBytesWithByteFallback() {
        SplittableRandom rng = new SplittableRandom(1);
        byte[] train = WordSalad.generate(100_000, 7);
        for (Pretokenizer pre : Pretokenizer.values()) {
            BpeTokenizer bpe = BpeTrainer.trainToVocab(train, 512, Alphabet.allBytes(), pre);
            assertEquals(512, bpe.vocabSize());
            for (int trial = 0; trial < 20; trial++) {
                byte[] x = randomBytes(rng, rng.nextInt(2000), 256);
                assertArrayEquals(x, bpe.decode(bpe.encode(x)));
                GreedyTokenizer greedy = GreedyTokenizer.overBpe(bpe);
                assertArrayEquals(x, greedy.decode(greedy.encode(x)));
            }
            byte[] text = WordSalad.generate(20_000, 8);
            int[] tokens = bpe.encode(text);
            assertArrayEquals(text, bpe.decode(tokens));
            assertTrue(tokens.length < text.length / 2, "BPE-512 should compress English-like text: " + tokens.length);
        }
    }

    @Test
    void trainingIsDeterministic() {
        byte[] train = WordSalad.generate(50_000, 3);
        BpeTokenizer a = BpeTrainer.train(train, 300, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
        BpeTokenizer b = BpeTrainer.train(train.clone(), 300, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
        assertArrayEquals(a.merges(), b.merges());
        assertEquals(BpeJson.toJson(a), BpeJson.toJson(b));
    }

    @Test
    void jsonSaveLoadRoundTrip(@TempDir Path dir) throws Exception {
        byte[] train = WordSalad.generate(30_000, 4);
        BpeTokenizer bpe = BpeTrainer.train(train, 200, Alphabet.of(train), Pretokenizer.WHITESPACE);
        Path file = dir.resolve("sub/bpe.json");
        BpeJson.save(bpe, file);
        BpeTokenizer loaded = BpeJson.load(file);
        assertArrayEquals(bpe.merges(), loaded.merges());
        assertEquals(bpe.alphabet(), loaded.alphabet());
        assertEquals(bpe.pretokenizer(), loaded.pretokenizer());
        assertArrayEquals(bpe.encode(train), loaded.encode(train));
        assertEquals(BpeJson.toJson(bpe), Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void malformedFilesAreRejectedNamingFileAndField(@TempDir Path dir) throws Exception {
        String ok = "{\"format\":\"tokenlab-bpe\",\"version\":1,\"pretokenizer\":\"none\",\"alphabet\":[48,49],\"merges\":[[0,1],[2,2]]}";
        assertEquals(4, BpeJson.parse(ok, "ok.json").vocabSize());
        String[][] cases = {
            {"{", "not valid JSON"},
            {"[]", "(root)"},
            {ok.replace("tokenlab-bpe", "other"), "format"},
            {ok.replace("\"version\":1", "\"version\":2"), "version"},
            {ok.replace("\"none\"", "\"words\""), "pretokenizer"},
            {ok.replace("[48,49]", "[49,48]"), "alphabet[1]"},
            {ok.replace("[48,49]", "[48,256]"), "alphabet[1]"},
            {ok.replace("[48,49]", "[]"), "alphabet"},
            {ok.replace("[[0,1],[2,2]]", "[[0,1],[2,3]]"), "merges[1][1]"},
            {ok.replace("[[0,1],[2,2]]", "[[0,1],[0,1]]"), "merges[1]"},
            {ok.replace("[[0,1],[2,2]]", "[[0,-1]]"), "merges[0][1]"},
            {ok.replace("[[0,1],[2,2]]", "[[0,1,2]]"), "merges[0]"},
            {ok.replace(",\"merges\":[[0,1],[2,2]]", ""), "merges"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path f = dir.resolve("bad" + i + ".json");
            Files.writeString(f, cases[i][0]);
            var e = assertThrows(IllegalArgumentException.class, () -> BpeJson.load(f), cases[i][0]);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(cases[i][1]), "expected field " + cases[i][1] + " in: " + e.getMessage());
        }
    }

    @Test
    void bytesOutsideASmallAlphabetAreNamed() {
        byte[] train = {0, 1, 1, 0, 1};
        BpeTokenizer bpe = BpeTrainer.train(train, 2, Alphabet.of(train), Pretokenizer.NONE);
        var e = assertThrows(IllegalArgumentException.class, () -> bpe.encode(new byte[] {0, 1, 2}));
        assertTrue(e.getMessage().contains("0x02") && e.getMessage().contains("position 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bpe.decode(new int[] {0, bpe.vocabSize()}));
    }

    @Test
    void trainingStopsWhenNoPairIsLeft() {
        byte[] train = {5, 6};
        BpeTokenizer bpe = BpeTrainer.train(train, 10, Alphabet.of(train), Pretokenizer.NONE);
        assertEquals(1, bpe.mergeCount());
        assertArrayEquals(new int[] {2}, bpe.encode(train));
    }
}
