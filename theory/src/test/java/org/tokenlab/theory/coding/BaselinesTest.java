package org.tokenlab.theory.coding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void acBitsPerByteWithinOnePercentOfModelCrossEntropy() {
        byte[] train = EnglishLikeTextForTests.text(200_000, 1);
        byte[] valid = EnglishLikeTextForTests.text(4096 * 8, 2);
        NGramByteModel m1 = NGramByteModel.fit(train, 14);
        double ideal = 0;
        long bits = 0;
        for (int off = 0; off < valid.length; off += 4096) { // AC over 4096-byte chunks (papers.md §3.3)
            byte[] chunk = Arrays.copyOfRange(valid, off, off + 4096);
            BitBuffer code = ArithmeticCoding.encodeBytes(m1, chunk);
            assertArrayEquals(chunk, ArithmeticCoding.decodeBytes(m1, code, chunk.length));
            ideal += m1.idealBits(Symbols.fromBytes(chunk));
            bits += code.length();
        }
        assertTrue(Math.abs(bits - ideal) <= 0.01 * ideal, bits + " bits vs model " + ideal);
    }

    @Test
    void staticAcCompressesLessThanNGramAc() {
        byte[] train = EnglishLikeTextForTests.text(100_000, 1);
        byte[] valid = EnglishLikeTextForTests.text(4096, 2);
        long stat = ArithmeticCoding.encodeBytes(StaticModel.fitBytes(train, 14), valid).length();
        long ngram = ArithmeticCoding.encodeBytes(NGramByteModel.fit(train, 14), valid).length();
        assertTrue(ngram < stat, ngram + " vs " + stat);
    }

    /** papers.md E2 on word salad: ratio(EqualInfo16) < ratio(EqualInfo32) < ratio(EqualInfo64) < ratio(AC); StaticAC < AC. */
    @Test
    void compressionRatiosAreOrdered() {
        byte[] train = EnglishLikeTextForTests.text(200_000, 1);
        byte[] chunk = EnglishLikeTextForTests.text(4096, 5);
        NGramByteModel m1 = NGramByteModel.fit(train, 14);
        double ac = Compressors.arithmetic(m1, chunk, 8).stats().bytesPerToken();
        double stat = Compressors.arithmetic(StaticModel.fitBytes(train, 14), chunk, 8).stats().bytesPerToken();
        double e16 = Compressors.equalInfo(m1, chunk, 16, 8).stats().bytesPerToken();
        double e32 = Compressors.equalInfo(m1, chunk, 32, 8).stats().bytesPerToken();
        double e64 = Compressors.equalInfo(m1, chunk, 64, 8).stats().bytesPerToken();
        double gzip = Compressors.gzip(chunk, 8).stats().bytesPerToken();
        System.out.printf("bytes/token (v=256): AC %.2f, StaticAC %.2f, EqualInfo16 %.2f, 32 %.2f, 64 %.2f, GZip %.2f, Bytes %.2f%n",
                ac, stat, e16, e32, e64, gzip, Compressors.bytes(chunk, 8).stats().bytesPerToken());
        assertTrue(e16 < e32 && e32 < e64 && e64 < ac, e16 + " " + e32 + " " + e64 + " " + ac);
        assertTrue(stat < ac);
        assertEquals(2.0, Compressors.bytes(chunk, 16).stats().bytesPerToken(), 1e-12);
    }

    @Test
    void deflateRoundTripAndBoundedInflate() {
        byte[] data = EnglishLikeTextForTests.text(50_000, 3);
        byte[] z = DeflateBaseline.compress(data);
        assertEquals(0x78, z[0] & 0xFF, "zlib header");
        assertArrayEquals(data, DeflateBaseline.decompress(z, data.length));
        assertThrows(IllegalArgumentException.class, () -> DeflateBaseline.decompress(z, data.length - 1));
        assertThrows(IllegalArgumentException.class, () -> DeflateBaseline.decompress(z, data.length + 1));
        assertThrows(IllegalArgumentException.class,
                () -> DeflateBaseline.decompress(Arrays.copyOf(z, z.length / 2), data.length));
        byte[] junk = new byte[100];
        new SplittableRandom(1).nextBytes(junk);
        assertThrows(IllegalArgumentException.class, () -> DeflateBaseline.decompress(junk, 1000));
    }

    @Test
    void bitTokensRoundTripAndStats() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int n : new int[] {0, 1, 7, 8, 9, 16, 17, 1000}) {
            BitBuffer b = RangeCoderTest.randomBits(rng, n);
            for (int tokenBits : new int[] {8, 16}) {
                int[] tokens = BitTokens.toTokens(b, tokenBits);
                assertEquals((n + tokenBits - 1) / tokenBits, tokens.length);
                assertEquals(b, BitTokens.fromTokens(tokens, tokenBits, n));
            }
        }
        CompressionStats s = new CompressionStats(1000, 8 * 250 + 3, 8);
        assertEquals(251, s.tokens());
        assertEquals(1000 / 251.0, s.bytesPerToken(), 1e-12);
        assertEquals(2.003, s.bitsPerByte(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BitTokens.fromTokens(new int[] {256}, 8, 8));
    }
}
