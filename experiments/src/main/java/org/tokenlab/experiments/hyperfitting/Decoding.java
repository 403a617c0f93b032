package org.tokenlab.experiments.hyperfitting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.eval.SubstringIndex;
import org.tokenlab.transformer.eval.TextMetrics;
import org.tokenlab.transformer.generate.Generation;
import org.tokenlab.transformer.generate.Generator;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.sample.NGramBlocker;
import org.tokenlab.transformer.sample.Sampler;
import org.tokenlab.transformer.sample.TokenBan;
import org.tokenlab.transformer.train.Batch;

/**
 * Open-ended generation from held-out prompts and its measures (papers.md §1.1, §1.3): for each context
 * the first {@code promptLen} tokens of a validation sequence are the prompt, {@code genLen} tokens are
 * generated, and the continuation is scored by TTR over its last 96 tokens, rep-4, and its longest
 * verbatim overlap with the hyperfit set H.
 */
final class Decoding {
    /** The TTR window of the paper's code ({@code gen_ttr_window_size}). */
    static final int TTR_WINDOW = 96;
    /** Verbatim overlap of this many tokens counts as a citation (papers.md §1.3). */
    static final int OVERLAP_MIN = 10;
    /** The citation blocker's n-gram length. */
    static final int BLOCK_N = 5;
    /** Sample continuations kept per decoder for the report. */
    static final int SAMPLES = 3;

    private Decoding() {
    }

    /** The decoders of the design: greedy, nucleus (top-p 0.9, T 0.7, top-k 50), and greedy with the 5-gram blocker. */
    enum Decoder { GREEDY, TOP_P, GREEDY_BLOCKED }

    /**
     * The measures of one decoder over every context.
     *
     * @param ttr        per context, TTR over the last 96 generated tokens
     * @param rep4       per context, rep-4 of the continuation
     * @param overlap    per context, longest verbatim overlap with H (tokens)
     * @param samples    the first {@link #SAMPLES} continuations as text
     */
    record DecodeResult(String name, double[] ttr, double[] rep4, int[] overlap, double meanStepEntropy,
                        List<String> samples) {

        double meanTtr() {
            return HyperfitMetrics.mean(ttr);
        }

        double meanRep4() {
            return HyperfitMetrics.mean(rep4);
        }

        /** Share of continuations whose longest overlap with H is at least {@link #OVERLAP_MIN} tokens. */
        double shareCited() {
            return HyperfitMetrics.shareAtLeast(overlap, OVERLAP_MIN);
        }

        int longestOverlap() {
            return Arrays.stream(overlap).max().orElse(0);
        }
    }

    /** Generates from every prompt with {@code decoder} and measures the continuations. */
    static DecodeResult decode(String name, Gpt model, HyperfitData data, List<int[]> hyperfitSet, Decoder decoder,
                               int contexts, int promptLen, int genLen, RandomStream rng) {
        SubstringIndex index = new SubstringIndex(hyperfitSet);
        Sampler sampler = decoder == Decoder.TOP_P ? Sampler.of(0.7f, 50, 0.9, 0) : Sampler.greedy();
        TokenBan ban = decoder == Decoder.GREEDY_BLOCKED ? new NGramBlocker(BLOCK_N, index) : TokenBan.NONE;
        double[] ttr = new double[contexts];
        double[] rep = new double[contexts];
        int[] overlap = new int[contexts];
        double entropy = 0;
        List<String> samples = new ArrayList<>();
        for (int c = 0; c < contexts; c++) {
            int[] prompt = Arrays.copyOf(data.validation().get(c), promptLen);
            Generation g = new Generator(model, c).generate(prompt, genLen, sampler, ban, rng.child(c), -1);
            ttr[c] = TextMetrics.ttr(g.tokens(), TTR_WINDOW);
            rep[c] = TextMetrics.repN(g.tokens(), 4);
            overlap[c] = TextMetrics.longestOverlap(g.tokens(), index);
            entropy += g.meanEntropy();
            if (c < SAMPLES) {
                samples.add(data.text(g.tokens()));
            }
        }
        return new DecodeResult(name, ttr, rep, overlap, entropy / contexts, samples);
    }

    /** The arg-max prediction at every target position of {@code batches} (IGNORE positions skipped). */
    static int[] top1(Gpt model, Batch[] batches) {
        int V = model.config().vocabSize();
        List<Integer> out = new ArrayList<>();
        try (var ng = Engine.noGrad()) {
            for (Batch b : batches) {
                float[] logits = model.logits(ModelInput.of(b)).toArray(); // (B,T,V)
                for (int row = 0; row < b.B() * b.T(); row++) {
                    if (b.targets()[row] == Batch.IGNORE) {
                        continue;
                    }
                    int arg = 0;
                    for (int v = 1; v < V; v++) {
                        if (logits[row * V + v] > logits[row * V + arg]) {
                            arg = v;
                        }
                    }
                    out.add(arg);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
