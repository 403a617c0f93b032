package org.tokenlab.theory.markov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkovSourceTest {

    private static void assertStationary(MarkovSource src) {
        double[] pi = src.stationary();
        double sum = 0;
        for (double p : pi) {
            assertTrue(p >= 0);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-12);
        double[] next = Stationary.step(src, pi);
        for (int s = 0; s < pi.length; s++) {
            assertEquals(pi[s], next[s], 1e-12, "fixed point at state " + s);
        }
    }

    @Test
    void stationaryIsAFixedPointSummingToOne() {
        assertStationary(MarkovSource.switching(1, 0.2, 0.3));
        assertStationary(MarkovSource.switching(4, 0.1, 0.1));
        assertStationary(MarkovSource.switching(8, 0.2, 0.3));
        for (long seed = 0; seed < 5; seed++) {
            assertStationary(MarkovSource.dirichlet(3, 2, 0.5, seed));
            assertStationary(MarkovSource.dirichlet(4, 3, 1.0, seed));
        }
        assertStationary(MarkovSource.dirichlet(4, 6, 1.0, 9)); // 4096 states: power iteration
        // first-order switching: π(0) = q / (p + q)
        assertEquals(0.3 / 0.5, MarkovSource.switching(1, 0.2, 0.3).stationary()[0], 1e-12);
    }

    @Test
    void switchingClosedFormMatchesTheGeneralEntropyRate() {
        double[][] cases = {{1, 0.1, 0.1}, {4, 0.1, 0.1}, {4, 0.2, 0.2}, {2, 0.2, 0.3}, {8, 0.1, 0.1}, {3, 0.05, 0.7}};
        for (double[] c : cases) {
            MarkovSource src = MarkovSource.switching((int) c[0], c[1], c[2]);
            assertEquals(Entropy.switchingRate(c[1], c[2]), src.entropyRate(), 1e-12);
            double pi0 = c[2] / (c[1] + c[2]);
            assertEquals(Entropy.binary(pi0), src.unigramEntropy(), 1e-12);
        }
        // papers.md §4.4: k = 4, p = q = 0.1 has H(π) = ln 2 = 0.693 and H∞ = 0.325
        MarkovSource src = MarkovSource.switching(4, 0.1, 0.1);
        assertEquals(Math.log(2), src.unigramEntropy(), 1e-12);
        assertEquals(0.325, src.entropyRate(), 5e-4);
    }

    /**
     * Tolerance for the empirical Bayes loss over n symbols: 5 standard deviations of the martingale
     * part (per-state variance of −ln P, which is uncorrelated across positions) plus 0.002 nats for the
     * autocorrelated fluctuation of the per-state entropy (zero when all rows have the same entropy, as
     * for p = q).
     */
    private static double bayesTolerance(MarkovSource src, int n) {
        double[] pi = src.stationary();
        double var = 0;
        for (int s = 0; s < pi.length; s++) {
            double[] row = src.nextDistribution(s);
            double h = Entropy.of(row);
            for (double p : row) {
                if (p > 0) {
                    var += pi[s] * p * Math.pow(-Math.log(p) - h, 2);
                }
            }
        }
        return 5 * Math.sqrt(var / n) + 0.002;
    }

    @Test
    void empiricalLossesOnTenToTheFiveSymbols() {
        int n = 100_000;
        for (double[] c : new double[][] {{4, 0.1, 0.1}, {2, 0.2, 0.3}, {8, 0.1, 0.1}}) {
            MarkovSource src = MarkovSource.switching((int) c[0], c[1], c[2]);
            byte[] x = src.generate(n, 12345);
            // unigram loss: exact ln 2 when p = q; otherwise π₁-frequency noise ≈ 0.001 (stated 0.005)
            assertEquals(src.unigramEntropy(), src.unigramLoss(x), 0.005, "unigram " + java.util.Arrays.toString(c));
            assertEquals(src.entropyRate(), src.bayesLoss(x), bayesTolerance(src, n), "Bayes " + java.util.Arrays.toString(c));
        }
        MarkovSource random = MarkovSource.dirichlet(3, 2, 1.0, 77);
        byte[] x = random.generate(n, 1);
        assertEquals(random.entropyRate(), random.bayesLoss(x), bayesTolerance(random, n) + 0.01);
    }

    @Test
    void checkT1AtTenToTheSixSymbols() {
        // papers.md T1: within 0.005 nats (σ ≈ 0.0007 here, so 0.005 is > 7σ)
        MarkovSource src = MarkovSource.switching(4, 0.1, 0.1);
        byte[] x = src.generate(1_000_000, 2026);
        assertEquals(src.unigramEntropy(), src.unigramLoss(x), 0.005);
        assertEquals(src.entropyRate(), src.bayesLoss(x), 0.005);
    }

    @Test
    void generationIsSeededAndStartsInStationarity() {
        MarkovSource src = MarkovSource.switching(4, 0.2, 0.3);
        assertArrayEquals(src.generate(1000, 5), src.generate(1000, 5));
        // first symbol over many seeds follows π₁(0) = 0.6 (binomial σ = 0.0049 for 10^4 draws)
        int zeros = 0;
        for (int seed = 0; seed < 10_000; seed++) {
            zeros += src.generate(1, seed)[0] == 0 ? 1 : 0;
        }
        assertEquals(0.6, zeros / 10_000.0, 0.025);
    }

    @Test
    void badKernelsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> MarkovSource.of(2, 1, new double[][] {{1, 0}, {0.5, -1}}));
        assertTrue(e.getMessage().contains("kernel[1][1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.of(2, 2, new double[][] {{1, 0}, {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.switching(4, 0, 0.5));
        // reducible: two absorbing states, no unique π
        MarkovSource reducible = MarkovSource.of(2, 1, new double[][] {{1, 0}, {0, 1}});
        assertThrows(IllegalStateException.class, reducible::stationary);
        assertThrows(IllegalArgumentException.class, () -> MarkovSource.switching(2, 0.1, 0.1).bayesLoss(new byte[] {0, 1, 2}));
    }
}
