package org.tokenlab.experiments.prior;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.prior.PriorExperiment.Plan;
import org.tokenlab.experiments.prior.PriorExperiment.Reference;
import org.tokenlab.experiments.prior.PriorExperiment.Trained;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.TimeBox;

/** Turns the phase results of the PRIOR analogue into checks, numbers, tables and figures. */
final class PriorReport {
    private PriorReport() {
    }

    /** The full profile's extra runs: ablations (seed 0), pure-noise runs (P6) and the scaling grid (P5). */
    record Full(List<Trained> ablations, Reference noiseReference, List<Trained> noise, List<Trained> grid) {
    }

    static Outcome outcome(Profile profile, Plan plan, PriorExperiment.Data data, CaptionWorld world, List<Reference> refs,
                           Map<String, Trained> runs, Full full, Map<String, TimeBox> boxes) {
        Outcome.Builder out = Outcome.builder();
        Reference r0 = refs.get(0);
        List<Trained> all = new ArrayList<>(runs.values());
        Trained ntp0 = find(all, "encoder-free", "NTP", 0);
        Trained prior0 = find(all, "encoder-free", "PRIOR", 0);
        out.setup(String.format(Locale.ROOT, "%d training images × %d captions (%d captions, vocabulary %d words, T = %d), "
                        + "%d held-out images. Models: 2 layers, 4 heads, d = %d (N0), AdamW lr %.0e constant after %d warm-up "
                        + "steps, batch %d. Reference: %d steps on captions only (one reference for every seed). Targets: %d steps "
                        + "each (encoder-free)%s, NTP and PRIOR share initialisation and batch order; %d seed(s).",
                plan.trainImages(), plan.captionsPerImage(), data.train().size(), world.vocabSize(), data.T(),
                plan.evalImages(), PriorExperiment.D, (double) PriorTraining.LR, PriorTraining.WARMUP, PriorTraining.BATCH,
                r0.steps(), ntp0.steps(), encoderSteps(all), plan.seeds()));

        out.check(PriorChecks.p1(r0.wImage(), r0.wBoiler(), r0.pointBiserial()));
        out.check(PriorChecks.p2(ntp0.metrics().tfAccuracy(), prior0.metrics().tfAccuracy()));
        if (full == null) {
            String why = "full profile only (" + profile.id() + " profile)";
            out.check(Check.skipped("P3", "both variants: PRIOR's relative gain > 0 (95 % CI over 5 seeds) and less hallucination", why));
            out.check(Check.skipped("P4", "PRIOR: lower NLL on image tokens, higher on boilerplate", why));
            out.check(Check.skipped("P5", "(weak) slope of accuracy vs ln(compute): PRIOR ≥ NTP", why));
            out.check(Check.skipped("P6", "(exploratory) PRIOR's gain with pure-noise tokens", why));
        } else {
            List<Check> p3 = new ArrayList<>();
            List<Check> p4 = new ArrayList<>();
            for (String v : List.of("encoder-free", "encoder")) {
                List<Trained> n = select(all, v, "NTP"), p = select(all, v, "PRIOR");
                p3.addAll(PriorChecks.p3Parts(v, acc(n), acc(p), hall(n), hall(p)));
                p4.addAll(PriorChecks.p4Parts(v, meanNll(n, CaptionWorld.IMAGE), meanNll(p, CaptionWorld.IMAGE),
                        meanNll(n, CaptionWorld.BOILER), meanNll(p, CaptionWorld.BOILER)));
            }
            out.check(PriorChecks.p3(p3));
            out.check(PriorChecks.p4(p4));
            double sn = slope(select(full.grid(), null, "NTP")), sp = slope(select(full.grid(), null, "PRIOR"));
            out.check(PriorChecks.p5(sn, sp));
            out.number("p5.slopeNtp", sn);
            out.number("p5.slopePrior", sp);
            double gainClean = prior0.metrics().tfAccuracy() - ntp0.metrics().tfAccuracy();
            double gainNoise = full.noise().get(1).metrics().tfAccuracy() - full.noise().get(0).metrics().tfAccuracy();
            out.check(PriorChecks.p6(gainClean, gainNoise));
            out.number("p6.gainClean", gainClean);
            out.number("p6.gainNoise", gainNoise);
            out.number("p6.reference.wNoise", full.noiseReference().wNoise());
        }

        List<Reference> allRefs = new ArrayList<>(refs);
        if (full != null) {
            allRefs.add(full.noiseReference());
        }
        for (Reference r : allRefs) {
            out.number(r.name() + ".wImage", r.wImage());
            out.number(r.name() + ".wBoilerplate", r.wBoiler());
            out.number(r.name() + ".wFiller", r.wFiller());
            out.number(r.name() + ".pointBiserial", r.pointBiserial());
            out.number(r.name() + ".evalNll", r.evalNll());
        }
        List<Trained> listed = new ArrayList<>(all);
        if (full != null) {
            listed.addAll(full.ablations());
            listed.addAll(full.noise());
        }
        for (Trained t : listed) {
            out.number(t.name() + ".tfAccuracy", t.metrics().tfAccuracy());
            out.number(t.name() + ".curveMeanTfAccuracy", curveMean(t));
            out.number(t.name() + ".genAccuracy", t.metrics().genAccuracy());
            out.number(t.name() + ".hallucination", t.metrics().hallucination());
            out.number(t.name() + ".retrieval", t.metrics().retrieval());
        }
        out.table(new Table("Reference model: mean raw weight w = 1 − P_r by token class (training captions)",
                List.of("reference", "steps", "held-out NLL/token", "w image", "w boilerplate", "w filler", "w noise", "r(w, image)"),
                allRefs.stream().map(r -> List.of(r.name(), "" + r.steps(), f(r.evalNll()), f(r.wImage()), f(r.wBoiler()),
                        f(r.wFiller()), f(r.wNoise()), f(r.pointBiserial()))).toList()));
        out.table(resultTable("Held-out images: NTP vs PRIOR", listed));
        if (full != null) {
            out.table(resultTable("Scaling grid (encoder-free, seed 0)", full.grid()));
        }
        List<List<String>> samples = new ArrayList<>();
        for (Trained t : List.of(ntp0, prior0)) {
            for (String s : t.metrics().samples()) {
                samples.add(List.of(t.method(), s));
            }
        }
        out.table(new Table("Greedy captions of held-out images (encoder-free, seed 0): image → caption",
                List.of("model", "image → generated caption"), samples));

        out.figure(Figure.line("learning-curves.png", "Teacher-forced attribute accuracy during training",
                "Encoder-free, seed 0, on " + data.curve().size() + " held-out captions; NTP and PRIOR share initialisation "
                        + "and batch order.", "optimiser step", "attribute accuracy",
                List.of(new Figure.Series("NTP", ntp0.curveSteps(), ntp0.curveAccuracy()),
                        new Figure.Series("PRIOR", prior0.curveSteps(), prior0.curveAccuracy())),
                List.of(new Figure.Reference("chance (colour/shape)", 1.0 / 8)), false));
        double[] idx = {0, 1, 2};
        out.figure(Figure.bar("nll-by-class.png", "Held-out NLL by token class",
                "Encoder-free, seed 0: PRIOR should trade boilerplate NLL for image-token NLL.", "token class", "NLL (nats/token)",
                List.of("image", "boilerplate", "filler"),
                List.of(new Figure.Series("NTP", idx, first3(ntp0.metrics().nll())),
                        new Figure.Series("PRIOR", idx, first3(prior0.metrics().nll()))), List.of()));
        out.figure(Figure.bar("weights-by-class.png", "Reference weights by token class",
                "Mean raw weight 1 − P_r of the caption-only reference model on the training captions.", "token class",
                "mean w", List.of("image", "boilerplate", "filler"),
                List.of(new Figure.Series("w", idx, new double[] {r0.wImage(), r0.wBoiler(), r0.wFiller()})), List.of()));
        if (full != null) {
            List<Figure.Series> series = new ArrayList<>();
            for (String m : List.of("NTP", "PRIOR")) {
                for (int d : new int[] {64, 96}) {
                    List<Trained> g = full.grid().stream().filter(t -> t.method().equals(m) && t.d() == d).toList();
                    series.add(new Figure.Series(m + " d=" + d, g.stream().mapToDouble(Trained::compute).toArray(),
                            g.stream().mapToDouble(t -> t.metrics().tfAccuracy()).toArray()));
                }
            }
            out.figure(Figure.line("scaling.png", "Attribute accuracy against training compute",
                    "Encoder-free, seed 0; compute = 6 · parameters · tokens.", "compute (FLOP)", "attribute accuracy",
                    series, List.of(), true));
        }
        return out.build();
    }

    private static Table resultTable(String title, List<Trained> runs) {
        return new Table(title, List.of("run", "steps", "TF attr acc", "curve-mean TF acc", "gen attr acc", "hallucination", "retrieval",
                "NLL image", "NLL boiler", "NLL filler", "NLL noise"),
                runs.stream().map(t -> List.of(t.name(), "" + t.steps(), f(t.metrics().tfAccuracy()), f(curveMean(t)), f(t.metrics().genAccuracy()),
                        f(t.metrics().hallucination()), f(t.metrics().retrieval()), f(t.metrics().nll()[0]),
                        f(t.metrics().nll()[1]), f(t.metrics().nll()[2]), f(t.metrics().nll()[3]))).toList());
    }

    private static String encoderSteps(List<Trained> runs) {
        List<Trained> enc = select(runs, "encoder", "NTP");
        return enc.isEmpty() ? "" : ", " + enc.get(0).steps() + " steps each (encoder)";
    }

    private static Trained find(List<Trained> runs, String variant, String method, int seed) {
        return select(runs, variant, method).get(seed);
    }

    /** Runs of one variant (null: any) and method, in seed (or grid) order. */
    static List<Trained> select(List<Trained> runs, String variant, String method) {
        return runs.stream().filter(t -> (variant == null || t.variant().equals(variant)) && t.method().equals(method)).toList();
    }

    private static double[] acc(List<Trained> r) {
        return r.stream().mapToDouble(t -> t.metrics().tfAccuracy()).toArray();
    }

    private static double[] hall(List<Trained> r) {
        return r.stream().mapToDouble(t -> t.metrics().hallucination()).toArray();
    }

    private static double meanNll(List<Trained> r, byte cls) {
        return r.stream().mapToDouble(t -> t.metrics().nll()[cls]).average().orElse(Double.NaN);
    }

    private static double slope(List<Trained> grid) {
        return PriorChecks.slopeVsLog(grid.stream().mapToDouble(Trained::compute).toArray(),
                grid.stream().mapToDouble(t -> t.metrics().tfAccuracy()).toArray());
    }

    /** Mean teacher-forced accuracy over the learning-curve points (area under the curve per point). */
    static double curveMean(Trained t) {
        return java.util.Arrays.stream(t.curveAccuracy()).average().orElse(Double.NaN);
    }

    private static double[] first3(double[] x) {
        return new double[] {x[0], x[1], x[2]};
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.4f", x);
    }
}
