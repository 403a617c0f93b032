package org.tokenlab.experiments.softthinking;

import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One phase = one model: train it (time-boxed) on its task, then decode the evaluation splits with every
 * decoder asked for. The phase returns only summaries (no weights), so a resumed run skips it whole.
 */
final class Phases {
    private Phases() {
    }

    /** Which task a model learns. */
    enum Task { CHAIN_COT, CHAIN_DIRECT, PATHS }

    /**
     * An evaluation split: problems drawn with sizes in [minN, maxN] (digits for Task A, nodes for B).
     */
    record Split(String name, int minN, int maxN, int problems) {
    }

    /** One decoder's summary on one split. */
    public record Row(String decoder, Metrics.Stats stats) {
    }

    /** One split's results: a row per decoder, the S1 identity rate, two sample traces. */
    public record SplitResult(String split, List<Row> rows, double identityPercent, List<String> samples) {
        Metrics.Stats stats(String decoder) {
            return rows.stream().filter(r -> r.decoder().equals(decoder)).findFirst().map(Row::stats).orElse(null);
        }
    }

    /** A trained model's record. */
    public record ModelResult(String name, long steps, long tokens, double finalLoss, boolean oneHotExact,
                              List<SplitResult> splits) {
        SplitResult split(String name) {
            return splits.stream().filter(s -> s.split().equals(name)).findFirst().orElse(null);
        }
    }

    /** Trains a model on {@code task} with {@code trainProblems} examples and evaluates it. */
    static ModelResult run(RunContext ctx, String name, Task task, RandomStream r, int trainProblems,
                           int trainMinN, int trainMaxN, CotTraining.Budget budget, List<Split> splits,
                           List<Decoders.Spec> decoders) {
        Gpt model = new Gpt(CotTraining.n0(), r.child("init").nextLong());
        List<Tasks.Problem> train = problems(task, r.child("train"), trainProblems, trainMinN, trainMaxN);
        CotTraining.Trained t = CotTraining.train(ctx, name, model, train, budget, r.child("batches"));
        List<SplitResult> out = new ArrayList<>();
        for (Split s : splits) {
            out.add(evaluate(ctx, name, model, task, s, decoders, r.child("eval").child(s.name())));
        }
        return new ModelResult(name, t.steps(), t.tokens(), t.finalLoss(), oneHotExact(model), out);
    }

    static List<Tasks.Problem> problems(Task task, RandomStream r, int count, int minN, int maxN) {
        List<Tasks.Problem> out = new ArrayList<>(count);
        int T = CotTraining.n0().blockSize();
        for (int i = 0; i < count; i++) {
            RandomStream ri = r.child(i);
            int n = minN + ri.child("n").nextInt(maxN - minN + 1);
            out.add(switch (task) {
                case CHAIN_COT -> Tasks.chainSum(ri, n, true);
                case CHAIN_DIRECT -> Tasks.chainSum(ri, n, false);
                case PATHS -> Tasks.pathFinding(ri, n, T);
            });
        }
        return out;
    }

    private static SplitResult evaluate(RunContext ctx, String name, Gpt model, Task task, Split split,
                                        List<Decoders.Spec> decoders, RandomStream r) {
        // The same problems for every model of a task family: drawn from the split's own stream.
        List<Tasks.Problem> ps = problems(task, ctx.random().child("problems").child(task == Task.PATHS ? "paths"
                : "chain").child(split.name()), split.problems(), split.minN(), split.maxN());
        int answerTokens = task == Task.PATHS ? 1 : 3;
        Map<String, List<Decoders.Decoded>> all = new LinkedHashMap<>();
        var progress = ctx.progress(name + " eval " + split.name(), (long) decoders.size() * ps.size());
        for (Decoders.Spec spec : decoders) {
            List<Decoders.Decoded> d = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                d.add(Decoders.decode(model, ps.get(i), spec, answerTokens, r.child(spec.name()).child(i)));
                progress.step(1, spec.name());
            }
            all.put(spec.name(), d);
        }
        progress.close();
        List<Decoders.Decoded> greedy = all.get(Decoders.Spec.greedy().name());
        List<Row> rows = new ArrayList<>();
        all.forEach((k, v) -> rows.add(new Row(k, Metrics.of(v, greedy))));
        List<Decoders.Decoded> id = all.get(Decoders.Spec.identity().name());
        double identity = id == null || greedy == null ? Double.NaN : Metrics.identical(id, greedy);
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < Math.min(2, ps.size()); i++) {
            samples.add("prompt: " + Tasks.text(ps.get(i).prompt()));
            for (var e : all.entrySet()) {
                samples.add("  " + e.getKey() + ": " + Tasks.text(e.getValue().get(i).tokens()));
            }
        }
        for (Row row : rows) {
            ctx.log(String.format(java.util.Locale.ROOT, "%s %s %-28s acc %6.2f%% think %5.1f cold %5.1f%% H %.4f agree %5.1f%%",
                    name, split.name(), row.decoder(), row.stats().accuracy(), row.stats().thinking(),
                    row.stats().coldStop(), row.stats().entropy(), row.stats().agreement()));
        }
        return new SplitResult(split.name(), rows, identity, samples);
    }

    /**
     * S1's second half: for every token v, the input Σ wⱼ·E[idⱼ] with ids (v, v+1, v+2) and weights
     * (1, 0, 0), and the explicit one-component mixture (v; 1), give bitwise the same logits as the plain
     * token v.
     */
    static boolean oneHotExact(Gpt model) {
        int V = model.config().vocabSize();
        long[] seq = {0};
        try (var ng = Engine.noGrad()) {
        for (int v = 0; v < V; v++) {
            float[] plain = model.logits(ModelInput.tokens(1, 1, new int[]{v}, seq)).toArray();
            float[] one = model.logits(new ModelInput(1, 1, 1, new int[]{v}, new float[]{1f}, seq, null, null)).toArray();
            float[] three = model.logits(new ModelInput(1, 1, 3, new int[]{v, (v + 1) % V, (v + 2) % V},
                    new float[]{1f, 0f, 0f}, seq, null, null)).toArray();
            if (!Arrays.equals(plain, one) || !Arrays.equals(plain, three)) {
                return false;
            }
        }
        }
        return true;
    }
}
