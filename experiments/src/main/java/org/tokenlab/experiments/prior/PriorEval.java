package org.tokenlab.experiments.prior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.experiments.prior.CaptionWorld.Example;
import org.tokenlab.experiments.prior.CaptionWorld.Image;
import org.tokenlab.experiments.prior.PriorTraining.Variant;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.KvCache;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.train.Batch;

/**
 * The measurements of the PRIOR analogue on held-out images (papers.md §6.2): teacher-forced attribute
 * accuracy (arg-max at each image slot given the gold prefix), NLL by token class, retrieval of the true
 * image against 4 distractors that each differ in one attribute (by conditional log-likelihood of the
 * caption), and greedy free generation scored for attribute accuracy and hallucination (the share of
 * mentioned attribute values that contradict the image, a CHAIR analogue).
 */
public final class PriorEval {
    static final int EVAL_BATCH = 64;
    static final int DISTRACTOR_IMAGES = 4;

    private PriorEval() {
    }

    /** Everything measured on one model. {@code nll} is indexed by token class. */
    public record Metrics(double tfAccuracy, double[] nll, double retrieval, double genAccuracy,
                          double hallucination, List<String> samples) {
    }

    /** Per caption token: log P(target) and whether the arg-max equals the target; (N, len) ragged. */
    record Scored(double[][] logp, boolean[][] hit) {
    }

    /** Teacher-forced scores of every caption of {@code data} under the variant's own image encodings. */
    static Scored score(Gpt model, Variant v, List<Example> data, int T, int[][] patches, float[][] features) {
        double[][] logp = new double[data.size()][];
        boolean[][] hit = new boolean[data.size()][];
        int V = model.config().vocabSize();
        try (var ng = Engine.noGrad()) {
            for (int s = 0; s < data.size(); s += EVAL_BATCH) {
                int B = Math.min(EVAL_BATCH, data.size() - s);
                int[] idx = new int[B];
                for (int b = 0; b < B; b++) {
                    idx[b] = s + b;
                }
                Batch batch = PriorTraining.batch(data, idx, T, v, null,
                        patches == null ? null : Arrays.copyOfRange(patches, s, s + B),
                        features == null ? null : Arrays.copyOfRange(features, s, s + B));
                float[] z = model.logits(ModelInput.of(batch)).toArray(); // (B,T,V)
                for (int b = 0; b < B; b++) {
                    int len = data.get(s + b).tokens().length;
                    logp[s + b] = new double[len];
                    hit[s + b] = new boolean[len];
                    for (int t = 0; t < len; t++) {
                        int off = (b * T + t) * V;
                        int target = batch.targets()[b * T + t];
                        int arg = argmax(z, off, V);
                        logp[s + b][t] = z[off + target] - logSumExp(z, off, V);
                        hit[s + b][t] = arg == target;
                    }
                }
            }
        }
        return new Scored(logp, hit);
    }

    /** P_r(tᵢ | t&lt;ᵢ) of every caption token under a caption-only model. */
    static float[][] referenceProbs(Gpt reference, List<Example> data, int T) {
        Scored s = score(reference, Variant.TEXT, data, T, null, null);
        float[][] p = new float[data.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new float[s.logp[i].length];
            for (int t = 0; t < p[i].length; t++) {
                p[i][t] = (float) Math.exp(s.logp[i][t]);
            }
        }
        return p;
    }

    /** Share of IMAGE-class tokens whose teacher-forced arg-max is right. */
    static double tfAccuracy(Scored s, List<Example> data) {
        long hits = 0, n = 0;
        for (int i = 0; i < data.size(); i++) {
            byte[] cls = data.get(i).classes();
            for (int t = 0; t < cls.length; t++) {
                if (cls[t] == CaptionWorld.IMAGE) {
                    hits += s.hit[i][t] ? 1 : 0;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : (double) hits / n;
    }

    /** Mean −log P per token class (NaN for a class with no tokens). */
    static double[] nllByClass(Scored s, List<Example> data) {
        double[] sum = new double[CaptionWorld.CLASS_NAMES.length];
        long[] n = new long[sum.length];
        for (int i = 0; i < data.size(); i++) {
            byte[] cls = data.get(i).classes();
            for (int t = 0; t < cls.length; t++) {
                sum[cls[t]] -= s.logp[i][t];
                n[cls[t]]++;
            }
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] = n[c] == 0 ? Double.NaN : sum[c] / n[c];
        }
        return sum;
    }

    /** Teacher-forced attribute accuracy alone (learning curves). */
    static double tfAccuracy(Gpt model, Variant v, List<Example> data, int T) {
        return tfAccuracy(score(model, v, data, T, null, null), data);
    }

    /** Every metric on {@code data}; distractor images and their encoder noise come from {@code rng}. */
    static Metrics evaluate(CaptionWorld world, Gpt model, Variant v, List<Example> data, int T, RandomStream rng,
                            int samples) {
        Scored own = score(model, v, data, T, null, null);
        double[] total = sums(own);
        int[] wins = new int[data.size()];
        Arrays.fill(wins, 1);
        for (int k = 0; k < DISTRACTOR_IMAGES; k++) {
            int[][] patches = new int[data.size()][];
            float[][] features = new float[data.size()][];
            for (int i = 0; i < data.size(); i++) {
                Example e = data.get(i);
                Image d = distractor(e.image(), k, rng.child(i));
                patches[i] = CaptionWorld.patches(d, e.patches()[CaptionWorld.ATTRIBUTES] - CaptionWorld.ONE_HOT);
                features[i] = world.features(d, rng.child(i).child("noise-" + k));
            }
            double[] other = sums(score(model, v, data, T, patches, features));
            for (int i = 0; i < data.size(); i++) {
                if (other[i] >= total[i]) {
                    wins[i] = 0;
                }
            }
        }
        double retrieval = Arrays.stream(wins).average().orElse(Double.NaN);
        int[][] generated = generate(model, v, data, T);
        long correct = 0, wrong = 0, mentions = 0;
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int[] m = mentions(world, generated[i], data.get(i).image());
            correct += m[0];
            wrong += m[1];
            mentions += m[2];
            if (i < samples) {
                shown.add(CaptionWorld.describe(data.get(i).image()) + " → " + world.text(generated[i]));
            }
        }
        double genAcc = (double) correct / (data.size() * (double) CaptionWorld.ATTRIBUTES);
        double halluc = mentions == 0 ? 0.0 : (double) wrong / mentions;
        return new Metrics(tfAccuracy(own, data), nllByClass(own, data), retrieval, genAcc, halluc, shown);
    }

    /** The image with attribute type {@code (k + skip) % 5} changed to another value; skip is drawn once. */
    static Image distractor(Image img, int k, RandomStream rng) {
        int skip = rng.child("skip").nextInt(CaptionWorld.ATTRIBUTES);
        int type = (skip + 1 + k) % CaptionWorld.ATTRIBUTES; // 4 distinct types, all but 'skip'
        int[] a = img.attr().clone();
        a[type] = (a[type] + 1 + rng.child("value-" + k).nextInt(CaptionWorld.ARITY[type] - 1)) % CaptionWorld.ARITY[type];
        return new Image(a);
    }

    /**
     * Attribute mentions of a generated caption: {attribute types named correctly (at most one each),
     * mentions that contradict the image, all mentions}.
     */
    static int[] mentions(CaptionWorld world, int[] tokens, Image img) {
        boolean[] right = new boolean[CaptionWorld.ATTRIBUTES];
        int wrong = 0, all = 0;
        for (int t : tokens) {
            if (t == CaptionWorld.EOS) {
                break;
            }
            int type = world.attributeType(t);
            if (type < 0) {
                continue;
            }
            all++;
            if (world.attributeValue(t) == img.get(type)) {
                right[type] = true;
            } else {
                wrong++;
            }
        }
        int correct = 0;
        for (boolean r : right) {
            correct += r ? 1 : 0;
        }
        return new int[] {correct, wrong, all};
    }

    /**
     * Greedy captions of every image, all sequences of a batch advanced in lock-step through a KV cache:
     * BOS (with the image prefix) first, then one new position per step, so a caption of T tokens costs
     * T single-position forwards instead of the T²/2 positions of re-encoding the whole prefix each step.
     * A finished row keeps emitting EOS (its later logits are ignored).
     */
    static int[][] generate(Gpt model, Variant v, List<Example> data, int T) {
        int[][] out = new int[data.size()][T];
        int V = model.config().vocabSize();
        try (var ng = Engine.noGrad()) {
            for (int s = 0; s < data.size(); s += EVAL_BATCH) {
                int B = Math.min(EVAL_BATCH, data.size() - s);
                long[] seq = new long[B];
                int[] patches = v == Variant.ENCODER_FREE ? new int[B * CaptionWorld.PATCHES] : null;
                float[] cond = v == Variant.ENCODER ? new float[B * CaptionWorld.FEATURE_DIM] : null;
                int[] ids = new int[B]; // (B,1): the token fed at this step
                for (int b = 0; b < B; b++) {
                    seq[b] = s + b;
                    ids[b] = CaptionWorld.BOS;
                    if (patches != null) {
                        System.arraycopy(data.get(s + b).patches(), 0, patches, b * CaptionWorld.PATCHES, CaptionWorld.PATCHES);
                    }
                    if (cond != null) {
                        System.arraycopy(data.get(s + b).features(), 0, cond, b * CaptionWorld.FEATURE_DIM, CaptionWorld.FEATURE_DIM);
                    }
                }
                KvCache cache = model.newCache(B);
                for (int t = 0; t < T; t++) {
                    // the prefix is read only while the cache is empty (t = 0)
                    float[] z = model.logits(new ModelInput(B, 1, 1, ids.clone(), null, seq, cond, patches), cache, false, 0)
                            .toArray(); // (B,1,V)
                    for (int b = 0; b < B; b++) {
                        boolean done = t > 0 && out[s + b][t - 1] == CaptionWorld.EOS;
                        out[s + b][t] = done ? CaptionWorld.EOS : argmax(z, b * V, V);
                        ids[b] = out[s + b][t];
                    }
                }
            }
        }
        return out;
    }

    private static double[] sums(Scored s) {
        double[] total = new double[s.logp.length];
        for (int i = 0; i < total.length; i++) {
            for (double x : s.logp[i]) {
                total[i] += x;
            }
        }
        return total;
    }

    static int argmax(float[] z, int off, int V) {
        int arg = 0;
        for (int v = 1; v < V; v++) {
            if (z[off + v] > z[off + arg]) {
                arg = v;
            }
        }
        return arg;
    }

    static double logSumExp(float[] z, int off, int V) {
        double max = z[off + argmax(z, off, V)];
        double s = 0;
        for (int v = 0; v < V; v++) {
            s += Math.exp(z[off + v] - max);
        }
        return max + Math.log(s);
    }
}
