package org.tokenlab.theory.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RangeCoderTest {

    /**
     * The stated bound: bits ≤ −log₂ p̂(x) + 1 + n·2^(β−P+1)/ln 2, plus 1e-6 for the floating sum of −log₂ p̂.
     */
    private static double bound(double idealBits, int n, int precision) {
        return idealBits + 1 + n * Math.pow(2, precision - RangeEncoder.PRECISION_BITS + 1) / Math.log(2) + 1e-6;
    }

    @Test
    void roundTripAndLengthBoundOnRandomModels() {
        SplittableRandom rng = new SplittableRandom(20260101L);
        for (int trial = 0; trial < 300; trial++) {
            int precision = trial % 5 == 0 ? 1 + rng.nextInt(FrequencyTable.MAX_PRECISION) : FrequencyTable.DEFAULT_PRECISION;
            int alphabet = 1 + rng.nextInt(Math.min(300, 1 << precision));
            ProbabilityModel model = RandomModels.firstOrder(alphabet, precision, rng);
            int n = rng.nextInt(2000);
            double surprise = new double[] {0, 0.01, 0.5, 1}[trial % 4];
            int[] x = RandomModels.sample(model, n, surprise, rng);

            BitBuffer code = ArithmeticCoding.encode(model, x);
            assertArrayEquals(x, ArithmeticCoding.decode(model, code, n), "trial " + trial);
            double ideal = model.idealBits(x);
            assertTrue(code.length() <= bound(ideal, n, precision),
                    "trial " + trial + ": " + code.length() + " bits > bound " + bound(ideal, n, precision));
        }
    }

    @Test
    void predictedLengthsMatchTheFinishedCode() {
        SplittableRandom rng = new SplittableRandom(99);
        for (int trial = 0; trial < 200; trial++) {
            ProbabilityModel model = RandomModels.firstOrder(2 + rng.nextInt(40), 14, rng);
            int n = rng.nextInt(200);
            int[] x = RandomModels.sample(model, n, 0.2, rng);
            BitBuffer out = new BitBuffer();
            out.appendBits(0b101, 3); // the encoder may start mid-buffer
            RangeEncoder e = new RangeEncoder(out);
            model.reset();
            for (int i = 0; i < n; i++) {
                FrequencyTable t = model.table();
                long predicted = e.bitsIfFinishedAfter(t, x[i]);
                e.encode(t, x[i]);
                model.update(x[i]);
                assertEquals(predicted, e.bitsIfFinished());
            }
            long predicted = e.bitsIfFinished();
            assertEquals(predicted, e.finish());
            assertEquals(3 + predicted, out.length());
            assertTrue(predicted == 0 || out.get(out.length() - 1) == 1, "the code ends with its last 1 bit");
            assertArrayEquals(x, ArithmeticCoding.decode(model, out.prefix(out.length()).suffixFrom(3), n));
        }
    }

    @Test
    void closedFormFinalPointMatchesTheSearch() {
        SplittableRandom rng = new SplittableRandom(5);
        long one = 1L << RangeEncoder.PRECISION_BITS;
        for (int i = 0; i < 200_000; i++) {
            long range = 1 + (i % 3 == 0 ? rng.nextLong(one) : (one >>> 1) + rng.nextLong(one >>> 1));
            long low = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rng.nextLong(64);
                case 2 -> one - 1 - rng.nextLong(64);
                default -> rng.nextLong(one);
            };
            assertEquals(RangeEncoder.finalPointBitsBySearch(low, range), RangeEncoder.finalPointBits(low, range),
                    "low " + low + " range " + range);
        }
    }

    @Test
    void floorProbabilitySymbolsRoundTrip() {
        // Every symbol is the one at the floor 2^-β: the most expensive input, 15 bits per symbol.
        double[] p = new double[256];
        p[0] = 1;
        FrequencyTable t = FrequencyTable.quantize(p, 14);
        assertEquals(1, t.frequency(255));
        ProbabilityModel model = new StaticModel(t);
        int[] x = new int[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + i % 255;
        }
        BitBuffer code = ArithmeticCoding.encode(model, x);
        assertArrayEquals(x, ArithmeticCoding.decode(model, code, x.length));
        assertTrue(code.length() <= bound(14.0 * x.length, x.length, 14));
    }

    @Test
    void certainSymbolsCostAlmostNothing() {
        double[] p = {1, 0};
        ProbabilityModel model = new StaticModel(FrequencyTable.quantize(p, 14));
        int[] x = new int[10000];
        BitBuffer code = ArithmeticCoding.encode(model, x);
        assertArrayEquals(x, ArithmeticCoding.decode(model, code, x.length));
        // −log₂(16383/16384) per symbol ≈ 8.8e-5 bits: about 0.9 bits for 10^4 symbols, plus the final bit.
        assertTrue(code.length() <= 2, "bits: " + code.length());
    }

    @Test
    void emptyInputGivesEmptyCode() {
        ProbabilityModel model = new StaticModel(FrequencyTable.uniform(7, 14));
        assertEquals(0, ArithmeticCoding.encode(model, new int[0]).length());
        assertEquals(0, ArithmeticCoding.decode(model, new BitBuffer(), 0).length);
    }

    @Test
    void truncatedAndRandomBitsTerminate() {
        SplittableRandom rng = new SplittableRandom(7);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int decodedCleanly = 0;
            int rejected = 0;
            for (int trial = 0; trial < 200; trial++) {
                ProbabilityModel model = RandomModels.firstOrder(2 + rng.nextInt(256), 14, rng);
                int n = 1 + rng.nextInt(500);
                int[] x = RandomModels.sample(model, n, 0.1, rng);
                BitBuffer code = ArithmeticCoding.encode(model, x);
                BitBuffer bad = trial % 2 == 0 ? code.prefix(code.length() / 2) : randomBits(rng, code.length());
                try {
                    int[] y = ArithmeticCoding.decode(model, bad, n);
                    assertEquals(n, y.length);
                    decodedCleanly++;
                } catch (RangeDecoder.CorruptCodeException e) {
                    rejected++;
                }
            }
            assertEquals(200, decodedCleanly + rejected);
        });
    }

    @Test
    void encoderRejectsBadSymbols() {
        RangeEncoder e = new RangeEncoder(new BitBuffer());
        FrequencyTable t = FrequencyTable.uniform(4, 14);
        assertThrows(IllegalArgumentException.class, () -> e.encode(t, 4));
        assertThrows(IllegalArgumentException.class, () -> e.encode(t, -1));
        e.finish();
        assertThrows(IllegalStateException.class, () -> e.encode(t, 0));
    }

    static BitBuffer randomBits(SplittableRandom rng, long n) {
        BitBuffer b = new BitBuffer();
        for (long i = 0; i < n; i++) {
            b.append(rng.nextInt(2));
        }
        return b;
    }
}
