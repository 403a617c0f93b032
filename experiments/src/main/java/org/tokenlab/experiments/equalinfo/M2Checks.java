package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.experiments.equalinfo.M2Runs.M2;

/** The M2 checks E3–E9 of papers.md §3.4, with their table and figures. */
final class M2Checks {
    /** ln 256: the loss of the uniform distribution over 8-bit tokens. */
    static final double LN256 = Math.log(256);

    private M2Checks() {
    }

    static void add(Outcome.Builder out, Profile profile, M2Runs.Models m) {
        List<M2> ms = m.models();
        M2 bytes = get(ms, "Bytes");
        M2 ac = get(ms, "AC");
        M2 ei16 = get(ms, "EqualInfoAC[16]");
        out.check(Check.all("E3", "AC is unlearnable while Bytes is learned on the same token budget",
                Check.atLeast("E3.a", "M2 loss on AC (nats/token) ≥ 0.99·ln 256", ac.loss(), 0.99 * LN256),
                Check.atMost("E3.b", "M2 loss on Bytes (nats/token) ≤ 0.75·ln 256", bytes.loss(), 0.75 * LN256)));
        out.check(Check.reported("E5.quick", "EqualInfoAC[16] accuracy by window position (final / trivial)",
                positions(ei16)));
        if (profile == Profile.FULL) {
            M2 st = get(ms, "StaticAC");
            out.check(Check.all("E4", "EqualInfoAC[16] is learnable beyond its unigram; StaticAC and AC are not",
                    Check.atMost("E4.a", "M2 loss on EqualInfoAC[16] − its unigram loss (nats/token) ≤ −0.05",
                            ei16.loss() - ei16.unigramLoss(), -0.05),
                    Check.atLeast("E4.b", "M2 loss on StaticAC ≥ 0.99·ln 256", st.loss(), 0.99 * LN256),
                    Check.atLeast("E4.c", "M2 loss on AC ≥ 0.99·ln 256", ac.loss(), 0.99 * LN256)));
            out.check(e5(ei16));
            M2 ei32 = get(ms, "EqualInfoAC[32]");
            M2 ei64 = get(ms, "EqualInfoAC[64]");
            out.check(Check.that("E6", "M2 bits/token increases with W ∈ {16, 32, 64}",
                    ei16.loss() < ei32.loss() && ei32.loss() < ei64.loss(),
                    Check.fmt(ei16.loss() / Math.log(2)) + " < " + Check.fmt(ei32.loss() / Math.log(2)) + " < "
                            + Check.fmt(ei64.loss() / Math.log(2)), "strictly increasing"));
            M2 gz = get(ms, "GZip");
            out.check(Check.all("E7", "GZip is learnable but worse than Bytes in bits/byte",
                    Check.atMost("E7.a", "M2 loss on GZip (nats/token) ≤ 0.97·ln 256", gz.loss(), 0.97 * LN256),
                    Check.that("E7.b", "bits/byte(GZip) > bits/byte(Bytes)", gz.bitsPerByte() > bytes.bitsPerByte(),
                            Check.fmt(gz.bitsPerByte()) + " vs " + Check.fmt(bytes.bitsPerByte()), "GZip > Bytes")));
            M2 bpe = get(ms, "BPE-1024");
            double flopsRatio = trainFlopsPerToken(profile, bpe) * bpe.tokens() / (trainFlopsPerToken(profile, bytes) * bytes.tokens());
            out.check(Check.that("E8", "bits/byte(BPE-1024) < bits/byte(Bytes) at matched training FLOPs (papers.md §0.3: "
                            + "BPE's M2 takes " + bpe.steps() + " steps to Bytes' " + bytes.steps() + ", its larger head "
                            + "costing more per token; training FLOPs ratio BPE/Bytes " + Check.fmt(flopsRatio) + ")",
                    bpe.bitsPerByte() < bytes.bitsPerByte(),
                    Check.fmt(bpe.bitsPerByte()) + " vs " + Check.fmt(bytes.bitsPerByte()), "BPE < Bytes"));
            out.check(Check.that("E9", "negative control (expected to FAIL at this scale): EqualInfoAC[16] beats Bytes in bits/byte",
                    ei16.bitsPerByte() < bytes.bitsPerByte(),
                    Check.fmt(ei16.bitsPerByte()) + " vs " + Check.fmt(bytes.bitsPerByte()), "EqualInfoAC[16] < Bytes"));
        }
        List<List<String>> rows = new ArrayList<>();
        List<Figure.Series> curves = new ArrayList<>();
        for (M2 x : ms) {
            rows.add(List.of(x.method(), Integer.toString(x.vocab()), Check.fmt(1 / x.tokensPerByte()), Check.fmt(x.loss()),
                    Check.fmt(x.loss() / Math.log(2)), Check.fmt(x.unigramLoss()), Check.fmt(x.bitsPerByte()),
                    String.format(java.util.Locale.ROOT, "%.3g", x.flopsPerByte()), Long.toString(x.tokens())));
            curves.add(new Figure.Series(x.method(), x.curveSteps(), x.curveLoss()));
            out.number("m2.loss." + x.method(), x.loss());
            out.number("m2.bitsPerByte." + x.method(), x.bitsPerByte());
        }
        out.table(new Table("M2 on each method's tokens (" + m.description() + ")", List.of("method", "V", "bytes/token",
                "loss (nats/token)", "bits/token", "unigram loss (nats/token)", "bits/byte", "FLOPs/byte", "training tokens"), rows));
        out.figure(Figure.line("m2-curves.png", "M2 held-out loss per token", "Held-out loss of M2 on each method's "
                        + "token stream against training steps; dashed: ln 256 (uniform over 8-bit tokens) and the E3 "
                        + "Bytes threshold 0.75·ln 256.", "training step", "nats / token", curves,
                List.of(new Figure.Reference("ln 256", LN256), new Figure.Reference("0.75·ln 256", 0.75 * LN256)), false));
        Optional.of(ei16).filter(x -> x.period() > 1).ifPresent(x -> out.figure(positionFigure(x)));
    }

    /** Training FLOPs per token (papers.md §0.3): 6·N (non-embedding) + 6·V·C (tied head) + 6·L·T·C (attention). */
    static double trainFlopsPerToken(Profile profile, M2 x) {
        return trainFlopsPerToken(M2Runs.model(profile, x.vocab()), x.nonEmbeddingParams());
    }

    /** {@link #trainFlopsPerToken(Profile, M2)} for a model shape and its non-embedding parameter count. */
    static double trainFlopsPerToken(GptConfig c, long nonEmbeddingParams) {
        return 6.0 * nonEmbeddingParams + 6.0 * c.vocabSize() * c.nEmbd() + 6.0 * c.nLayer() * c.blockSize() * c.nEmbd();
    }

    /** E5: the gain over trivial accuracy of window token #1 exceeds that of token #2. */
    static Check e5(M2 ei) {
        double g1 = ei.accuracy()[0] - ei.trivialAccuracy()[0];
        double g2 = ei.accuracy()[1] - ei.trivialAccuracy()[1];
        return Check.that("E5", "EqualInfoAC[16]: gain over trivial accuracy of window token #1 > token #2", g1 > g2,
                Check.fmt(g1) + " vs " + Check.fmt(g2), "#1 > #2");
    }

    private static String positions(M2 x) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < x.period(); p++) {
            sb.append(p == 0 ? "" : ", ").append("#").append(p + 1).append(": ").append(Check.fmt(x.accuracy()[p]))
                    .append(" / ").append(Check.fmt(x.trivialAccuracy()[p]));
        }
        return sb.toString();
    }

    private static Figure positionFigure(M2 x) {
        List<String> cats = new ArrayList<>();
        double[] xs = new double[x.period()];
        for (int p = 0; p < x.period(); p++) {
            cats.add("token #" + (p + 1));
            xs[p] = p;
        }
        return Figure.bar("window-position-accuracy.png", "EqualInfoAC[16]: accuracy by position in the window",
                "Top-1 accuracy of M2 at each token position inside a 16-bit window, after training and at the trivial "
                        + "point (best in the first 2 % of steps).", "position in window", "top-1 accuracy", cats,
                List.of(new Figure.Series("final", xs, x.accuracy()), new Figure.Series("trivial", xs, x.trivialAccuracy())),
                List.of());
    }

    static M2 get(List<M2> ms, String name) {
        return ms.stream().filter(x -> x.method().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no M2 for " + name));
    }
}
