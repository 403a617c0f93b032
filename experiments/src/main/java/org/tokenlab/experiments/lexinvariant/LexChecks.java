package org.tokenlab.experiments.lexinvariant;

import static org.tokenlab.experiments.runner.Check.fmt;

import org.tokenlab.experiments.runner.Check;

/**
 * The pre-registered checks L1–L6 of papers.md §2.4, as pure functions of measured numbers (thresholds
 * fixed there, never tuned). Losses are in nats, accuracies in [0, 1], gaps are G = exp(Δℓ) − 1.
 */
final class LexChecks {
    private LexChecks() {
    }

    /** L1: lexinvariant ciphered/plain loss within ±1 %; standard ciphered ≥ 1.5 × plain. */
    static Check l1(double lexPlain, double lexCipher, double stdPlain, double stdCipher) {
        return Check.all("L1", "invariance: the lexinvariant LM's loss on ciphered validation text is within ±1 % of its "
                        + "plain loss; the standard LM's ciphered loss is ≥ 1.5 × its plain loss",
                Check.within("L1.a", "lexinvariant ciphered / plain loss", lexCipher / lexPlain, 1.0, 0.01),
                Check.atLeast("L1.b", "standard ciphered / plain loss", stdCipher / stdPlain, 1.5));
    }

    /** L2: G([97–128]) ≤ 0.5·G([9–16]); ℓ_lex decreasing over buckets (Spearman ρ ≤ −0.9). */
    static Check l2(double gap9to16, double gap97to128, double[] lexBucketLoss) {
        double[] idx = PositionMetrics.positions(lexBucketLoss.length);
        double rho = PositionMetrics.spearman(idx, lexBucketLoss);
        boolean shrinks = !Double.isNaN(gap9to16) && !Double.isNaN(gap97to128) && gap97to128 <= 0.5 * gap9to16;
        return Check.all("L2", "the perplexity gap shrinks with context: G(97–128) ≤ 0.5 × G(9–16), and the lexinvariant "
                        + "loss decreases across position buckets (Spearman ρ ≤ −0.9)",
                Check.that("L2.a", "G(97–128) ≤ 0.5 × G(9–16)", shrinks,
                        "G(97–128) = " + fmt(gap97to128) + ", G(9–16) = " + fmt(gap9to16), "≤ " + fmt(0.5 * gap9to16)),
                Check.atMost("L2.b", "Spearman ρ(bucket, ℓ_lex)", rho, -0.9));
    }

    /** L3: G(449–512) ≤ 0.25·G(9–16) and G(449–512) ≤ 1. */
    static Check l3(double gap9to16, double gap449to512) {
        boolean shrinks = !Double.isNaN(gap9to16) && !Double.isNaN(gap449to512) && gap449to512 <= 0.25 * gap9to16;
        return Check.all("L3", "at T = 512 the gap at positions 449–512 is ≤ 25 % of the gap at 9–16, and ppl_lex ≤ 2 × ppl_std "
                        + "there (G ≤ 1)",
                Check.that("L3.a", "G(449–512) ≤ 0.25 × G(9–16)", shrinks,
                        "G(449–512) = " + fmt(gap449to512) + ", G(9–16) = " + fmt(gap9to16), "≤ " + fmt(0.25 * gap9to16)),
                Check.atMost("L3.b", "G(449–512)", gap449to512, 1.0));
    }

    /** L4: probe accuracy at 385–512 ≥ 0.9, ≥ 0.3 above 1–64, and ≥ the frequency-rank baseline there. */
    static Check l4(double probe1to64, double probe385to512, double baseline385to512) {
        return Check.all("L4", "a linear probe on the lexinvariant LM's hidden state deciphers ciphered text: accuracy at "
                        + "positions 385–512 ≥ 90 %, ≥ 30 points above positions 1–64, and ≥ the frequency-rank baseline",
                Check.atLeast("L4.a", "probe accuracy at 385–512", probe385to512, 0.9),
                Check.atLeast("L4.b", "probe accuracy 385–512 minus 1–64", probe385to512 - probe1to64, 0.3),
                Check.atLeast("L4.c", "probe minus frequency-rank baseline at 385–512", probe385to512 - baseline385to512, 0.0));
    }

    /**
     * L5: acc_lex(B) ≥ 2·acc_std(B) and acc_lex(A) ≥ acc_std(A) − 5 points. "Twice as accurate" is a ratio
     * claim: with acc_lex(B) = 0 there is nothing to be twice of, so 0 ≥ 2·0 does not count as support.
     */
    static Check l5(double lexA, double lexB, double stdA, double stdB) {
        boolean twice = !Double.isNaN(lexB) && !Double.isNaN(stdB) && lexB > 0 && lexB >= 2 * stdB;
        return Check.all("L5", "synthetic in-context tasks: on the unseen symbol pool B the lexinvariant LM is ≥ 2 × as "
                        + "accurate as the standard LM, and on the training pool A it is within 5 points of it or better",
                Check.that("L5.a", "acc_lex(B) ≥ 2 × acc_std(B)", twice,
                        "acc_lex(B) = " + fmt(lexB) + ", acc_std(B) = " + fmt(stdB)
                                + (lexB == 0 && stdB == 0 ? " (both zero: a ratio claim without support)" : ""), "≥ " + fmt(2 * stdB) + " and > 0"),
                Check.atLeast("L5.b", "acc_lex(A) − acc_std(A)", lexA - stdA, -0.05));
    }

    /** L6 (exploratory): the semi-lexinvariant LM's perplexity and task accuracies. */
    static Check l6(double semiPpl, double stdPpl, double semiA, double semiB) {
        return Check.reported("L6", "semi-lexinvariant standard LM (each token type swapped for a random vector with p = 0.2 "
                        + "per training sequence): validation perplexity and synthetic-task accuracy",
                "ppl_semi = " + fmt(semiPpl) + " (ppl_std = " + fmt(stdPpl) + "); tasks acc(A) = " + fmt(semiA)
                        + ", acc(B) = " + fmt(semiB));
    }
}
