package org.tokenlab.experiments.softthinking;

import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Turns the phase results (one record per trained model) into the experiment's checks, numbers, tables
 * and figures. Numbers of the CoT models are averaged over seeds.
 */
final class SoftReport {
    private SoftReport() {
    }

    static Outcome outcome(Profile profile, SoftThinkingExperiment.Settings s, List<Phases.ModelResult> cot,
                           Phases.ModelResult direct, Phases.ModelResult paths) {
        Outcome.Builder b = Outcome.builder();
        b.setup(setup(s, cot, direct, paths));
        String in = s.splits().get(0).name();

        // S1: every seed and split reproduces greedy exactly, and every model's one-hot mixture is exact.
        double identical = 100;
        boolean oneHot = direct.oneHotExact();
        for (Phases.ModelResult m : cot) {
            oneHot &= m.oneHotExact();
            for (Phases.SplitResult r : m.splits()) {
                identical = Math.min(identical, r.identityPercent());
            }
        }
        b.check(SoftChecks.s1(identical, oneHot));
        double greedyIn = mean(cot, in, Decoders.Spec.greedy().name(), Metrics.Stats::accuracy);
        double directIn = direct.split(in).stats(Decoders.Spec.direct().name()).accuracy();
        b.check(SoftChecks.s2(greedyIn, directIn));

        List<SoftChecks.SplitNumbers> numbers = new ArrayList<>();
        if (profile != Profile.QUICK) { // the quick profile runs no decoder without Cold Stop
            for (Phases.Split split : s.splits()) {
                numbers.add(splitNumbers(cot, split.name(), s.samples()));
            }
        }
        if (profile == Profile.FULL) {
            b.check(SoftChecks.s3(numbers));
            b.check(SoftChecks.s4(numbers));
            b.check(SoftChecks.s4NoStop(numbers));
            b.check(SoftChecks.s5(numbers));
        } else {
            String why = "a full-profile check (3 seeds, in-distribution and OOD); run --profile full";
            b.check(Check.skipped("S3", SoftChecks.S3, why));
            b.check(Check.skipped("S4", SoftChecks.S4, why));
            b.check(Check.skipped("S5", SoftChecks.S5, why));
        }
        if (paths != null) {
            Phases.SplitResult pr = paths.splits().get(0);
            b.check(SoftChecks.s6(pr.stats(SoftThinkingExperiment.PRIMARY.name()).accuracy(),
                    pr.stats(Decoders.Spec.greedy().name()).accuracy()));
        } else {
            b.check(Check.skipped("S6", SoftChecks.S6, "Task B runs in the full profile only"));
        }

        b.number("greedy_acc_" + in, greedyIn);
        b.number("direct_acc_" + in, directIn);
        b.number("identity_percent", identical);
        b.number("soft_acc_" + in + "_n5_L4", mean(cot, in, SoftThinkingExperiment.PRIMARY.name(), Metrics.Stats::accuracy));
        for (SoftChecks.SplitNumbers n : numbers) {
            b.number("sampled_acc_" + n.split(), n.sampledAcc());
            b.number("soft_acc_" + n.split(), n.softAcc());
            b.number("soft_thinking_" + n.split(), n.softThink());
            b.number("sampled_thinking_" + n.split(), n.sampledThink());
            b.number("soft_agreement_" + n.split(), n.agreement());
        }

        List<List<String>> train = new ArrayList<>();
        List<Phases.ModelResult> models = new ArrayList<>(cot);
        models.add(direct);
        if (paths != null) {
            models.add(paths);
        }
        for (Phases.ModelResult m : models) {
            train.add(List.of(m.name(), Long.toString(m.steps()), Long.toString(m.tokens()), f(m.finalLoss())));
        }
        b.table(new Table("Training (N0, tied embeddings, loss on thinking + answer tokens)",
                List.of("model", "steps", "target tokens", "final train loss"), train));

        List<String> decoders = cot.get(0).splits().get(0).rows().stream().map(Phases.Row::decoder).toList();
        for (Phases.Split split : s.splits()) {
            List<List<String>> rows = new ArrayList<>();
            for (String d : decoders) {
                rows.add(List.of(d, f(mean(cot, split.name(), d, Metrics.Stats::accuracy)),
                        f(mean(cot, split.name(), d, Metrics.Stats::thinking)),
                        f(mean(cot, split.name(), d, Metrics.Stats::coldStop)),
                        f(mean(cot, split.name(), d, Metrics.Stats::entropy)),
                        f(mean(cot, split.name(), d, Metrics.Stats::agreement))));
            }
            Metrics.Stats ds = direct.split(split.name()).stats(Decoders.Spec.direct().name());
            rows.add(List.of(Decoders.Spec.direct().name(), f(ds.accuracy()), "0", "", "", ""));
            b.table(new Table("Task A, " + split.name() + " (n = " + split.minN() + "–" + split.maxN() + ", "
                    + split.problems() + " problems, mean over " + cot.size() + " seed(s))",
                    List.of("decoder", "pass@1 %", "thinking tokens", "Cold Stop %", "entropy (nats, T 0.6)",
                            "agreement with greedy %"), rows));
        }
        if (paths != null) {
            Phases.SplitResult pr = paths.splits().get(0);
            List<List<String>> rows = new ArrayList<>();
            for (Phases.Row r : pr.rows()) {
                rows.add(List.of(r.decoder(), f(r.stats().accuracy()), f(r.stats().thinking()), f(r.stats().coldStop()),
                        f(r.stats().entropy()), f(r.stats().agreement())));
            }
            b.table(new Table("Task B, path finding (" + s.pathSplit().problems() + " DAGs of 8–10 nodes)",
                    List.of("decoder", "pass@1 %", "thinking tokens", "Cold Stop %", "entropy (nats, T 0.6)",
                            "agreement with greedy %"), rows));
        }
        List<List<String>> samples = new ArrayList<>();
        for (String line : cot.get(0).split(in).samples()) {
            samples.add(List.of(line));
        }
        b.table(new Table("Sample outputs (seed 0, " + in + "; soft decoders show the arg-max of each concept)",
                List.of("trace"), samples));

        for (Phases.Split split : s.splits()) {
            double[] acc = new double[decoders.size() + 1];
            for (int i = 0; i < decoders.size(); i++) {
                acc[i] = mean(cot, split.name(), decoders.get(i), Metrics.Stats::accuracy);
            }
            acc[decoders.size()] = direct.split(split.name()).stats(Decoders.Spec.direct().name()).accuracy();
            List<String> cats = new ArrayList<>(decoders);
            cats.add(Decoders.Spec.direct().name());
            b.figure(Figure.bar("accuracy-" + split.name() + ".png", "pass@1 by decoder (" + split.name() + ")",
                    "Task A pass@1 of every decoder, mean over seeds.", "decoder", "pass@1 %", cats,
                    List.of(new Figure.Series("pass@1", new double[acc.length], acc)), List.of()));
        }
        List<Figure.Series> traces = new ArrayList<>();
        for (Phases.Row r : cot.get(0).split(in).rows()) {
            double[] y = r.stats().trace();
            if (y.length > 0) {
                double[] x = new double[y.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i;
                }
                traces.add(new Figure.Series(r.decoder(), x, y));
            }
        }
        b.figure(Figure.line("entropy-trace.png", "Per-step concept entropy while thinking",
                "Mean entropy (nats, T 0.6, before truncation) at each thinking step, seed 0, " + in
                        + "; the dashed line is Cold Stop's τ.", "thinking step", "entropy (nats)", traces,
                List.of(new Figure.Reference("τ = 0.01", Decoders.TAU)), false));
        return b.build();
    }

    private static SoftChecks.SplitNumbers splitNumbers(List<Phases.ModelResult> cot, String split, int samples) {
        String sampled = Decoders.Spec.sampled(samples).name();
        String soft = SoftThinkingExperiment.PRIMARY.name();
        String noStop = SoftThinkingExperiment.PRIMARY_NO_STOP.name();
        return new SoftChecks.SplitNumbers(split, mean(cot, split, Decoders.Spec.greedy().name(), Metrics.Stats::accuracy),
                mean(cot, split, sampled, Metrics.Stats::accuracy), mean(cot, split, sampled, Metrics.Stats::thinking),
                mean(cot, split, soft, Metrics.Stats::accuracy), mean(cot, split, soft, Metrics.Stats::thinking),
                mean(cot, split, soft, Metrics.Stats::agreement), mean(cot, split, noStop, Metrics.Stats::accuracy),
                mean(cot, split, noStop, Metrics.Stats::thinking), mean(cot, split, noStop, Metrics.Stats::agreement));
    }

    /** The seed mean of one statistic of one decoder on one split. */
    static double mean(List<Phases.ModelResult> models, String split, String decoder, ToDoubleFunction<Metrics.Stats> f) {
        double sum = 0;
        for (Phases.ModelResult m : models) {
            sum += f.applyAsDouble(m.split(split).stats(decoder));
        }
        return sum / models.size();
    }

    private static String setup(SoftThinkingExperiment.Settings s, List<Phases.ModelResult> cot,
                                Phases.ModelResult direct, Phases.ModelResult paths) {
        long tokens = cot.stream().mapToLong(Phases.ModelResult::tokens).sum() + direct.tokens()
                + (paths == null ? 0 : paths.tokens());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Models: N0 (d 64, 2 layers, 4 heads, d_ff 256, tied embeddings, V 20, "
                + "T 64). %d CoT model(s) on Task A (n = 4–8 digits, %d training problems), one direct-answer model",
                cot.size(), s.trainProblems()));
        sb.append(paths == null ? "" : ", one Task B model (DAGs of 8–10 nodes)");
        sb.append(String.format(Locale.ROOT, "; %d target tokens in all (prompts carry no loss). Decoders: greedy; "
                + "sampled (T 0.6, top-p 0.95, top-k 30, %d samples averaged into pass@1); Soft Thinking (T 0.6, "
                + "top-k 30, top-p 0.95, min-p 0.001, max_topk n, Cold Stop τ 0.01 nats with patience L, answer "
                + "sampled as in the paper); the S1 decoder is soft with n = 1, no Cold Stop and a greedy answer. "
                + "The pre-registered soft configuration for S3–S5 is n = 5, L = 4.", tokens, s.samples()));
        return sb.toString();
    }

    /** A table cell: 4 decimals, or a dash where the decoder does not record the quantity (NaN). */
    private static String f(double x) {
        return Double.isNaN(x) ? "—" : Check.fmt(x);
    }
}
