package org.tokenlab.experiments.tokenization;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.tokenization.TokenizationExperiment.Point;
import org.tokenlab.experiments.tokenization.TokenizationExperiment.SourceResult;

/** Turns the tokenization measurements into checks (papers.md §4.6), tables and figures. */
final class TokenizationReport {
    private TokenizationReport() {
    }

    static Outcome outcome(Profile profile, int trainChars, List<SourceResult> results,
                           List<TransformerRuns.SourceRuns> lms) {
        SourceResult primary = results.get(0);
        Outcome.Builder out = Outcome.builder().setup(String.format(Locale.ROOT,
                "Sources: %s. Each source: %,d training characters (BPE merges, LZW phrases and token counts) and "
                        + "%,d test characters, generated from the run seed. Unigram-over-token models use add-½ smoothing.",
                results.stream().map(TokenizationReport::label).collect(Collectors.joining("; ")), trainChars,
                TokenizationExperiment.TEST_CHARS));

        out.check(Check.all("T1", "generator: empirical losses match H(π) and H∞ (" + label(primary) + ")",
                Check.within("T1.a", "character-unigram loss (fitted on train) vs H(π)",
                        primary.empiricalUnigramLoss(), primary.unigramEntropy(), 0.005),
                Check.within("T1.b", "true-kernel predictor loss vs H∞", primary.bayesLoss(), primary.entropyRate(), 0.005)));

        Point d16 = at(primary.bpe(), 16);
        Point d64 = at(primary.bpe(), 64);
        Point d128 = at(primary.bpe(), 128);
        out.check(Check.all("T2", "unigram over BPE: non-increasing in d ∈ {16, 64, 128} and closes ≥ 60 % of H(π) − H∞ at d = 128",
                Check.that("T2.a", "loss(16) ≥ loss(64) ≥ loss(128)",
                        d16.loss() >= d64.loss() && d64.loss() >= d128.loss(),
                        Check.fmt(d16.loss()) + " ≥ " + Check.fmt(d64.loss()) + " ≥ " + Check.fmt(d128.loss()), "non-increasing"),
                Check.atLeast("T2.b", "closure at d = 128", d128.closure(), 0.60)));
        out.check(TransformerChecks.t3(lms.get(0), at(primary.bpe(), 128).loss()));
        if (profile == Profile.FULL) {
            out.check(TransformerChecks.t4(lms));
            out.check(t5(results));
            out.check(Check.reported("T5.lzw-vs-bpe", "LZW against BPE closure at equal d, per source", results.stream()
                    .map(r -> label(r) + ": " + r.lzw().stream().map(p -> "d=" + p.d() + " LZW " + Check.fmt(p.closure())
                            + " / BPE " + (has(r.bpe(), p.d()) ? Check.fmt(at(r.bpe(), p.d()).closure()) : "–"))
                            .collect(Collectors.joining(", "))).collect(Collectors.joining("; "))));
        }
        out.check(Check.reported("T2.greedy", "greedy longest-match over the BPE vocabulary (our addition): closure by d",
                primary.greedy().stream().map(p -> "d=" + p.d() + ": " + Check.fmt(p.closure())).collect(Collectors.joining(", "))));

        out.number("H_pi", primary.unigramEntropy());
        out.number("H_inf", primary.entropyRate());
        for (SourceResult r : results) {
            out.table(table(r));
        }
        for (TransformerRuns.SourceRuns r : lms) {
            out.table(TransformerChecks.table(r));
            out.figure(TransformerChecks.curves(r));
        }
        out.figure(lossFigure(primary));
        out.figure(closureFigure(results));
        return out.build();
    }

    /** T5: closure increases with d (BPE and LZW, every source); lower for larger k at fixed d (p = q = 0.1). */
    private static Check t5(List<SourceResult> results) {
        List<String> bpeBad = new ArrayList<>();
        List<String> lzwBad = new ArrayList<>();
        for (SourceResult r : results) {
            if (!increasing(r.bpe())) {
                bpeBad.add(label(r));
            }
            if (!increasing(r.lzw())) {
                lzwBad.add(label(r));
            }
        }
        List<SourceResult> symmetric = results.stream().filter(r -> r.p() == 0.1 && r.q() == 0.1)
                .sorted((a, b) -> Integer.compare(a.k(), b.k())).toList();
        List<String> kBad = new ArrayList<>();
        for (Point p : symmetric.get(0).bpe()) {
            for (int i = 1; i < symmetric.size(); i++) {
                if (!(at(symmetric.get(i).bpe(), p.d()).closure() < at(symmetric.get(i - 1).bpe(), p.d()).closure())) {
                    kBad.add("d=" + p.d() + " k=" + symmetric.get(i).k());
                }
            }
        }
        return Check.all("T5", "unigram closure increases with d (BPE and LZW) and is lower for larger k at fixed d",
                Check.that("T5.a", "BPE closure increases with d on every source", bpeBad.isEmpty(),
                        bpeBad.isEmpty() ? "all sources" : "not on: " + String.join("; ", bpeBad), "every source"),
                Check.that("T5.b", "LZW closure increases with d on every source", lzwBad.isEmpty(),
                        lzwBad.isEmpty() ? "all sources" : "not on: " + String.join("; ", lzwBad), "every source"),
                Check.that("T5.c", "BPE closure falls as k grows (k = 2, 4, 8; p = q = 0.1) at every d", kBad.isEmpty(),
                        kBad.isEmpty() ? "every d" : "violated at " + String.join(", ", kBad), "every d"));
    }

    private static boolean increasing(List<Point> points) {
        for (int i = 1; i < points.size(); i++) {
            if (!(points.get(i).closure() > points.get(i - 1).closure())) {
                return false;
            }
        }
        return true;
    }

    private static Table table(SourceResult r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("characters (unigram)", "2", Check.fmt(r.empiricalUnigramLoss()),
                Check.fmt((r.unigramEntropy() - r.empiricalUnigramLoss()) / (r.unigramEntropy() - r.entropyRate())), "1.0000"));
        for (int i = 0; i < r.bpe().size(); i++) {
            Point p = r.bpe().get(i);
            rows.add(List.of("BPE", Integer.toString(p.d()), Check.fmt(p.loss()), Check.fmt(p.closure()), Check.fmt(p.charsPerToken())));
            Point g = r.greedy().get(i);
            rows.add(List.of("greedy over BPE", Integer.toString(g.d()), Check.fmt(g.loss()), Check.fmt(g.closure()), Check.fmt(g.charsPerToken())));
        }
        for (Point p : r.lzw()) {
            rows.add(List.of("LZW", Integer.toString(p.d()), Check.fmt(p.loss()), Check.fmt(p.closure()), Check.fmt(p.charsPerToken())));
        }
        rows.add(List.of("true kernel (Bayes)", "–", Check.fmt(r.bayesLoss()),
                Check.fmt((r.unigramEntropy() - r.bayesLoss()) / (r.unigramEntropy() - r.entropyRate())), "–"));
        return new Table("Unigram models over tokens, " + label(r) + String.format(Locale.ROOT,
                " (H(π) = %s, H∞ = %s nats/char)", Check.fmt(r.unigramEntropy()), Check.fmt(r.entropyRate())),
                List.of("tokenizer", "d", "loss (nats/char)", "closure", "chars/token"), rows);
    }

    private static Figure lossFigure(SourceResult r) {
        List<Figure.Series> series = new ArrayList<>();
        series.add(series("BPE unigram", r.bpe(), false));
        series.add(series("greedy over BPE", r.greedy(), false));
        series.add(series("LZW unigram", r.lzw(), false));
        return Figure.line("unigram-loss.png", "Unigram loss over tokens, " + label(r),
                "Loss per character of the best unigram model over BPE, greedy and LZW tokens against the dictionary "
                        + "size d; dashed: H(π) (a unigram over characters) and H∞ (the entropy rate).",
                "dictionary size d", "nats / character", series,
                List.of(new Figure.Reference("H(π)", r.unigramEntropy()), new Figure.Reference("H∞", r.entropyRate())), true);
    }

    private static Figure closureFigure(List<SourceResult> results) {
        List<Figure.Series> series = new ArrayList<>();
        for (SourceResult r : results) {
            series.add(series("BPE " + label(r), r.bpe(), true));
        }
        if (results.size() == 1) {
            series.add(series("greedy over BPE " + label(results.get(0)), results.get(0).greedy(), true));
            series.add(series("LZW " + label(results.get(0)), results.get(0).lzw(), true));
        }
        return Figure.line("closure.png", "Closure of H(π) − H∞ by unigram models over tokens",
                "Share of the gap between the character unigram (0) and the entropy rate (1) closed by a unigram "
                        + "model over tokens, against the dictionary size; dashed: the T2 threshold at d = 128.",
                "dictionary size d", "closure", series, List.of(new Figure.Reference("T2 threshold 0.6", 0.6)), true);
    }

    private static Figure.Series series(String name, List<Point> pts, boolean closure) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i).d();
            y[i] = closure ? pts.get(i).closure() : pts.get(i).loss();
        }
        return new Figure.Series(name, x, y);
    }

    private static String label(SourceResult r) {
        return String.format(Locale.ROOT, "k=%d, p=%.1f, q=%.1f", r.k(), r.p(), r.q());
    }

    private static boolean has(List<Point> pts, int d) {
        return pts.stream().anyMatch(p -> p.d() == d);
    }

    private static Point at(List<Point> pts, int d) {
        return pts.stream().filter(p -> p.d() == d).findFirst()
                .orElseThrow(() -> new IllegalStateException("no point at d = " + d));
    }
}
