package org.tokenlab.experiments.hyperfitting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.data.Corpora;
import org.tokenlab.experiments.hyperfitting.Decoding.DecodeResult;
import org.tokenlab.experiments.hyperfitting.Decoding.Decoder;
import org.tokenlab.experiments.hyperfitting.HyperfitTraining.HyperfitResult;
import org.tokenlab.experiments.hyperfitting.HyperfitTraining.PretrainResult;
import org.tokenlab.experiments.hyperfitting.HyperfitTraining.Spec;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.Evaluation;

/**
 * Hyperfitting (Carlsson et al., ICLR 2025; papers.md §1): pre-train a small GPT, fine-tune it on a few
 * sequences to near-zero training loss, and compare greedy decoding of the base and hyperfitted models
 * (and nucleus sampling of the base) on held-out prompts: TTR, rep-4, entropy and top-1 probability on
 * held-out text, verbatim overlap with the hyperfit set, the 5-gram citation blocker, and (full profile)
 * seeds, data-quantity and shuffle ablations and the early-stopped baseline.
 */
public final class HyperfittingExperiment implements Experiment {

    /**
     * A profile's sizes and budgets (papers.md §1.3 quick and full tables).
     *
     * @param preset             model preset of the base (N0, N1)
     * @param pretrainSeconds    pre-training time box
     * @param minTokensPerSecond full: below this probe throughput N1 falls back to N0
     * @param hyperfitN          sequences in the main hyperfit set
     * @param lr                 main hyperfit learning rate (constant)
     * @param maxUpdates         main hyperfit: updates at most
     * @param evalEvery          updates between H / V loss evaluations (one epoch in quick and full)
     * @param stopLoss           quick: stop when the H loss is at most this; NaN: fixed updates
     * @param contexts           prompts decoded per decoder
     * @param genLen             generated tokens per prompt
     * @param curveSeqs          V sequences for the loss curve during hyperfitting
     * @param seeds              hyperfit data-order seeds (full: 3)
     * @param ablationN          data-quantity ablation sizes other than hyperfitN (full)
     * @param extraLr            full: a second learning rate (0: none)
     * @param exploreLr          an exploratory run at a higher lr (0: none); added after the first quick run
     *                           showed that lr 3e-4 does not reach near-zero loss; reported, never a verdict
     */
    record Plan(HyperfitData.Sizes sizes, boolean natural, String preset, double pretrainSeconds, int pretrainBatch,
                int pretrainMinSteps, int pretrainMaxSteps, double minTokensPerSecond, int hyperfitN, float lr,
                int maxUpdates, int evalEvery, double stopLoss, int contexts, int promptLen, int genLen, int curveSeqs,
                int seeds, int[] ablationN, float extraLr, float exploreLr) {

        int seqLen() {
            return sizes.seqLen();
        }

        boolean full() {
            return seeds > 1;
        }
    }

    private final Function<Profile, Plan> plans;

    /** The experiment with the plans of papers.md §1.3. */
    public HyperfittingExperiment() {
        this(HyperfittingExperiment::plan);
    }

    /** The experiment with other plans (tests run the full code path at toy sizes). */
    HyperfittingExperiment(Function<Profile, Plan> plans) {
        this.plans = plans;
    }

    static Plan plan(Profile p) {
        return switch (p) {
            case SMOKE -> new Plan(new HyperfitData.Sizes(60_000, 30_000, 8, 8, 128), false, "N0", 1, 4, 3, 3, 0,
                    8, 3e-4f, 3, 1, 0.15, 2, 32, 16, 8, 1, new int[0], 0f, 0f);
            case QUICK -> new Plan(new HyperfitData.Sizes(1_200_000, 300_000, 32, 64, 128), false, "N0", 60, 16, 100,
                    5000, 0, 32, 3e-4f, 60 * 32 / 8, 32 / 8, 0.15, 32, 32, 96, 16, 1, new int[0], 0f, 1e-3f);
            case FULL -> new Plan(new HyperfitData.Sizes(4_000_000, 1_000_000, 256, 128, 128), true, "N1", 480, 16, 50,
                    200_000, 1000, 256, 3e-4f, 20 * 256 / 8, 256 / 8, Double.NaN, 128, 32, 224, 16, 3,
                    new int[] {8, 16, 64}, 1e-4f, 1e-3f);
        };
    }

    @Override
    public String id() {
        return "hyperfitting";
    }

    @Override
    public String title() {
        return "The Hyperfitting Phenomenon: Sharpening and Stabilizing LLMs for Open-Ended Text Generation";
    }

    @Override
    public String paper() {
        return "Carlsson, Liu, Ward, Kurfali, Nivre; ICLR 2025; arXiv 2412.04318";
    }

    @Override
    public String claim() {
        return "Fine-tuning a pre-trained LM on a small set of sequences until the training loss is near zero "
                + "(\"hyperfitting\") makes greedy decoding far less repetitive (higher type-token ratio, preferred by "
                + "humans over top-p sampling of the base model) although validation loss gets worse: the predictive "
                + "distribution sharpens on unseen text (Llama 3.1 8B: entropy 3.47 → 1.46 nats, top-1 probability "
                + "48.4 → 74.4 %), and generations rarely copy the training data.";
    }

    @Override
    public String analogue() {
        return "Our own small GPT (N0/N1) pre-trained briefly on SYN (quick) or State of the Union text (full) with a "
                + "BPE-512 tokenizer degenerates under greedy decoding; we hyperfit it on 32 (quick) or 256 (full) "
                + "sequences of 128 tokens with Adam (no weight decay, batch 8, constant lr 3e-4 instead of 1e-6, "
                + "scaled to the model size), then decode 32-token held-out prompts greedily and with top-p 0.9 / "
                + "T 0.7 / top-k 50, and compare TTR over the last 96 generated tokens, rep-4, entropy and top-1 "
                + "probability on held-out text, and verbatim overlap with the hyperfit set.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return switch (profile) {
            case SMOKE -> 10;
            case QUICK -> 90; // measured 54–122 s
            case FULL -> 1500; // measured 1 198 s at 1 thread (session 2)
        };
    }

    /** Everything measured, as the phases return it (results.json is rebuilt from this on resume). */
    record Measured(String source, double bytesPerToken, int hyperfitN, PretrainResult pretrain,
                    Map<String, HyperfitResult> hyperfits, Map<String, DecodeResult> decodes,
                    Map<String, EvalResult> evals, double disagreement, HyperfitMetrics.Interval[] ci,
                    List<String> prompts, List<String> references) {
    }

    /** Loss, entropy and top-1 probability of one model on V. */
    record EvalResult(double loss, double entropy, double top1, double accuracy) {
        static EvalResult of(Evaluation e) {
            return new EvalResult(e.meanLoss(), e.meanEntropy(), e.meanTop1(), e.meanTop1Correct());
        }
    }

    /** The V evaluation of every model, and the top-1 disagreement of the shuffle replicates. */
    record Evals(Map<String, EvalResult> byModel, double disagreement) {
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Plan plan = plans.apply(ctx.profile());
        Optional<byte[]> nat = plan.natural() ? Corpora.sotu() : Optional.empty();
        HyperfitData data = HyperfitData.build(plan.natural(), nat, ctx.seed(), plan.sizes());
        nat.ifPresent(b -> ctx.recordData("hyperfitting/NAT sotu", b));
        ctx.log(String.format("data: %s; %,d pre-training tokens (%.2f bytes/token), %d H and %d V sequences",
                data.source(), data.pretrain().length, data.bytesPerToken(), data.hyperfit().size(),
                data.validation().size()));
        int T = plan.seqLen();
        Batch[] valBatches = HyperfitTraining.batches(data.validation(), HyperfitTraining.HYPERFIT_BATCH, T);
        Batch[] curveBatches = HyperfitTraining.batches(data.validation().subList(0, plan.curveSeqs()),
                HyperfitTraining.HYPERFIT_BATCH, T);

        PretrainResult pre = ctx.phase("pretrain", PretrainResult.class, () -> HyperfitTraining.pretrain(ctx, data, plan));
        ctx.tokens("pretrain", pre.tokens());

        Map<String, HyperfitResult> hf = new LinkedHashMap<>();
        List<Spec> specs = specs(plan, ctx.random());
        for (Spec s : specs) {
            HyperfitResult r = ctx.phase("hyperfit-" + s.name(), HyperfitResult.class,
                    () -> HyperfitTraining.hyperfit(ctx, data, s, curveBatches));
            ctx.tokens("hyperfit-" + s.name(), r.tokens());
            hf.put(s.name(), r);
        }

        List<int[]> mainSet = data.hyperfitSet(plan.hyperfitN());
        Map<String, DecodeResult> dec = new LinkedHashMap<>();
        List<String[]> jobs = decodeJobs(plan, specs);
        for (String[] job : jobs) { // {result name, weights name, decoder}
            String name = job[0];
            Decoder decoder = Decoder.valueOf(job[2]);
            DecodeResult r = ctx.phase("decode-" + name, DecodeResult.class, () -> Decoding.decode(name,
                    HyperfitTraining.load(ctx, job[1]), data, mainSet, decoder, plan.contexts(), plan.promptLen(),
                    plan.genLen(), ctx.random().child("decode").child(name)));
            dec.put(name, r);
        }

        List<String> evalModels = new ArrayList<>(List.of("base"));
        for (Spec s : specs) {
            if (s.n() == plan.hyperfitN()) {
                evalModels.add(s.name());
            }
        }
        Evals evals = ctx.phase("eval-V", Evals.class, () -> evaluate(ctx, evalModels, valBatches, plan.full()));

        HyperfitMetrics.Interval[] ci = new HyperfitMetrics.Interval[plan.seeds()];
        for (int s = 0; s < plan.seeds(); s++) {
            ci[s] = HyperfitMetrics.pairedBootstrap(dec.get("base-greedy").ttr(), dec.get(seedName(s) + "-greedy").ttr(),
                    2000, 0.95, ctx.random().child("bootstrap").child(s));
        }
        List<String> prompts = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (int c = 0; c < Math.min(Decoding.SAMPLES, plan.contexts()); c++) {
            int[] v = data.validation().get(c);
            prompts.add(data.text(Arrays.copyOf(v, plan.promptLen())));
            references.add(data.text(Arrays.copyOfRange(v, plan.promptLen(), v.length)));
        }
        Measured m = new Measured(data.source(), data.bytesPerToken(), plan.hyperfitN(), pre, hf, dec, evals.byModel(),
                evals.disagreement(), ci, prompts, references);
        return HyperfitReport.outcome(plan, m);
    }

    /** Name of the exploratory higher-lr run. */
    static final String EXPLORE = "lr-high";

    static String seedName(int s) {
        return s == 0 ? "main" : "seed" + s;
    }

    /** The hyperfitting runs of a profile: main (seed 0), other seeds, second lr, data-quantity ablation. */
    static List<Spec> specs(Plan plan, RandomStream root) {
        List<Spec> specs = new ArrayList<>();
        for (int s = 0; s < plan.seeds(); s++) {
            specs.add(new Spec(seedName(s), plan.hyperfitN(), plan.lr(), root.child("order").child(s).nextLong(),
                    plan.maxUpdates(), plan.evalEvery(), plan.stopLoss(), s == 0 && plan.full()));
        }
        long order0 = specs.get(0).orderSeed();
        if (plan.extraLr() > 0) {
            specs.add(new Spec("lr-low", plan.hyperfitN(), plan.extraLr(), order0, plan.maxUpdates(),
                    plan.evalEvery(), plan.stopLoss(), false));
        }
        if (plan.exploreLr() > 0) {
            specs.add(new Spec(EXPLORE, plan.hyperfitN(), plan.exploreLr(), order0, plan.maxUpdates(),
                    plan.evalEvery(), plan.stopLoss(), false));
        }
        for (int n : plan.ablationN()) { // fixed updates (the main run's), evaluated ~20 times
            specs.add(new Spec("N" + n, n, plan.lr(), order0, plan.maxUpdates(), Math.max(1, plan.maxUpdates() / 20),
                    Double.NaN, false));
        }
        return specs;
    }

    /** {result name, weights file, decoder} for every decoding the profile needs. */
    static List<String[]> decodeJobs(Plan plan, List<Spec> specs) {
        List<String[]> jobs = new ArrayList<>();
        jobs.add(new String[] {"base-greedy", "base", "GREEDY"});
        jobs.add(new String[] {"base-topp", "base", "TOP_P"});
        for (Spec s : specs) {
            jobs.add(new String[] {s.name() + "-greedy", s.name(), "GREEDY"});
        }
        if (plan.full()) {
            jobs.add(new String[] {"main-blocked", "main", "GREEDY_BLOCKED"});
            jobs.add(new String[] {"early-greedy", "main-early", "GREEDY"});
        }
        return jobs;
    }

    private static Evals evaluate(RunContext ctx, List<String> models, Batch[] val, boolean shuffle) {
        Map<String, EvalResult> out = new LinkedHashMap<>();
        for (String name : models) {
            out.put(name, EvalResult.of(Evaluation.of(HyperfitTraining.load(ctx, name), val)));
        }
        double disagreement = Double.NaN;
        if (shuffle) {
            Gpt a = HyperfitTraining.load(ctx, seedName(0));
            Gpt b = HyperfitTraining.load(ctx, seedName(1));
            disagreement = HyperfitMetrics.disagreement(Decoding.top1(a, val), Decoding.top1(b, val));
        }
        return new Evals(out, disagreement);
    }
}
