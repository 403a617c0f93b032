package org.tokenlab.theory.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EqualInfoWindowsTest {

    @Test
    void windowsAreExactlyWBitsGreedyAndDecodeExactly() {
        SplittableRandom rng = new SplittableRandom(11);
        int lookaheadExact = 0;
        int trials = 120;
        for (int trial = 0; trial < trials; trial++) {
            int w = new int[] {15, 16, 24, 32, 64, 128}[trial % 6];
            ProbabilityModel model = RandomModels.firstOrder(2 + rng.nextInt(256), 14, rng);
            int n = rng.nextInt(3000);
            int[] x = RandomModels.sample(model, n, 0.05, rng);
            EqualInfoWindows.Encoded enc = EqualInfoWindows.encode(model, x, w);

            assertEquals((long) w * enc.windows(), enc.bits().length());
            assertEquals(n, enc.totalSymbols());
            assertArrayEquals(x, EqualInfoWindows.decode(model, enc), "trial " + trial);
            checkWindows(model, x, enc);
            if (Arrays.equals(x, decodeLookaheadOrNull(model, enc.bits(), enc.windowBits(), n))) {
                lookaheadExact++;
            }
        }
        // Count-free decoding is allowed to fail (documented ambiguity); report, do not hide it.
        System.out.printf("EqualInfo count-free (look-ahead) decoding exact on %d of %d random sequences%n", lookaheadExact, trials);
    }

    /**
     * Each window: its shortest code fits in W bits, its W bits are what finishAt(W) writes for its own
     * interval, and (unless last) adding the next symbol would not fit.
     */
    private static void checkWindows(ProbabilityModel model, int[] x, EqualInfoWindows.Encoded enc) {
        int start = 0;
        for (int w = 0; w < enc.windows(); w++) {
            int count = enc.windowSymbolCounts()[w];
            int[] window = Arrays.copyOfRange(x, start, start + count);
            assertTrue(ArithmeticCoding.encode(model, window).length() <= enc.windowBits());
            BitBuffer expected = new BitBuffer();
            RangeEncoder e = new RangeEncoder(expected);
            model.reset();
            for (int s : window) {
                e.encode(model.table(), s);
                model.update(s);
            }
            assertEquals(enc.windowBits(), e.finishAt(enc.windowBits()));
            assertEquals(enc.windowBits(), expected.length());
            for (long b = 0; b < enc.windowBits(); b++) {
                assertEquals(expected.get(b), enc.bits().get((long) w * enc.windowBits() + b), "window " + w + " bit " + b);
            }
            if (start + count < x.length) {
                int[] plusOne = Arrays.copyOfRange(x, start, start + count + 1);
                assertTrue(ArithmeticCoding.encode(model, plusOne).length() > enc.windowBits(), "window " + w + " not greedy");
            }
            start += count;
        }
        assertEquals(x.length, start);
    }

    private static int[] decodeLookaheadOrNull(ProbabilityModel model, BitBuffer bits, int w, int n) {
        return EqualInfoWindows.decodeLookahead(model, bits, w, n); // null when the rule cannot split the bits
    }

    @Test
    void textWithNGramModelRoundTrips() {
        byte[] train = EnglishLikeTextForTests.text(60_000, 1);
        byte[] valid = EnglishLikeTextForTests.text(8_000, 2);
        NGramByteModel m1 = NGramByteModel.fit(train, 14);
        for (int w : new int[] {16, 32, 64}) {
            int windows = 0;
            int endsFound = 0;
            for (int off = 0; off < valid.length; off += 512) { // 16 sequences of 512 bytes
                int[] x = Symbols.fromBytes(Arrays.copyOfRange(valid, off, off + 512));
                EqualInfoWindows.Encoded enc = EqualInfoWindows.encode(m1, x, w);
                assertArrayEquals(x, EqualInfoWindows.decode(m1, enc));
                // Look-ahead (count-free) rule, one window at a time: does it find this window's end?
                int start = 0;
                for (int k = 0; k + 1 < enc.windows(); k++) {
                    int n = enc.windowSymbolCounts()[k] + enc.windowSymbolCounts()[k + 1];
                    BitBuffer pair = enc.bits().prefix((long) (k + 2) * w).suffixFrom((long) k * w);
                    windows++;
                    endsFound += Arrays.equals(Arrays.copyOfRange(x, start, start + n), decodeLookaheadOrNull(m1, pair, w, n)) ? 1 : 0;
                    start += enc.windowSymbolCounts()[k];
                }
            }
            System.out.printf("EqualInfo[%d] on text: the count-free look-ahead rule finds the end of %d of %d windows%n", w, endsFound, windows);
        }
    }

    /**
     * Why the count-free decoder misses windows (an inherent property of the W-bit end, not a decoder
     * bug): the W bits name one point, and a window's own symbols and a strict prefix of them can have
     * the same W-bit code, so without a count the end is a guess. Found here on ordinary text.
     */
    @Test
    void aWindowAndAStrictPrefixOfItCanShareTheirWBits() {
        byte[] train = EnglishLikeTextForTests.text(60_000, 1);
        NGramByteModel m1 = NGramByteModel.fit(train, 14);
        int[] x = Symbols.fromBytes(EnglishLikeTextForTests.text(4_000, 2));
        int w = 16;
        EqualInfoWindows.Encoded enc = EqualInfoWindows.encode(m1, x, w);
        int start = 0;
        int ambiguous = 0;
        for (int k = 0; k < enc.windows(); k++) {
            int count = enc.windowSymbolCounts()[k];
            BitBuffer window = enc.bits().prefix((long) (k + 1) * w).suffixFrom((long) k * w);
            for (int m = 1; m < count; m++) {
                EqualInfoWindows.Encoded prefix = EqualInfoWindows.encode(m1, Arrays.copyOfRange(x, start, start + m), w);
                assertEquals(1, prefix.windows(), "a prefix of a window fits one window");
                if (prefix.bits().equals(window)) {
                    ambiguous++;
                    break;
                }
            }
            start += count;
        }
        System.out.printf("EqualInfo[16]: %d of %d windows share their bits with a strict prefix%n", ambiguous, enc.windows());
        assertTrue(ambiguous > 0, "expected some windows whose W bits also code a strict prefix");
    }

    @Test
    void oneWindowAtATimeWritesWhatEncodeWrites() {
        byte[] train = EnglishLikeTextForTests.text(20_000, 1);
        NGramByteModel m1 = NGramByteModel.fit(train, 14);
        int[] x = Symbols.fromBytes(EnglishLikeTextForTests.text(500, 3));
        EqualInfoWindows.Encoded whole = EqualInfoWindows.encode(m1, x, 24);
        BitBuffer bits = new BitBuffer();
        int at = 0;
        for (int w = 0; w < whole.windows(); w++) {
            int count = EqualInfoWindows.encodeWindow(m1, x, at, 24, bits);
            assertEquals(whole.windowSymbolCounts()[w], count, "window " + w);
            assertEquals(24L * (w + 1), bits.length());
            at += count;
        }
        assertEquals(x.length, at);
        assertEquals(whole.bits(), bits);
        assertThrows(IllegalArgumentException.class, () -> EqualInfoWindows.encodeWindow(m1, x, x.length, 24, new BitBuffer()));
    }

    @Test
    void tooSmallWindowIsAnErrorNamingThePosition() {
        double[] p = {1, 0};
        ProbabilityModel model = new StaticModel(FrequencyTable.quantize(p, 14));
        var e = assertThrows(IllegalArgumentException.class, () -> EqualInfoWindows.encode(model, new int[] {0, 0, 1}, 8));
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
    }

    @Test
    void randomBitsWithCountsTerminate() {
        SplittableRandom rng = new SplittableRandom(5);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int trial = 0; trial < 100; trial++) {
                ProbabilityModel model = RandomModels.firstOrder(2 + rng.nextInt(100), 14, rng);
                int windows = 1 + rng.nextInt(20);
                int[] counts = new int[windows];
                Arrays.setAll(counts, i -> 1 + rng.nextInt(10));
                EqualInfoWindows.Encoded bad = new EqualInfoWindows.Encoded(RangeCoderTest.randomBits(rng, 16L * windows), 16, counts);
                try {
                    assertEquals(bad.totalSymbols(), EqualInfoWindows.decode(model, bad).length);
                } catch (RangeDecoder.CorruptCodeException expected) {
                    // a clean rejection is a valid outcome
                }
                int[] guess = EqualInfoWindows.decodeLookahead(model, bad.bits(), 16, (int) bad.totalSymbols());
                assertTrue(guess == null || guess.length == bad.totalSymbols());
            }
        });
    }

    @Test
    void malformedShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EqualInfoWindows.Encoded(new BitBuffer(), 16, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new EqualInfoWindows.Encoded(new BitBuffer(), 0, new int[0]));
        BitBuffer sixteen = new BitBuffer();
        sixteen.appendRepeated(0, 16);
        assertThrows(IllegalArgumentException.class, () -> new EqualInfoWindows.Encoded(sixteen, 16, new int[] {0}));
    }
}
