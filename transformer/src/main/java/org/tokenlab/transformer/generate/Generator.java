package org.tokenlab.transformer.generate;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.model.KvCache;
import org.tokenlab.transformer.model.ModelInput;
import org.tokenlab.transformer.sample.Choice;
import org.tokenlab.transformer.sample.ColdStop;
import org.tokenlab.transformer.sample.ConceptSampler;
import org.tokenlab.transformer.sample.Sampler;
import org.tokenlab.transformer.sample.TokenBan;

import java.util.Arrays;

/**
 * KV-cached autoregressive generation for one sequence: token decoding with any {@link Sampler} and
 * {@link TokenBan}, and Soft Thinking decoding (concept tokens fed as embedding mixtures, with optional
 * Cold Stop). When the context would outgrow the block, the cache is rebuilt from the most recent
 * three quarters of the block (token decoding only), as nanoGPT crops its context.
 */
public final class Generator {
    private final Gpt model;
    private final long sequenceId;
    private final int maxTokens;
    private final float[] condition;
    private final int[] prefixTokens;

    /**
     * @param sequenceId keys the per-sequence randomness (the lexinvariant matrix); use distinct ids
     *                   for independent sequences
     */
    public Generator(Gpt model, long sequenceId) {
        this(model, sequenceId, null, null);
    }

    /** A generator whose sequence is conditioned on a prefix (an ADAPTER vector or TOKENS ids). */
    public Generator(Gpt model, long sequenceId, float[] condition, int[] prefixTokens) {
        this.model = model;
        this.sequenceId = sequenceId;
        this.maxTokens = model.config().maxTokens();
        this.condition = condition == null ? null : condition.clone();
        this.prefixTokens = prefixTokens == null ? null : prefixTokens.clone();
    }

    /**
     * Generates up to {@code maxNew} tokens after {@code prompt}, stopping after {@code stopToken}
     * (−1 for none).
     */
    public Generation generate(int[] prompt, int maxNew, Sampler sampler, TokenBan ban, RandomStream rng,
                               int stopToken) {
        return generateBatch(new int[][]{prompt}, new long[]{sequenceId}, maxNew, sampler, ban, rng, stopToken)[0];
    }

    /**
     * Generates for B prompts of equal length at once (one forward of B rows per step, much faster than B
     * single generations). Each row stops after {@code stopToken}; sampling draws row by row from
     * {@code rng} in row order. Rows are independent sequences keyed by {@code sequenceIds}; the prefix of
     * this generator (if any) is given to every row.
     */
    public Generation[] generateBatch(int[][] prompts, long[] sequenceIds, int maxNew, Sampler sampler, TokenBan ban,
                                      RandomStream rng, int stopToken) {
        int B = prompts.length;
        if (B == 0 || sequenceIds.length != B) {
            throw new IllegalArgumentException("generateBatch needs B >= 1 prompts and B sequence ids, got "
                    + B + " and " + sequenceIds.length);
        }
        int P = prompts[0].length;
        for (int[] p : prompts) {
            checkPrompt(p);
            if (p.length != P) {
                throw new IllegalArgumentException("generateBatch needs prompts of equal length, got " + P + " and " + p.length);
            }
        }
        try (var ng = Engine.noGrad()) {
            int[][] seq = new int[B][];
            for (int b = 0; b < B; b++) {
                seq[b] = Arrays.copyOf(prompts[b], P + maxNew);
            }
            int len = P;
            KvCache cache = model.newCache(B);
            float[][] logits = feed(cache, seq, sequenceIds, Math.max(0, len - maxTokens), len);
            double[][] ent = new double[B][maxNew];
            double[][] top = new double[B][maxNew];
            int[] produced = new int[B];
            boolean[] done = new boolean[B];
            for (int n = 0; n < maxNew; n++) {
                for (int b = 0; b < B; b++) {
                    Choice c = sampler.next(logits[b], seq[b], len, ban, rng);
                    seq[b][len] = c.token();
                    if (!done[b]) {
                        ent[b][n] = c.entropy();
                        top[b][n] = c.top1Prob();
                        produced[b]++;
                        done[b] = c.token() == stopToken;
                    }
                }
                len++;
                if (n == maxNew - 1 || allTrue(done)) {
                    break;
                }
                if (cache.length() == model.config().blockSize()) { // slide: re-encode the last 3/4 of the block
                    cache.clear();
                    logits = feed(cache, seq, sequenceIds, len - (3 * maxTokens) / 4, len);
                } else {
                    logits = feed(cache, seq, sequenceIds, len - 1, len);
                }
            }
            Generation[] out = new Generation[B];
            for (int b = 0; b < B; b++) {
                out[b] = new Generation(Arrays.copyOfRange(seq[b], P, P + produced[b]), Arrays.copyOf(ent[b], produced[b]),
                        Arrays.copyOf(top[b], produced[b]), 0, false);
            }
            return out;
        }
    }

    private static boolean allTrue(boolean[] a) {
        for (boolean x : a) {
            if (!x) {
                return false;
            }
        }
        return true;
    }

    /**
     * Soft Thinking (papers.md §5.1): after {@code prompt} (which ends inside the thinking block), each
     * thinking step builds a concept token with {@code concept} and feeds Σ wⱼ·E[idⱼ]; its arg-max is
     * the shown token. Thinking ends when the arg-max is {@code thinkEnd}, when {@code coldStop} (may be
     * null) fires, which replaces the step by {@code thinkEnd}, or after {@code maxThink} steps (then
     * {@code thinkEnd} is forced). {@code thinkEnd} is fed one-hot; the answer is then decoded with
     * {@code answer} for up to {@code maxAnswer} tokens or until {@code stopToken}. Everything must fit in
     * the block (no sliding for mixtures).
     */
    public Generation softThink(int[] prompt, ConceptSampler concept, ColdStop coldStop, int thinkEnd, int maxThink,
                                Sampler answer, int maxAnswer, RandomStream rng, int stopToken) {
        checkPrompt(prompt);
        if (prompt.length + maxThink + 1 + maxAnswer > maxTokens) {
            throw new IllegalArgumentException("soft thinking needs prompt (" + prompt.length + ") + maxThink ("
                    + maxThink + ") + 1 + maxAnswer (" + maxAnswer + ") <= " + maxTokens + " positions");
        }
        try (var ng = Engine.noGrad()) {
            int cap = maxThink + 1 + maxAnswer;
            int[] seq = Arrays.copyOf(prompt, prompt.length + cap);
            int len = prompt.length;
            double[] ent = new double[cap];
            double[] top = new double[cap];
            int n = 0;
            KvCache cache = model.newCache(1);
            float[] logits = feedTokens(cache, seq, 0, len);
            boolean stopped = false;
            int thinking = 0;
            while (true) { // thinking: concept tokens
                ConceptSampler.Concept c = concept.next(logits, seq, len, TokenBan.NONE);
                thinking++;
                int shown = c.top();
                boolean end = shown == thinkEnd;
                if (!end && coldStop != null && coldStop.observe(c.entropy())) {
                    end = true;
                    stopped = true;
                }
                if (!end && thinking > maxThink) {
                    end = true;
                }
                ent[n] = c.entropy();
                top[n] = c.top1Prob();
                n++;
                if (end) {
                    seq[len++] = thinkEnd;
                    logits = feedTokens(cache, seq, len - 1, len);
                    break;
                }
                seq[len++] = shown;
                logits = feedMixture(cache, c.ids(), c.weights());
            }
            if (coldStop != null) {
                coldStop.reset();
            }
            for (int a = 0; a < maxAnswer; a++) { // the answer: ordinary decoding
                Choice ch = answer.next(logits, seq, len, TokenBan.NONE, rng);
                seq[len++] = ch.token();
                ent[n] = ch.entropy();
                top[n] = ch.top1Prob();
                n++;
                if (ch.token() == stopToken || a == maxAnswer - 1) {
                    break;
                }
                logits = feedTokens(cache, seq, len - 1, len);
            }
            return new Generation(Arrays.copyOfRange(seq, prompt.length, len), Arrays.copyOf(ent, n),
                    Arrays.copyOf(top, n), thinking, stopped);
        }
    }

    /** Feeds seq[from..to) of this generator's sequence and returns the logits (V) of the last position. */
    private float[] feedTokens(KvCache cache, int[] seq, int from, int to) {
        return feed(cache, new int[][]{seq}, new long[]{sequenceId}, from, to)[0];
    }

    /** Feeds seq[b][from..to) for every row b and returns each row's last-position logits (V). */
    private float[][] feed(KvCache cache, int[][] seq, long[] ids, int from, int to) {
        int B = seq.length;
        int T = to - from;
        int V = model.config().vocabSize();
        int[] flat = new int[B * T];
        for (int b = 0; b < B; b++) {
            System.arraycopy(seq[b], from, flat, b * T, T);
        }
        ModelInput in = new ModelInput(B, T, 1, flat, null, ids, repeat(condition, B), repeat(prefixTokens, B));
        float[] all = model.logits(in, cache, false, 0).toArray(); // (B,T,V)
        float[][] last = new float[B][];
        for (int b = 0; b < B; b++) {
            last[b] = Arrays.copyOfRange(all, (b * T + T - 1) * V, (b * T + T) * V);
        }
        return last;
    }

    private static float[] repeat(float[] row, int B) {
        if (row == null) {
            return null;
        }
        float[] out = new float[row.length * B];
        for (int b = 0; b < B; b++) {
            System.arraycopy(row, 0, out, b * row.length, row.length);
        }
        return out;
    }

    private static int[] repeat(int[] row, int B) {
        if (row == null) {
            return null;
        }
        int[] out = new int[row.length * B];
        for (int b = 0; b < B; b++) {
            System.arraycopy(row, 0, out, b * row.length, row.length);
        }
        return out;
    }

    /** Feeds one position holding the mixture Σ wⱼ·E[idⱼ]. */
    private float[] feedMixture(KvCache cache, int[] ids, float[] weights) {
        boolean oneHot = ids.length == 1 && weights[0] == 1f; // exactly the token's embedding
        ModelInput in = new ModelInput(1, 1, ids.length, ids.clone(), oneHot ? null : weights.clone(),
                new long[]{sequenceId}, condition, prefixTokens);
        return lastRow(model.logits(in, cache, false, 0).toArray(), 1);
    }

    private float[] lastRow(float[] logits, int T) {
        int V = model.config().vocabSize();
        return Arrays.copyOfRange(logits, (T - 1) * V, T * V);
    }

    private void checkPrompt(int[] prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty; generation needs at least one token");
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= model.config().vocabSize()) {
                throw new IllegalArgumentException("prompt token " + prompt[i] + " at " + i + " is outside [0, "
                        + model.config().vocabSize() + ")");
            }
        }
    }
}
