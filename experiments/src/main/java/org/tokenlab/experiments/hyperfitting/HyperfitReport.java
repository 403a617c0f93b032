package org.tokenlab.experiments.hyperfitting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.hyperfitting.Decoding.DecodeResult;
import org.tokenlab.experiments.hyperfitting.HyperfitTraining.HyperfitResult;
import org.tokenlab.experiments.hyperfitting.HyperfittingExperiment.EvalResult;
import org.tokenlab.experiments.hyperfitting.HyperfittingExperiment.Measured;
import org.tokenlab.experiments.hyperfitting.HyperfittingExperiment.Plan;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;

/** Turns the measured phases into checks, key numbers, tables, figures and sample continuations. */
final class HyperfitReport {
    private HyperfitReport() {
    }

    static Outcome outcome(Plan plan, Measured m) {
        Outcome.Builder out = Outcome.builder();
        HyperfitResult main = m.hyperfits().get("main");
        EvalResult base = m.evals().get("base");
        EvalResult hf = m.evals().get("main");
        DecodeResult baseGreedy = m.decodes().get("base-greedy");
        DecodeResult baseTopP = m.decodes().get("base-topp");
        DecodeResult hfGreedy = m.decodes().get("main-greedy");
        out.setup(String.format(Locale.ROOT, "Text: %s, BPE-%d (%.2f bytes/token). Base model %s (%,d parameters, "
                        + "T = %d) pre-trained %d steps (%,d tokens; AdamW 3e-3, cosine, batch %d). Hyperfit set H: %d "
                        + "sequences × %d tokens; Adam (no weight decay), batch 8, constant lr %s, %s; the main run did "
                        + "%d updates (%.1f epochs). Generation: %d held-out prompts of %d tokens, %d new tokens; TTR over "
                        + "the last %d.", m.source(), HyperfitData.VOCAB, m.bytesPerToken(), m.pretrain().preset(),
                m.pretrain().params(), plan.seqLen(), m.pretrain().steps(), m.pretrain().tokens(), plan.pretrainBatch(),
                m.hyperfitN(), plan.seqLen(), Check.fmt(plan.lr()),
                Double.isNaN(plan.stopLoss()) ? "fixed " + plan.maxUpdates() + " updates"
                        : "until the H loss ≤ " + plan.stopLoss() + " or " + plan.maxUpdates() + " updates",
                main.updates(), main.epochs(), plan.contexts(), plan.promptLen(), plan.genLen(), Decoding.TTR_WINDOW));

        HyperfitChecks.quick(new HyperfitChecks.Quick(main.trainLoss(), base.loss(), hf.loss(), base.entropy(),
                hf.entropy(), base.top1(), hf.top1(), baseGreedy.meanTtr(), hfGreedy.meanTtr())).forEach(out::check);
        if (plan.full()) {
            List<HyperfitChecks.SeedTtr> seeds = new ArrayList<>();
            for (int s = 0; s < plan.seeds(); s++) {
                seeds.add(new HyperfitChecks.SeedTtr(s, baseGreedy.meanTtr(),
                        m.decodes().get(HyperfittingExperiment.seedName(s) + "-greedy").meanTtr(), m.ci()[s].lo(),
                        m.ci()[s].hi()));
            }
            HyperfitChecks.full(new HyperfitChecks.Full(seeds, hfGreedy.shareCited(), m.decodes().get("main-blocked").meanTtr(),
                    hfGreedy.meanTtr(), m.decodes().get("N8-greedy").meanTtr(), m.decodes().get("N64-greedy").meanTtr(),
                    m.disagreement(), baseTopP.meanTtr(), m.decodes().get("early-greedy").meanTtr(),
                    main.bestValUpdate())).forEach(out::check);
        }

        explore(out, m, base, baseGreedy);
        numbers(out, m, base, hf, main);
        decoderTable(out, m);
        evalTable(out, m);
        runTable(out, m);
        samples(out, m);
        figures(out, plan, m, main);
        return out.build();
    }

    /** The exploratory higher-lr run, measured like H1–H3 but reported without a verdict. */
    private static void explore(Outcome.Builder out, Measured m, EvalResult base, DecodeResult baseGreedy) {
        HyperfitResult x = m.hyperfits().get(HyperfittingExperiment.EXPLORE);
        if (x == null) {
            return;
        }
        EvalResult e = m.evals().get(HyperfittingExperiment.EXPLORE);
        DecodeResult d = m.decodes().get(HyperfittingExperiment.EXPLORE + "-greedy");
        out.check(Check.reported("X1", "exploratory, not pre-registered: the H1–H3 measures for a hyperfit at lr "
                        + Check.fmt(x.lr()) + " (added after lr 3e-4 did not reach near-zero loss)",
                String.format(Locale.ROOT, "H loss %s after %d updates; V loss × %s; entropy −%.1f %%; top-1 %+.1f "
                                + "points; greedy TTR %s vs base %s",
                        Check.fmt(x.trainLoss()), x.updates(), Check.fmt(e.loss() / base.loss()),
                        100 * (1 - e.entropy() / base.entropy()), 100 * (e.top1() - base.top1()),
                        Check.fmt(d.meanTtr()), Check.fmt(baseGreedy.meanTtr()))));
    }

    private static void numbers(Outcome.Builder out, Measured m, EvalResult base, EvalResult hf, HyperfitResult main) {
        out.number("pretrain.tokens", m.pretrain().tokens());
        out.number("pretrain.steps", m.pretrain().steps());
        out.number("pretrain.preset", m.pretrain().preset());
        out.number("hyperfit.updates", main.updates());
        out.number("hyperfit.trainLoss", main.trainLoss());
        for (Map.Entry<String, EvalResult> e : m.evals().entrySet()) {
            out.number("V." + e.getKey() + ".loss", e.getValue().loss());
            out.number("V." + e.getKey() + ".entropy", e.getValue().entropy());
            out.number("V." + e.getKey() + ".top1", e.getValue().top1());
        }
        for (DecodeResult d : m.decodes().values()) {
            out.number("ttr." + d.name(), d.meanTtr());
            out.number("rep4." + d.name(), d.meanRep4());
            out.number("cited10." + d.name(), d.shareCited());
        }
        if (!Double.isNaN(m.disagreement())) {
            out.number("shuffle.top1Disagreement", m.disagreement());
        }
        for (int s = 0; s < m.ci().length; s++) {
            out.number("deltaTtr.seed" + s, List.of(m.ci()[s].estimate(), m.ci()[s].lo(), m.ci()[s].hi()));
        }
    }

    private static void decoderTable(Outcome.Builder out, Measured m) {
        List<List<String>> rows = new ArrayList<>();
        for (DecodeResult d : m.decodes().values()) {
            rows.add(List.of(d.name(), Check.fmt(d.meanTtr()), Check.fmt(d.meanRep4()), Check.fmt(d.shareCited()),
                    Integer.toString(d.longestOverlap()), Check.fmt(d.meanStepEntropy())));
        }
        out.table(new Table("Generations (means over prompts)", List.of("model-decoder", "TTR (last 96)", "rep-4",
                "share overlap ≥ 10 with H", "longest overlap", "mean step entropy (nats)"), rows));
    }

    private static void evalTable(Outcome.Builder out, Measured m) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, EvalResult> e : m.evals().entrySet()) {
            EvalResult r = e.getValue();
            rows.add(List.of(e.getKey(), Check.fmt(r.loss()), Check.fmt(r.entropy()), Check.fmt(r.top1()),
                    Check.fmt(r.accuracy())));
        }
        out.table(new Table("Held-out text V (every validation sequence)", List.of("model", "loss (nats/token)",
                "mean entropy (nats)", "mean top-1 probability", "top-1 accuracy"), rows));
    }

    private static void runTable(Outcome.Builder out, Measured m) {
        List<List<String>> rows = new ArrayList<>();
        for (HyperfitResult r : m.hyperfits().values()) {
            rows.add(List.of(r.name(), Integer.toString(r.n()), Check.fmt(r.lr()), Integer.toString(r.updates()),
                    String.format(Locale.ROOT, "%.1f", r.epochs()), Check.fmt(r.trainLoss()),
                    r.updatesToLoss01() < 0 ? "never" : Integer.toString(r.updatesToLoss01()),
                    r.bestValUpdate() < 0 ? "–" : r.bestValUpdate() + " (" + Check.fmt(r.bestValLoss()) + ")"));
        }
        out.table(new Table("Hyperfitting runs", List.of("run", "N", "lr", "updates", "epochs", "final H loss",
                "updates to H loss ≤ 0.1", "best V-curve loss (update)"), rows));
    }

    private static void samples(Outcome.Builder out, Measured m) {
        List<List<String>> rows = new ArrayList<>();
        String[] shown = {"base-greedy", "base-topp", "main-greedy", "main-blocked", HyperfittingExperiment.EXPLORE + "-greedy"};
        for (int c = 0; c < m.prompts().size(); c++) {
            rows.add(List.of(Integer.toString(c), "prompt", quote(m.prompts().get(c))));
            rows.add(List.of(Integer.toString(c), "human continuation", quote(m.references().get(c))));
            for (String name : shown) {
                DecodeResult d = m.decodes().get(name);
                if (d != null && c < d.samples().size()) {
                    rows.add(List.of(Integer.toString(c), name, quote(d.samples().get(c))));
                }
            }
        }
        out.table(new Table("Sample continuations (first prompts of V)", List.of("prompt #", "source", "text"), rows));
    }

    private static String quote(String s) {
        return "`" + s.replace("`", "'").replace("\n", " ⏎ ") + "`";
    }

    private static void figures(Outcome.Builder out, Plan plan, Measured m, HyperfitResult main) {
        out.figure(Figure.line("hyperfit-loss.png", "Hyperfitting: loss on H and on V",
                "Loss (nats/token) on the hyperfit set H and on " + plan.curveSeqs() + " held-out sequences of V "
                        + "during hyperfitting (update 0 is the base model).", "updates", "loss (nats/token)",
                List.of(new Figure.Series("H (training set)", main.curveUpdate(), main.curveTrainLoss()),
                        new Figure.Series("V (held out)", main.curveUpdate(), main.curveValLoss())),
                List.of(new Figure.Reference("0.15", 0.15)), false));
        List<String> cats = new ArrayList<>();
        List<Double> ttr = new ArrayList<>();
        List<Double> rep = new ArrayList<>();
        for (DecodeResult d : m.decodes().values()) {
            cats.add(d.name());
            ttr.add(d.meanTtr());
            rep.add(d.meanRep4());
        }
        double[] xs = new double[cats.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i;
        }
        out.figure(Figure.bar("ttr.png", "Diversity of continuations", "Mean TTR over the last 96 generated tokens "
                        + "and mean rep-4 for every model and decoder.", "model-decoder", "value", cats,
                List.of(new Figure.Series("TTR", xs, HyperfitTraining.toArray(ttr)),
                        new Figure.Series("rep-4", xs, HyperfitTraining.toArray(rep))), List.of()));
        out.figure(Figure.line("pretrain-loss.png", "Pre-training loss", "Training loss of the base model.", "step",
                "loss (nats/token)", List.of(new Figure.Series("train", m.pretrain().curveStep(), m.pretrain().curveLoss())),
                List.of(), false));
        if (plan.full()) {
            int[] ns = new int[plan.ablationN().length + 1];
            System.arraycopy(plan.ablationN(), 0, ns, 0, plan.ablationN().length);
            ns[ns.length - 1] = plan.hyperfitN();
            java.util.Arrays.sort(ns);
            double[] x = new double[ns.length];
            double[] y = new double[ns.length];
            for (int i = 0; i < ns.length; i++) {
                x[i] = ns[i];
                y[i] = m.decodes().get((ns[i] == plan.hyperfitN() ? "main" : "N" + ns[i]) + "-greedy").meanTtr();
            }
            out.figure(Figure.line("ttr-vs-n.png", "Data quantity at fixed updates", "Greedy TTR after " + plan.maxUpdates()
                            + " updates on N sequences (batch 8).", "N (sequences)", "TTR (last 96)",
                    List.of(new Figure.Series("hyperfit greedy", x, y)),
                    List.of(new Figure.Reference("base greedy", m.decodes().get("base-greedy").meanTtr())), true));
        }
    }
}
