package org.tokenlab.experiments.prior;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.prior.CaptionWorld.Example;
import org.tokenlab.experiments.prior.CaptionWorld.Image;
import org.tokenlab.experiments.prior.PriorTraining.Variant;
import org.tokenlab.tensor.io.AtomicFiles;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.TimeBox;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * PRIOR (Chen, Peng, Zhang, Ji 2025; papers.md §6): a caption-only reference model scores every caption
 * token; conditional models are trained with plain next-token prediction (NTP) or with PRIOR's weights
 * (1 − P_r)^α normalised per caption, and compared on held-out images. Quick: encoder-free, seed 0.
 * Full: both variants × 5 seeds, α and normalisation ablations, pure-noise ids (P6), and a scaling grid
 * over step budgets ×1, ×2, ×4 and d ∈ {64, 96} (P5).
 */
public final class PriorExperiment implements Experiment {
    static final int D = 64;
    /** Untimed steps before a time-box probe (JIT warm-up). */
    static final int WARMUP_STEPS = 15;
    /** Timed steps of a time-box probe (after the warm-up). */
    static final int PROBE_STEPS = 10;
    /**
     * Fixed cost per evaluated model in seconds: 8 learning-curve points (≈ 0.4 s) + final metrics on 400
     * held-out captions (1.0–2.6 s measured at 1 thread, load ≈ 10).
     */
    static final double EVAL_SECONDS = 3;

    /** Phase result of a reference model: its design statistics; P_r itself lies in checkpoints/. */
    public record Reference(String name, int steps, long tokens, double evalNll, double wImage, double wBoiler,
                            double wFiller, double wNoise, double pointBiserial, String probsFile) {
    }

    /** Phase result of one conditional model. */
    public record Trained(String name, String variant, String method, int d, int steps, long tokens, long params,
                          PriorEval.Metrics metrics, double[] curveSteps, double[] curveAccuracy) {
        double compute() {
            return 6.0 * params * tokens;
        }
    }

    /** A training method: NTP (uniform), or PRIOR with α and a normalisation. */
    record Method(String label, double alpha, PriorWeights.Norm norm) {
        static final Method NTP = new Method("NTP", 0, null);
        static final Method PRIOR = new Method("PRIOR", 1.0, PriorWeights.Norm.CAPTION);
    }

    /**
     * Sizes of one profile. Data (papers.md §6.2 "limited data: 2 000 unique image–caption pairs, with
     * multiple filler variants per image"): 500 training images × 4 captions = 2 000 pairs. Budgets in
     * seconds per run of each kind; the full profile's boxes are sized so that their sum stays well under
     * 30 minutes with one thread on a shared machine (see {@link #boxSeconds}).
     */
    record Plan(int trainImages, int captionsPerImage, int evalImages, int curveCaptions, double refSeconds,
                double targetSeconds, double encoderSeconds, int minSteps, int seeds, boolean full) {
        static Plan of(Profile p) {
            return switch (p) {
                case SMOKE -> new Plan(100, 2, 24, 16, 1, 1, 1, 6, 1, false);
                case QUICK -> new Plan(500, 4, 300, 128, 20, 30, 30, 60, 1, false);
                case FULL -> new Plan(500, 4, 400, 128, 20, 20, 20, 60, 5, true);
            };
        }

        /**
         * Σ of the time boxes' budgets (training only, in seconds). The d = 96 grid runs take the d = 64 step
         * counts; a d = 96 step is counted as 2 d = 64 steps (measured 1.54×, interleaved, 1 thread).
         */
        double boxSeconds() {
            if (!full) {
                return refSeconds + 2 * targetSeconds;
            }
            // references: clean + pure-noise world; encoder-free: 2·seeds main + 3 ablations + 2 noise runs
            // + grid (d = 64: S/4 and S/2 per method, S is a main run; d = 96: S/4 + S/2 + S per method at 2×);
            // encoder: 2·seeds main.
            double efRuns = 2.0 * seeds + 3 + 2 + 2 * 0.75 + 2 * 2 * 1.75;
            return 2 * refSeconds + efRuns * targetSeconds + 2.0 * seeds * encoderSeconds;
        }

        /**
         * Trained models, each evaluated once (and 8 times on the learning-curve captions): full = main runs of
         * both variants, 3 ablations, 2 pure-noise runs, and the grid's 4 new d = 64 and 6 d = 96 runs.
         */
        int evaluatedRuns() {
            return full ? 2 * seeds + 3 + 2 + 2 * 2 + 2 * 3 + 2 * seeds : 2;
        }
    }

    /** The data of one world: training and held-out captions. */
    record Data(List<Example> train, List<Example> eval, List<Example> curve, int T) {
    }

    private final Function<Profile, Plan> plans;

    public PriorExperiment() {
        this(Plan::of);
    }

    /** With other profile sizes (tests: the full profile's whole path at smoke sizes). */
    PriorExperiment(Function<Profile, Plan> plans) {
        this.plans = plans;
    }

    @Override
    public String id() {
        return "prior";
    }

    @Override
    public String title() {
        return "Prioritizing Image-Related Tokens Enhances Vision-Language Pre-Training";
    }

    @Override
    public String paper() {
        return "Chen, Peng, Zhang, Ji; arXiv 2505.08971 (PRIOR)";
    }

    @Override
    public String claim() {
        return "Weighting caption tokens by (1 − P_r)^α, where P_r is a caption-only reference LM's probability, focuses "
                + "vision-language pre-training on image-related tokens: +19 % (with encoder) and +8 % (encoder-free) "
                + "average relative improvement over next-token prediction, less hallucination, higher scaling coefficients.";
    }

    @Override
    public String analogue() {
        return "Images are attribute tuples (shape 8, colour 8, count 1–5, position 4, size 3); 500 training images × 4 "
                + "captions (2 000 pairs), held-out images for evaluation; captions come from a template grammar mixing image "
                + "slots, boilerplate and image-independent filler. The image enters either as 6 discrete patch tokens "
                + "(encoder-free) or as a noisy 40-d feature vector through a learned MLP adapter to 4 prefix vectors (encoder). "
                + "A caption-only N0 transformer is the reference model.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 15;
            case QUICK, FULL -> estimate(Plan.of(profile));
        };
    }

    /**
     * Budgets plus fixed costs: JVM start, data and the untimed warm-up of each probe (≈ 15 s), and the
     * evaluation of every trained model. The boxes are measured on a throw-away model after a short JIT
     * warm-up, so the runs themselves usually take less than their budget on a quiet machine; a rising load
     * during the run stretches them instead.
     */
    static long estimate(Plan plan) {
        return Math.round(15 + plan.boxSeconds() + plan.evaluatedRuns() * EVAL_SECONDS);
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Plan plan = plans.apply(ctx.profile());
        CaptionWorld world = new CaptionWorld(ctx.random().child("world"));
        Data clean = data(world, plan, false, ctx.random().child("data"));
        int seeds = plan.seeds();
        Map<String, Trained> runs = new LinkedHashMap<>();
        int refSteps = steps(ctx, "reference", plan.refSeconds(), plan, world, clean, Variant.TEXT, D);
        List<Variant> variants = plan.full() ? List.of(Variant.ENCODER_FREE, Variant.ENCODER) : List.of(Variant.ENCODER_FREE);
        Map<Variant, Integer> targetSteps = new LinkedHashMap<>();
        for (Variant v : variants) {
            double budget = v == Variant.ENCODER ? plan.encoderSeconds() : plan.targetSeconds();
            targetSteps.put(v, steps(ctx, "target-" + v.label, budget, plan, world, clean, v, D));
        }
        // One reference model for every seed (papers.md §6.2 full: "reference + {NTP, PRIOR} × 5 seeds × 2
        // variants"): the seeds vary the targets' initialisation and batch order, P_r stays fixed.
        Reference ref = reference(ctx, world, clean, "reference", refSteps);
        List<Reference> refs = List.of(ref);
        float[][] probs0 = readProbs(ctx.checkpoints().resolve(ref.probsFile()));
        for (int s = 0; s < seeds; s++) {
            for (Variant v : variants) {
                for (Method m : List.of(Method.NTP, Method.PRIOR)) {
                    Trained t = target(ctx, world, clean, probs0, v, m, D, targetSteps.get(v), s, "");
                    runs.put(t.name(), t);
                }
            }
        }
        PriorReport.Full extra = null;
        if (plan.full()) {
            int S = targetSteps.get(Variant.ENCODER_FREE);
            List<Trained> ablations = new ArrayList<>();
            for (Method m : List.of(new Method("PRIOR α=0.5", 0.5, PriorWeights.Norm.CAPTION),
                    new Method("PRIOR α=2", 2.0, PriorWeights.Norm.CAPTION),
                    new Method("PRIOR per-batch", 1.0, PriorWeights.Norm.BATCH))) {
                ablations.add(target(ctx, world, clean, probs0, Variant.ENCODER_FREE, m, D, S, 0, ""));
            }
            Data noisy = data(world, plan, true, ctx.random().child("data-noise"));
            Reference refNoise = reference(ctx, world, noisy, "reference-noise", refSteps);
            float[][] probsNoise = readProbs(ctx.checkpoints().resolve(refNoise.probsFile()));
            List<Trained> noise = List.of(
                    target(ctx, world, noisy, probsNoise, Variant.ENCODER_FREE, Method.NTP, D, S, 0, "noise-"),
                    target(ctx, world, noisy, probsNoise, Variant.ENCODER_FREE, Method.PRIOR, D, S, 0, "noise-"));
            List<Trained> grid = new ArrayList<>();
            for (int d : new int[] {64, 96}) {
                for (int mult : new int[] {1, 2, 4}) {
                    for (Method m : List.of(Method.NTP, Method.PRIOR)) {
                        grid.add(target(ctx, world, clean, probs0, Variant.ENCODER_FREE, m, d, Math.max(1, S * mult / 4), 0, ""));
                    }
                }
            }
            extra = new PriorReport.Full(ablations, refNoise, noise, grid);
        }
        return PriorReport.outcome(ctx.profile(), plan, clean, world, refs, runs, extra, ctx.timeBoxes());
    }

    /** Training and held-out captions: distinct images, several captions per training image. */
    static Data data(CaptionWorld world, Plan plan, boolean noise, RandomStream rng) {
        List<Image> all = new ArrayList<>(CaptionWorld.allImages());
        int[] perm = new int[all.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        rng.child("split").shuffle(perm);
        List<Example> train = new ArrayList<>();
        for (int i = 0; i < plan.trainImages(); i++) {
            for (int c = 0; c < plan.captionsPerImage(); c++) {
                train.add(world.caption(all.get(perm[i]), noise, rng.child("train").child(i).child(c)));
            }
        }
        List<Example> eval = new ArrayList<>();
        for (int i = 0; i < plan.evalImages(); i++) {
            eval.add(world.caption(all.get(perm[plan.trainImages() + i]), noise, rng.child("eval").child(i)));
        }
        int T = Math.max(PriorTraining.maxLength(train), PriorTraining.maxLength(eval));
        return new Data(train, eval, eval.subList(0, Math.min(plan.curveCaptions(), eval.size())), T);
    }

    /** The time box of one kind of run, measured on a throw-away model (the step count fixes the schedule). */
    private static int steps(RunContext ctx, String name, double budget, Plan plan, CaptionWorld world, Data data,
                             Variant v, int d) {
        PriorTraining.Run probe = new PriorTraining.Run(PriorTraining.config(v, world.vocabSize(), data.T(), d), 1L, v,
                data.train(), null, data.T(), RandomStream.root(1L));
        if (ctx.profile() != Profile.SMOKE) {
            for (int i = 0; i < WARMUP_STEPS; i++) {
                probe.step(); // untimed: a cold JVM would make the probe (and so the budget) several times too small
            }
        }
        int probeSteps = Math.min(PROBE_STEPS, plan.minSteps());
        TimeBox tb = ctx.timeBox(name, budget, probe.tokensPerStep(), probeSteps, plan.minSteps(), 50_000, probe::step);
        return (int) tb.steps();
    }

    private static Reference reference(RunContext ctx, CaptionWorld world, Data data, String name, int steps)
            throws Exception {
        return ctx.phase(name, Reference.class, () -> {
            RandomStream r = ctx.random().child(name);
            PriorTraining.Run run = new PriorTraining.Run(PriorTraining.config(Variant.TEXT, world.vocabSize(), data.T(), D),
                    r.child("init").nextLong(), Variant.TEXT, data.train(), null, data.T(), r.child("order"));
            run.until(steps, Math.max(1, steps / 10), step -> ctx.metric(name, step, Map.of("loss", run.lastLoss)));
            float[][] probs = PriorEval.referenceProbs(run.model, data.train(), data.T());
            String file = name + ".pr.bin";
            writeProbs(ctx.checkpoints().resolve(file), probs);
            float[][] w = new float[probs.length][];
            byte[][] cls = new byte[probs.length][];
            for (int i = 0; i < probs.length; i++) {
                w[i] = PriorWeights.raw(probs[i], 1.0);
                cls[i] = data.train().get(i).classes();
            }
            double[] nll = PriorEval.nllByClass(PriorEval.score(run.model, Variant.TEXT, data.eval(), data.T(), null, null),
                    data.eval());
            double evalNll = mean(nll, data.eval());
            ctx.tokens(name, run.tokens);
            return new Reference(name, steps, run.tokens, evalNll,
                    PriorWeights.meanByClass(w, cls, CaptionWorld.IMAGE), PriorWeights.meanByClass(w, cls, CaptionWorld.BOILER),
                    PriorWeights.meanByClass(w, cls, CaptionWorld.FILLER), PriorWeights.meanByClass(w, cls, CaptionWorld.NOISE),
                    PriorWeights.pointBiserial(w, cls, CaptionWorld.IMAGE), file);
        });
    }

    /** Token-weighted mean of the per-class NLLs (the caption NLL per token). */
    private static double mean(double[] nllByClass, List<Example> data) {
        long[] n = new long[nllByClass.length];
        for (Example e : data) {
            for (byte c : e.classes()) {
                n[c]++;
            }
        }
        double s = 0;
        long total = 0;
        for (int c = 0; c < n.length; c++) {
            if (n[c] > 0) {
                s += nllByClass[c] * n[c];
                total += n[c];
            }
        }
        return s / total;
    }

    private static Trained target(RunContext ctx, CaptionWorld world, Data data, float[][] probs, Variant v, Method m,
                                  int d, int steps, int seed, String tag) throws Exception {
        String name = tag + v.label + "-" + m.label().replace(' ', '_') + "-d" + d + "-n" + steps + "-s" + seed;
        return ctx.phase(name, Trained.class, () -> {
            float[][] weights = null;
            if (m.norm() != null) {
                weights = new float[probs.length][];
                for (int i = 0; i < probs.length; i++) {
                    weights[i] = PriorWeights.lossWeights(probs[i], m.alpha(), m.norm());
                }
            }
            // NTP and PRIOR of one seed share the initialisation and the batch order: a paired comparison.
            RandomStream r = ctx.random().child("target").child(v.label).child("d" + d).child(seed);
            PriorTraining.Run run = new PriorTraining.Run(PriorTraining.config(v, world.vocabSize(), data.T(), d),
                    r.child("init").nextLong(), v, data.train(), weights, data.T(), r.child("order"));
            List<Double> cs = new ArrayList<>(), ca = new ArrayList<>();
            run.until(steps, Math.max(1, steps / 8), step -> {
                double acc = PriorEval.tfAccuracy(run.model, v, data.curve(), data.T());
                cs.add((double) step);
                ca.add(acc);
                ctx.metric(name, step, Map.of("loss", run.lastLoss, "tfAccuracy", acc));
            });
            PriorEval.Metrics metrics = PriorEval.evaluate(world, run.model, v, data.eval(), data.T(),
                    ctx.random().child("eval-distractors"), 4);
            long params = 0;
            for (Tensor p : run.model.params().all().values()) {
                params += p.numel();
            }
            ctx.tokens(name, run.tokens);
            return new Trained(name, v.label, m.label(), d, steps, run.tokens, params, metrics,
                    cs.stream().mapToDouble(Double::doubleValue).toArray(), ca.stream().mapToDouble(Double::doubleValue).toArray());
        });
    }

    static void writeProbs(Path file, float[][] probs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(probs.length);
            for (float[] p : probs) {
                out.writeInt(p.length);
                for (float x : p) {
                    out.writeFloat(x);
                }
            }
        }
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, bytes.toByteArray());
    }

    static float[][] readProbs(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("reference probabilities " + file + " are missing; delete phases.json entries of the "
                    + "reference phase to recompute them");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(Files.readAllBytes(file)))) {
            float[][] p = new float[in.readInt()][];
            for (int i = 0; i < p.length; i++) {
                p[i] = new float[in.readInt()];
                for (int t = 0; t < p[i].length; t++) {
                    p[i][t] = in.readFloat();
                }
            }
            return p;
        }
    }
}
