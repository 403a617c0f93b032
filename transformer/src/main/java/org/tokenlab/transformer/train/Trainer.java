package org.tokenlab.transformer.train;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.autograd.StepMemory;
import org.tokenlab.tensor.optim.AdamW;
import org.tokenlab.tensor.optim.GradClip;
import org.tokenlab.tensor.optim.LrSchedule;
import org.tokenlab.tensor.optim.Optimizer;
import org.tokenlab.tensor.optim.ParamGroup;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: for each optimiser step, {@code gradAccum} micro-batches of forward + backward,
 * a NaN/Inf check, global-norm clipping, one AdamW step at the scheduled learning rate; evaluation,
 * metrics, progress and checkpoints at their cadence. Everything random is a function of the seed, the
 * step and the data position, so {@link #restore resuming} continues bitwise like an uninterrupted run.
 */
public final class Trainer {
    private final Gpt model;
    private final TrainConfig cfg;
    private final BatchSource data;
    private final Batch[] evalBatches;
    private final Path outDir;
    private final PrintStream log;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final List<Tensor> params;
    private final List<String> names;
    /** Storages of one micro-step's activations and gradients, reused by the next (same values, no GC churn). */
    private final StepMemory memory = new StepMemory();
    private TrainState state;
    private Evaluation lastEval;
    private double lastLoss = Double.NaN;

    /**
     * @param evalBatches fixed evaluation batches, or an empty array for none
     * @param outDir      run folder for metrics.jsonl and checkpoints/, or null to write nothing
     * @param log         where progress lines go, or null for silence
     */
    public Trainer(Gpt model, TrainConfig cfg, BatchSource data, Batch[] evalBatches, Path outDir, PrintStream log) {
        this.model = model;
        this.cfg = cfg;
        this.data = data;
        this.evalBatches = evalBatches;
        this.outDir = outDir;
        this.log = log;
        this.params = new ArrayList<>(model.params().all().values());
        this.names = new ArrayList<>(model.params().all().keySet());
        this.optimizer = new AdamW(ParamGroup.decayMatrices(params, cfg.weightDecay()), cfg.lr(), cfg.beta1(),
                cfg.beta2(), cfg.adamEps());
        this.schedule = cfg.lrSchedule();
        this.state = new TrainState(0, 0, data.state(), 0);
    }

    /** Continues from checkpoint folder {@code dir} (weights, optimiser, data position, step). */
    public void restore(Path dir) {
        state = Checkpoint.restore(dir, model, optimizer);
        data.restore(state.dataState());
    }

    /** The model being trained. */
    public Gpt model() {
        return model;
    }

    public TrainState state() {
        return state;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The last evaluation, or null. */
    public Evaluation lastEval() {
        return lastEval;
    }

    /** The training loss of the last step. */
    public double lastLoss() {
        return lastLoss;
    }

    /** Trains until {@code cfg.steps()} steps are done; returns the final state. */
    public TrainState run() {
        return runUntil(cfg.steps());
    }

    /** Trains until {@code stopStep} steps are done (≤ cfg.steps(); for tests that stop half-way). */
    public TrainState runUntil(int stopStep) {
        MetricsLog metrics = outDir == null ? null : new MetricsLog(outDir.resolve("metrics.jsonl"), state.step());
        try {
            long t0 = System.nanoTime();
            double elapsedBefore = state.elapsedSeconds();
            long windowStart = System.nanoTime();
            long windowTokens = 0;
            while (state.step() < stopStep) {
                int step = state.step();
                float lr = schedule.lr(step);
                optimizer.setLr(lr);
                StepResult r = trainStep(step);
                windowTokens += r.tokens;
                state = new TrainState(step + 1, state.tokens() + r.tokens, data.state(),
                        elapsedBefore + (System.nanoTime() - t0) * 1e-9);
                lastLoss = r.loss;
                boolean last = state.step() == cfg.steps();
                if (state.step() % cfg.logEvery() == 0 || last || state.step() == stopStep) {
                    double secs = (System.nanoTime() - windowStart) * 1e-9;
                    double tps = windowTokens / Math.max(secs, 1e-9);
                    if (metrics != null) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("step", state.step());
                        m.put("tokens", state.tokens());
                        m.put("loss", r.loss);
                        m.put("lr", lr);
                        m.put("grad_norm", r.gradNorm);
                        m.put("tokens_per_s", Math.round(tps));
                        metrics.write(m);
                    }
                    progress(r, lr, tps);
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                }
                if (evalBatches.length > 0 && ((cfg.evalEvery() > 0 && state.step() % cfg.evalEvery() == 0) || last)) {
                    lastEval = Evaluation.of(model, evalBatches);
                    if (metrics != null) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("step", state.step());
                        m.put("eval_loss", lastEval.meanLoss());
                        m.put("eval_entropy", lastEval.meanEntropy());
                        m.put("eval_top1_prob", lastEval.meanTop1());
                        m.put("eval_accuracy", lastEval.meanTop1Correct());
                        metrics.write(m);
                    }
                    say(String.format("  eval @ %d: loss %.4f | entropy %.4f | top-1 %.3f", state.step(),
                            lastEval.meanLoss(), lastEval.meanEntropy(), lastEval.meanTop1()));
                }
                if (outDir != null && ((cfg.checkpointEvery() > 0 && state.step() % cfg.checkpointEvery() == 0) || last)) {
                    checkpoint();
                }
            }
            return state;
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /** Writes a checkpoint of the current state now and prunes old ones. */
    public Path checkpoint() {
        Path checkpoints = outDir.resolve("checkpoints");
        Path dir = Checkpoint.save(checkpoints, model, cfg.seed(), optimizer, cfg, state);
        Checkpoint.prune(checkpoints, cfg.keepCheckpoints());
        return dir;
    }

    private record StepResult(double loss, double gradNorm, long tokens) {
    }

    private StepResult trainStep(int step) {
        // last step's gradients are dead: the step pool takes their storages back (the optimizer's
        // zeroGrad would leave them to the garbage collector; on a GPU that costs a device allocation each)
        memory.reclaimGradients(params);
        double lossSum = 0;
        long tokens = 0;
        int accum = cfg.gradAccum();
        for (int micro = 0; micro < accum; micro++) {
            Batch b = data.next();
            float value;
            // the graph's tensors are dead after backward (StepMemory's contract): only the loss value is kept
            try (var scope = memory.open()) {
                Tensor loss = model.loss(b, true, (long) step * accum + micro);
                value = loss.item();
                if (!Float.isFinite(value)) {
                    throw new TrainingDiverged(step, "loss is " + value + " (micro-batch " + micro + ")");
                }
                (accum == 1 ? loss : loss.mul(1f / accum)).backward();
            }
            lossSum += value;
            tokens += b.countTargets();
        }
        double norm = GradClip.globalNorm(params);
        if (!Double.isFinite(norm)) {
            throw new TrainingDiverged(step, "gradient of " + firstNonFinite() + " is not finite");
        }
        float scale = cfg.gradClip() > 0 ? GradClip.scale(norm, cfg.gradClip()) : 1f;
        optimizer.step(scale);
        return new StepResult(lossSum / accum, norm, tokens);
    }

    private String firstNonFinite() {
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g != null && !Double.isFinite(Engine.backend().sumOfSquares(g.storage(), g.offset(), g.numel()))) {
                return names.get(i);
            }
        }
        return "an unknown tensor";
    }

    private void progress(StepResult r, float lr, double tps) {
        double perStep = state.elapsedSeconds() / Math.max(1, state.step());
        long eta = Math.round(perStep * (cfg.steps() - state.step()));
        say(String.format("step %d/%d | loss %.4f | lr %.2e | norm %.3f | %.0f tok/s | ETA %dm%02ds",
                state.step(), cfg.steps(), r.loss, lr, r.gradNorm, tps, eta / 60, eta % 60));
    }

    private void say(String line) {
        if (log != null) {
            log.println(line);
        }
    }
}
