package org.tokenlab.experiments.softthinking;

import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.tensor.rng.RandomStream;

import java.util.ArrayList;
import java.util.List;

/**
 * Soft Thinking (Zhang et al. 2025; papers.md §5): train a small CoT model on the chained modular sum
 * (Task A) and a direct-answer control, then compare greedy CoT, sampled CoT, Soft Thinking with and
 * without Cold Stop, and the direct model; in the full profile also over three seeds, length-OOD problems
 * and the branching path-finding Task B. Checks S1–S6 of papers.md §5.4.
 */
public final class SoftThinkingExperiment implements Experiment {

    /** The pre-registered soft-thinking configuration for S3/S4 (with Cold Stop) and S5 (without). */
    static final Decoders.Spec PRIMARY = Decoders.Spec.soft(5, 4);
    static final Decoders.Spec PRIMARY_NO_STOP = Decoders.Spec.soft(5, 0);

    /** What a profile spends. */
    record Settings(int seeds, int trainProblems, CotTraining.Budget cot, CotTraining.Budget direct,
                    CotTraining.Budget paths, List<Phases.Split> splits, Phases.Split pathSplit, int samples) {
    }

    static Settings settings(Profile p) {
        return switch (p) {
            case SMOKE -> new Settings(1, 400, new CotTraining.Budget(1, 8, 2, 2, 8, 8, 1e-2f),
                    new CotTraining.Budget(1, 8, 2, 2, 6, 6, 1e-2f), null,
                    List.of(new Phases.Split("in-dist", 4, 8, 3)), null, 2);
            case QUICK -> new Settings(1, 20_000, new CotTraining.Budget(80, 16, 60, 60, 60, 20_000, 6e-3f),
                    new CotTraining.Budget(15, 16, 60, 60, 60, 20_000, 6e-3f), null,
                    List.of(new Phases.Split("in-dist", 4, 8, 200)), null, 4);
            case FULL -> new Settings(3, 50_000, new CotTraining.Budget(150, 16, 150, 150, 200, 50_000, 1e-2f),
                    new CotTraining.Budget(60, 16, 150, 150, 200, 50_000, 1e-2f),
                    new CotTraining.Budget(150, 16, 150, 150, 200, 50_000, 1e-2f),
                    List.of(new Phases.Split("in-dist", 4, 8, 300), new Phases.Split("ood", 9, 10, 300)),
                    new Phases.Split("paths", 8, 10, 300), 8);
        };
    }

    @Override
    public String id() {
        return "soft-thinking";
    }

    @Override
    public String title() {
        return "Soft Thinking: reasoning in continuous concept space";
    }

    @Override
    public String paper() {
        return "Zhang, He, Yan, Shen, Zhao, Wang, Shen, Wang; arXiv 2505.15778 (2025)";
    }

    @Override
    public String claim() {
        return "Feeding the probability-weighted mixture of token embeddings (a concept token) instead of a sampled "
                + "token during chain-of-thought, and stopping thinking once the model has been confident for L steps "
                + "(Cold Stop), raises pass@1 by up to 2.48 points and cuts generated tokens by up to 22.4 %, "
                + "training-free.";
    }

    @Override
    public String analogue() {
        return "An N0 transformer (d 64, 2 layers, tied embeddings, T 64) learns a chained modular sum with a "
                + "written chain of thought (loss on thinking and answer only); a second N0 learns direct answers. "
                + "We decode the same problems greedily, by sampling (T 0.6, top-p 0.95, top-k 30), and with Soft "
                + "Thinking (max_topk 3/5, Cold Stop τ 0.01 nats, L 2/4 scaled from 256 for 30-token CoTs).";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 10;
            case QUICK -> 105; // measured 94–104 s
            case FULL -> 1200; // measured 678–896 s at 1 thread (session 2)
        };
    }

    /** The decoders evaluated for a CoT model. */
    static List<Decoders.Spec> cotDecoders(int samples, boolean noStop) {
        List<Decoders.Spec> d = new ArrayList<>(List.of(Decoders.Spec.greedy(), Decoders.Spec.sampled(samples),
                Decoders.Spec.identity()));
        for (int n : new int[]{3, 5}) {
            for (int L : new int[]{2, 4}) {
                d.add(Decoders.Spec.soft(n, L));
            }
        }
        if (noStop) { // decoder (d), needed by S5 (full profile)
            d.add(Decoders.Spec.soft(3, 0));
            d.add(PRIMARY_NO_STOP);
        }
        return d;
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Settings s = settings(ctx.profile());
        RandomStream root = ctx.random();
        List<Phases.ModelResult> cot = new ArrayList<>();
        for (int seed = 0; seed < s.seeds(); seed++) {
            String name = "cot-seed" + seed;
            int k = seed;
            cot.add(ctx.phase(name, Phases.ModelResult.class, () -> Phases.run(ctx, name, Phases.Task.CHAIN_COT,
                    root.child("cot").child(k), s.trainProblems(), 4, 8, s.cot(), s.splits(), cotDecoders(s.samples(), ctx.profile() != Profile.QUICK))));
        }
        Phases.ModelResult direct = ctx.phase("direct", Phases.ModelResult.class, () -> Phases.run(ctx, "direct",
                Phases.Task.CHAIN_DIRECT, root.child("direct"), s.trainProblems(), 4, 8, s.direct(), s.splits(),
                List.of(Decoders.Spec.direct())));
        Phases.ModelResult paths = s.paths() == null ? null : ctx.phase("paths", Phases.ModelResult.class,
                () -> Phases.run(ctx, "paths", Phases.Task.PATHS, root.child("paths"), s.trainProblems(), 8, 10,
                        s.paths(), List.of(s.pathSplit()), List.of(Decoders.Spec.greedy(), Decoders.Spec.sampled(s.samples()),
                                Decoders.Spec.identity(), PRIMARY, PRIMARY_NO_STOP)));
        return SoftReport.outcome(ctx.profile(), s, cot, direct, paths);
    }
}
