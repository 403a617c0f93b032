package org.tokenlab.theory.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimpleTokenizersTest {

    @Test
    void bytesRoundTrip() {
        SplittableRandom rng = new SplittableRandom(2);
        ByteTokenizer t = new ByteTokenizer();
        for (int trial = 0; trial < 20; trial++) {
            byte[] x = BpeTest.randomBytes(rng, rng.nextInt(1000), 256);
            assertArrayEquals(x, t.decode(t.encode(x)));
        }
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {256}));
    }

    @Test
    void charsOverCorpusAlphabet() {
        byte[] corpus = "hello world".getBytes();
        CharTokenizer t = CharTokenizer.fromCorpus(corpus);
        assertEquals(8, t.vocabSize()); // " dehlorw"
        assertArrayEquals(corpus, t.decode(t.encode(corpus)));
        assertEquals(0, t.encode(" ".getBytes())[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> t.encode("hello!".getBytes()));
        assertTrue(e.getMessage().contains("0x21") && e.getMessage().contains("position 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Alphabet.ofValues(300));
        assertThrows(IllegalArgumentException.class, () -> Alphabet.of(new byte[0]));
    }

    @Test
    void lzwDictionaryHasExactlyDEntries() {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] train = BpeTest.runs(rng, 20_000);
        Alphabet binary = Alphabet.ofValues(0, 1);
        for (int d : new int[] {2, 3, 64, 256, 512}) {
            List<byte[]> dict = Lzw.dictionary(train, binary, d);
            assertEquals(d, dict.size());
            assertArrayEquals(new byte[] {0}, dict.get(0));
            assertArrayEquals(new byte[] {1}, dict.get(1));
            for (int i = 2; i < d; i++) { // every phrase is an earlier entry plus one symbol
                byte[] phrase = dict.get(i);
                byte[] stem = Arrays.copyOf(phrase, phrase.length - 1);
                assertTrue(dict.subList(0, i).stream().anyMatch(s -> Arrays.equals(s, stem)), "entry " + i);
            }
            GreedyTokenizer t = Lzw.tokenizer(train, binary, d);
            assertEquals(d, t.vocabSize());
            byte[] test = BpeTest.runs(rng, 5000);
            assertArrayEquals(test, t.decode(t.encode(test)));
        }
        // the classic example: "abababa" over {a, b} gives ab, ba, aba, ...
        List<byte[]> classic = Lzw.dictionary("abababab".getBytes(), Alphabet.ofValues('a', 'b'), 5);
        assertEquals("ab", new String(classic.get(2)));
        assertEquals("ba", new String(classic.get(3)));
        assertEquals("aba", new String(classic.get(4)));
        assertThrows(IllegalArgumentException.class, () -> Lzw.dictionary("ab".getBytes(), Alphabet.ofValues('a', 'b'), 10));
        assertThrows(IllegalArgumentException.class, () -> Lzw.dictionary("ab".getBytes(), Alphabet.ofValues('a', 'b'), 1));
    }

    @Test
    void lzwOverAllBytesRoundTripsRandomBytes() {
        SplittableRandom rng = new SplittableRandom(4);
        GreedyTokenizer t = Lzw.tokenizer(BpeTest.randomBytes(rng, 50_000, 256), Alphabet.allBytes(), 1024);
        for (int trial = 0; trial < 10; trial++) {
            byte[] x = BpeTest.randomBytes(rng, rng.nextInt(3000), 256);
            assertArrayEquals(x, t.decode(t.encode(x)));
        }
    }

    @Test
    void greedyTokenizerRejectsBadDictionaries() {
        assertThrows(IllegalArgumentException.class, () -> new GreedyTokenizer(List.of(new byte[0]), "x"));
        assertThrows(IllegalArgumentException.class, () -> new GreedyTokenizer(List.of(new byte[] {1}, new byte[] {1}), "x"));
        GreedyTokenizer t = new GreedyTokenizer(List.of(new byte[] {1}, new byte[] {1, 1}), "x");
        assertArrayEquals(new int[] {1, 0}, t.encode(new byte[] {1, 1, 1}));
        var e = assertThrows(IllegalArgumentException.class, () -> t.encode(new byte[] {1, 2}));
        assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    }
}
