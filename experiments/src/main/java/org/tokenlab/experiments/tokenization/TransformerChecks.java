package org.tokenlab.experiments.tokenization;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.tokenization.TransformerRuns.Run;
import org.tokenlab.experiments.tokenization.TransformerRuns.SourceRuns;

/** The transformer checks T3 and T4 (papers.md §4.6), their table and training-curve plots. */
final class TransformerChecks {
    private TransformerChecks() {
    }

    /**
     * T3: the character transformer closes ≤ 20 % of H(π) − H∞, the BPE-128 transformer ≥ 60 % and is within
     * 0.02 nats/char of (or better than) the unigram over BPE-128 tokens ({@code unigramBpe128}).
     */
    static Check t3(SourceRuns r, double unigramBpe128) {
        Run chars = find(r, "characters", true);
        Run bpe = find(r, "BPE-128", true);
        return Check.all("T3", "character transformer stuck near H(π) while the BPE-128 transformer is near-optimal ("
                        + label(r) + ")",
                Check.atMost("T3.a", "character transformer closure", chars.closure(), 0.20),
                Check.atLeast("T3.b", "BPE-128 transformer closure", bpe.closure(), 0.60),
                Check.atMost("T3.c", "BPE-128 transformer loss − unigram-over-BPE-128 loss (nats/char)",
                        bpe.lossPerChar() - unigramBpe128, 0.02));
    }

    /** T4: for k = 4 and k = 8, character closure ≤ 0.2 and the best tokenized closure ≥ 0.6 (k=4) / 0.4 (k=8). */
    static Check t4(List<SourceRuns> all) {
        List<Check> parts = new ArrayList<>();
        for (SourceRuns r : all) {
            if (r.k() != 4 && r.k() != 8) {
                continue;
            }
            Run chars = find(r, "characters", true);
            Run best = r.runs().stream().filter(x -> !x.tokenizer().equals("characters"))
                    .max((a, b) -> Double.compare(a.closure(), b.closure())).orElseThrow();
            String exit = chars.plateauExitStep() < 0 ? "never left the plateau"
                    : "left the plateau at step " + chars.plateauExitStep();
            parts.add(Check.that("T4.k" + r.k() + ".chars", "k=" + r.k() + ": character transformer closure",
                    chars.closure() <= 0.20, Check.fmt(chars.closure()) + " (" + exit + " of " + chars.steps() + ")", "≤ 0.2"));
            parts.add(Check.atLeast("T4.k" + r.k() + ".tokens", "k=" + r.k() + ": best tokenized transformer closure ("
                    + best.tokenizer() + (best.tied() ? "" : ", untied") + ")", best.closure(), r.k() == 4 ? 0.6 : 0.4));
        }
        return Check.all("T4", "T3 holds for k = 4 and k = 8; the step at which the character model leaves its plateau "
                + "(closure ≥ " + TransformerRuns.PLATEAU_EXIT + ") is recorded", parts.toArray(Check[]::new));
    }

    static Table table(SourceRuns r) {
        List<List<String>> rows = new ArrayList<>();
        for (Run x : r.runs()) {
            rows.add(List.of(x.tokenizer(), x.tied() ? "tied" : "untied", Integer.toString(x.steps()), Long.toString(x.tokens()),
                    Check.fmt(x.charsPerToken()), Check.fmt(x.lossPerChar()), Check.fmt(x.closure()),
                    x.plateauExitStep() < 0 ? "never" : Integer.toString(x.plateauExitStep())));
        }
        return new Table("N0 transformers, " + label(r) + String.format(Locale.ROOT, " (H(π) = %s, H∞ = %s nats/char)",
                Check.fmt(r.unigramEntropy()), Check.fmt(r.entropyRate())),
                List.of("input", "head", "steps", "tokens", "chars/token", "loss (nats/char)", "closure",
                        "first step with closure ≥ " + TransformerRuns.PLATEAU_EXIT), rows);
    }

    static Figure curves(SourceRuns r) {
        List<Figure.Series> series = r.runs().stream().map(x -> new Figure.Series(
                x.tokenizer() + (x.tied() ? "" : " (untied)"), x.curveSteps(), x.curveLossPerChar())).collect(Collectors.toList());
        return Figure.line("lm-curves-k" + r.k() + ".png", "Transformer loss per character, " + label(r),
                "Held-out loss per character of N0 transformers on characters and on tokens against training steps; "
                        + "dashed: H(π) (a unigram over characters) and H∞ (the entropy rate).",
                "training step", "nats / character", series,
                List.of(new Figure.Reference("H(π)", r.unigramEntropy()), new Figure.Reference("H∞", r.entropyRate())), false);
    }

    private static Run find(SourceRuns r, String tokenizer, boolean tied) {
        return r.runs().stream().filter(x -> x.tokenizer().equals(tokenizer) && x.tied() == tied).findFirst()
                .orElseThrow(() -> new IllegalStateException("no run " + tokenizer + " on " + label(r)));
    }

    private static String label(SourceRuns r) {
        return String.format(Locale.ROOT, "k=%d, p=%.1f, q=%.1f", r.k(), r.p(), r.q());
    }
}
