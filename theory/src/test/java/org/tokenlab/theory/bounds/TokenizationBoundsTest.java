package org.tokenlab.theory.bounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.theory.markov.MarkovSource;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.CharTokenizer;

class TokenizationBoundsTest {

    /** papers.md T2: k = 4, p = q = 0.1, BPE fitted on 10^6 training characters, measured on 10^5. */
    @Test
    void unigramOverBpeIsNonIncreasingAndClosesSixtyPercentAtD128() {
        MarkovSource src = MarkovSource.switching(4, 0.1, 0.1);
        byte[] train = src.generate(1_000_000, 1);
        byte[] test = src.generate(100_000, 2);
        List<TokenizationBounds.Point> points = TokenizationBounds.sweep(src, train, test,
                TokenizationBounds.Family.BPE, new int[] {16, 64, 128}, UnigramTokenModel.DEFAULT_LAMBDA);
        System.out.println("T2 (BPE, 1e6 train / 1e5 test chars): " + points);
        assertTrue(points.get(1).lossPerChar() <= points.get(0).lossPerChar());
        assertTrue(points.get(2).lossPerChar() <= points.get(1).lossPerChar());
        assertTrue(points.get(2).closure() >= 0.6, "closure at d = 128: " + points.get(2).closure());
    }

    @Test
    void characterUnigramHasClosureNearZero() {
        MarkovSource src = MarkovSource.switching(2, 0.2, 0.3);
        byte[] train = src.generate(200_000, 3);
        byte[] test = src.generate(200_000, 4);
        CharTokenizer chars = new CharTokenizer(Alphabet.ofValues(0, 1));
        double loss = TokenizationBounds.unigramLossPerChar(chars, train, test, 0.5);
        double closure = TokenizationBounds.closure(src.unigramEntropy(), src.entropyRate(), loss);
        // The fitted character unigram is the best character-unigram model: closure ≈ 0 up to noise
        // (π₁-frequency noise ≈ 0.0015 nats here, over a gap of 0.128 nats).
        assertEquals(0.0, closure, 0.05);
    }

    @Test
    void lzwAndGreedyBpeSweepsRun() {
        MarkovSource src = MarkovSource.switching(4, 0.1, 0.1);
        byte[] train = src.generate(100_000, 5);
        byte[] test = src.generate(50_000, 6);
        List<TokenizationBounds.Point> lzw = TokenizationBounds.sweep(src, train, test,
                TokenizationBounds.Family.LZW, new int[] {64, 256}, 0.5);
        List<TokenizationBounds.Point> greedy = TokenizationBounds.sweep(src, train, test,
                TokenizationBounds.Family.GREEDY_BPE, new int[] {64, 256}, 0.5);
        for (var p : List.of(lzw.get(0), lzw.get(1), greedy.get(0), greedy.get(1))) {
            assertTrue(p.lossPerChar() > src.entropyRate() - 0.02, p.toString()); // cannot beat H∞ beyond noise
            assertTrue(p.charsPerToken() > 1, p.toString());
        }
        assertTrue(lzw.get(1).lossPerChar() < lzw.get(0).lossPerChar());
    }

    @Test
    void unigramModelSmoothingAndErrors() {
        UnigramTokenModel q = UnigramTokenModel.fit(new int[] {0, 0, 1}, 3, 0.5);
        assertEquals(Math.log(2.5 / 4.5), q.logProb(0), 1e-12);
        assertEquals(Math.log(0.5 / 4.5), q.logProb(2), 1e-12);
        assertEquals(-2 * Math.log(2.5 / 4.5) - Math.log(1.5 / 4.5), q.totalNats(new int[] {0, 0, 1}), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, UnigramTokenModel.fit(new int[] {0}, 2, 0).logProb(1));
        assertThrows(IllegalArgumentException.class, () -> UnigramTokenModel.fit(new int[] {3}, 3, 0.5));
        assertThrows(IllegalArgumentException.class, () -> UnigramTokenModel.fit(new int[0], 3, 0));
        assertThrows(IllegalArgumentException.class, () -> TokenizationBounds.closure(0.5, 0.5, 0.4));
    }
}
