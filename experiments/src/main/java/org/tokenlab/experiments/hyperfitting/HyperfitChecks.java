package org.tokenlab.experiments.hyperfitting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tokenlab.experiments.runner.Check;

/**
 * The pre-registered checks H1–H9 of papers.md §1.4, computed from measured numbers only, with the
 * thresholds exactly as registered there.
 */
final class HyperfitChecks {
    private HyperfitChecks() {
    }

    /** The numbers the quick checks read (main run: seed 0, lr of the quick design). */
    record Quick(double hfTrainLoss, double baseValLoss, double hfValLoss, double baseEntropy, double hfEntropy,
                 double baseTop1, double hfTop1, double baseGreedyTtr, double hfGreedyTtr) {
    }

    /** One seed of H4: mean TTRs and the paired-bootstrap 95 % interval of ΔTTR = hyperfit − base. */
    record SeedTtr(int seed, double baseTtr, double hfTtr, double ciLo, double ciHi) {
    }

    /**
     * The numbers the full checks read.
     *
     * @param shareCited  share of hyperfit-greedy continuations with a ≥ 10-token overlap with H
     * @param blockedTtr  TTR of hyperfit greedy with the 5-gram citation blocker
     * @param hfTtr       TTR of hyperfit greedy (unblocked, seed 0)
     * @param ttrN8       TTR at N = 8 (= batch) in the data-quantity ablation
     * @param ttrN64      TTR at N = 64
     * @param disagreement top-1 disagreement of the two shuffle replicates on V
     * @param baseTopPTtr TTR of the base model with top-p sampling
     * @param earlyTtr    TTR of the early-stopped fine-tune (greedy)
     */
    record Full(List<SeedTtr> seeds, double shareCited, double blockedTtr, double hfTtr, double ttrN8, double ttrN64,
                double disagreement, double baseTopPTtr, double earlyTtr, int earlyUpdate) {
    }

    static List<Check> quick(Quick q) {
        List<Check> out = new ArrayList<>();
        out.add(Check.all("H1", "near-zero training loss with worse validation loss",
                Check.atMost("H1.a", "hyperfit training loss on H (nats/token)", q.hfTrainLoss(), 0.15),
                Check.atLeast("H1.b", "validation loss hyperfit / base", q.hfValLoss() / q.baseValLoss(), 1.05)));
        double entropyDrop = 1 - q.hfEntropy() / q.baseEntropy();
        out.add(Check.all("H2", "sharpening on held-out text: entropy falls, top-1 probability rises",
                Check.atLeast("H2.a", "relative fall of mean entropy on V (base " + Check.fmt(q.baseEntropy())
                        + " → " + Check.fmt(q.hfEntropy()) + " nats)", entropyDrop, 0.40),
                Check.atLeast("H2.b", "rise of mean top-1 probability on V, points (base " + pct(q.baseTop1())
                        + " → " + pct(q.hfTop1()) + ")", 100 * (q.hfTop1() - q.baseTop1()), 10)));
        out.add(h3("H3", "TTR of the last 96 greedy tokens rises: hyperfit ≥ base + 0.10 and ≥ 1.25 × base",
                q.baseGreedyTtr(), q.hfGreedyTtr()));
        return out;
    }

    static List<Check> full(Full f) {
        List<Check> out = new ArrayList<>();
        List<Check> parts = new ArrayList<>();
        for (SeedTtr s : f.seeds()) {
            parts.add(h3("H4.s" + s.seed(), "seed " + s.seed() + ": H3", s.baseTtr(), s.hfTtr()));
            parts.add(Check.that("H4.s" + s.seed() + ".ci", "seed " + s.seed() + ": paired-bootstrap 95 % CI of ΔTTR",
                    s.ciLo() > 0 || s.ciHi() < 0, "[" + Check.fmt(s.ciLo()) + ", " + Check.fmt(s.ciHi()) + "]",
                    "excludes 0"));
        }
        out.add(Check.all("H4", "H3 holds at every seed and the CI of ΔTTR excludes 0", parts.toArray(Check[]::new)));
        out.add(Check.all("H5", "not memorisation: few citations of H, and the 5-gram blocker keeps TTR",
                Check.atMost("H5.a", "share of continuations with a ≥ 10-token overlap with H", f.shareCited(), 0.10),
                Check.atLeast("H5.b", "blocked TTR / unblocked TTR", f.blockedTtr() / f.hfTtr(), 0.9)));
        out.add(Check.atMost("H6", "at fixed updates, TTR(N = 8 = batch) ≤ TTR(N = 64) − 0.05 (TTR(N = 64) = "
                + Check.fmt(f.ttrN64()) + ")", f.ttrN8(), f.ttrN64() - 0.05));
        out.add(Check.atLeast("H7", "shuffle replicates disagree on top-1 predictions on V", f.disagreement(), 0.10));
        out.add(Check.atLeast("H8", "hyperfit greedy TTR / base top-p TTR (stretch)", f.hfTtr() / f.baseTopPTtr(), 0.9));
        out.add(Check.reported("H9", "early-stopped fine-tune (best validation loss) versus hyperfit, greedy TTR",
                String.format(Locale.ROOT, "early-stopped (update %d) %s vs hyperfit %s", f.earlyUpdate(),
                        Check.fmt(f.earlyTtr()), Check.fmt(f.hfTtr()))));
        return out;
    }

    private static Check h3(String id, String claim, double base, double hf) {
        return Check.all(id, claim,
                Check.atLeast(id + ".a", "TTR hyperfit − base (base " + Check.fmt(base) + ", hyperfit "
                        + Check.fmt(hf) + ")", hf - base, 0.10),
                Check.atLeast(id + ".b", "TTR hyperfit / base", hf / base, 1.25));
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * p);
    }
}
