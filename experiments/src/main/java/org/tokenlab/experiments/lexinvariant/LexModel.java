package org.tokenlab.experiments.lexinvariant;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.train.Batch;
import org.tokenlab.transformer.train.RowStats;

/**
 * One of the three language models compared (papers.md §2.1, §2.4 L6):
 * <ul>
 *   <li><b>STANDARD</b>: learned embedding table, tied head.</li>
 *   <li><b>LEXINVARIANT</b>: the transformer's LEXINVARIANT input mode, a fresh Gaussian G (V,C) per
 *       sequence with entries N(0, 1/C), used for the inputs and as the head, logits = (h·Gᵀ)·s.</li>
 *   <li><b>SEMI</b> (semi-lexinvariant): a standard model in which, for each training sequence, every
 *       token <i>type</i> is swapped with probability p for a random vector. Implemented with S extra
 *       input rows ("slots") of the embedding table that are redrawn from N(0, σ²) before every step (σ =
 *       the RMS of the learned rows), so they are never learned; the head is untied (V+S rows) and
 *       evaluation scores only the V real ids. Evaluation does not swap (like dropout).</li>
 * </ul>
 * The model's vocabulary is V (V+S for SEMI); {@link #visibleVocab()} is V.
 */
final class LexModel {
    /** Which model. */
    enum Kind { STANDARD, LEXINVARIANT, SEMI }

    /** The semi-lexinvariant swap probability (papers.md §2.1: p = 0.2). */
    static final double SEMI_P = 0.2;

    private final Kind kind;
    private final Gpt gpt;
    private final int V;
    private final int slots;

    /** A freshly initialised model of {@code kind} over V ids with the shape of {@code base}. */
    LexModel(Kind kind, GptConfig base, int V, long seed) {
        this.kind = kind;
        this.V = V;
        this.slots = kind == Kind.SEMI ? Math.max(4, (V + 1) / 2) : 0;
        GptConfig cfg = switch (kind) {
            case STANDARD -> base.withVocabSize(V).withInputMode(GptConfig.InputMode.EMBEDDING);
            case LEXINVARIANT -> base.withVocabSize(V).withInputMode(GptConfig.InputMode.LEXINVARIANT);
            case SEMI -> base.withVocabSize(V + slots).withInputMode(GptConfig.InputMode.EMBEDDING).withTiedHead(false);
        };
        this.gpt = new Gpt(cfg, seed);
    }

    Kind kind() {
        return kind;
    }

    Gpt gpt() {
        return gpt;
    }

    int visibleVocab() {
        return V;
    }

    /** The training batch this model sees: for SEMI the swapped inputs (and freshly redrawn slot rows). */
    Batch prepare(Batch b, RandomStream r) {
        if (kind != Kind.SEMI) {
            return b;
        }
        redrawSlots(r.child("slots"));
        return swapTypes(b, V, slots, SEMI_P, r.child("swap"));
    }

    /**
     * The semi-lexinvariant input swap: in each row, each type v (drawn in id order, one uniform per
     * type) is swapped with probability p for the next free slot V, V+1, … (at most {@code slots} types
     * per row; slots are shared by the rows of a batch, which each see them as unrelated random vectors).
     * Targets are unchanged.
     */
    static Batch swapTypes(Batch b, int V, int slots, double p, RandomStream r) {
        int[] in = b.inputs().clone();
        int T = b.T();
        for (int row = 0; row < b.B(); row++) {
            RandomStream rr = r.child(row);
            int[] slotOf = new int[V];
            int next = 0;
            for (int v = 0; v < V; v++) {
                boolean swap = rr.nextDouble() < p;
                slotOf[v] = swap && next < slots ? V + next++ : v;
            }
            for (int t = 0; t < T; t++) {
                in[row * T + t] = slotOf[in[row * T + t]];
            }
        }
        return new Batch(b.B(), T, in, b.targets(), b.weights(), b.sequenceIds(), b.condition(), b.prefixTokens());
    }

    private void redrawSlots(RandomStream r) {
        Tensor wte = gpt.params().get("transformer.wte.weight"); // (V+S, C)
        int C = gpt.config().nEmbd();
        try (var ng = Engine.noGrad()) {
            float[] learned = wte.slice(0, 0, V).contiguous().toArray();
            double ss = 0;
            for (float x : learned) {
                ss += x * (double) x;
            }
            float sigma = (float) Math.sqrt(ss / learned.length);
            wte.slice(0, V, V + slots).copyFrom(Tensor.randn(r, sigma, slots, C));
        }
    }

    /** Final-layer hidden states (B,T,C) of a batch, without dropout. */
    float[] hidden(Batch b) {
        try (var ng = Engine.noGrad()) {
            return gpt.hidden(ModelInput.of(b), null, false, 0).toArray();
        }
    }

    /**
     * Next-token loss (nats) of every row of every batch, over the V real ids only: {@code out[k][row]}
     * for batch k and flat row b·T+t; NaN where the target is IGNORE. Also records the arg-max.
     */
    Scored score(Batch[] batches) {
        double[][] loss = new double[batches.length][];
        int[][] argmax = new int[batches.length][];
        int Vm = gpt.config().vocabSize();
        try (var ng = Engine.noGrad()) {
            for (int k = 0; k < batches.length; k++) {
                Batch b = batches[k];
                float[] z = gpt.logits(ModelInput.of(b)).toArray(); // (B,T,Vm)
                int rows = b.B() * b.T();
                loss[k] = new double[rows];
                argmax[k] = new int[rows];
                for (int row = 0; row < rows; row++) {
                    int off = row * Vm;
                    RowStats r = RowStats.of(z, off, V); // over the first V logits only
                    argmax[k][row] = r.argmax();
                    int target = b.targets()[row];
                    loss[k][row] = target == Batch.IGNORE ? Double.NaN : r.logSumExp() - z[off + target];
                }
            }
        }
        return new Scored(loss, argmax);
    }

    /** Per-row losses and arg-max predictions of {@link #score}. */
    record Scored(double[][] loss, int[][] argmax) {
    }

    /**
     * Mean loss at each position (T entries) and of each window (one entry per sequence, in batch order)
     * over LM batches (no IGNORE targets).
     */
    Losses losses(Batch[] batches) {
        int T = batches[0].T();
        Scored s = score(batches);
        double[] sum = new double[T];
        long[] n = new long[T];
        java.util.List<Double> windows = new java.util.ArrayList<>();
        for (int k = 0; k < batches.length; k++) {
            double[] w = new double[batches[k].B()];
            for (int row = 0; row < s.loss()[k].length; row++) {
                double l = s.loss()[k][row];
                sum[row % T] += l;
                n[row % T]++;
                w[row / T] += l / T;
            }
            for (double x : w) {
                windows.add(x);
            }
        }
        for (int t = 0; t < T; t++) {
            sum[t] = n[t] == 0 ? Double.NaN : sum[t] / n[t];
        }
        return new Losses(sum, windows.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Per-position and per-window mean losses of {@link #losses}. */
    record Losses(double[] perPosition, double[] perWindow) {
    }
}
