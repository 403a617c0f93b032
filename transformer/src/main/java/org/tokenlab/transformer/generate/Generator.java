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
        checkPrompt(prompt);
        try (var ng = Engine.noGrad()) {
            int[] seq = Arrays.copyOf(prompt, prompt.length + maxNew);
            int len = prompt.length;
            KvCache cache = model.newCache(1);
            float[] logits = feedTokens(cache, seq, Math.max(0, len - maxTokens), len);
            double[] ent = new double[maxNew];
            double[] top = new double[maxNew];
            int n = 0;
            while (n < maxNew) {
                Choice c = sampler.next(logits, seq, len, ban, rng);
                seq[len++] = c.token();
                ent[n] = c.entropy();
                top[n] = c.top1Prob();
                n++;
                if (c.token() == stopToken || n == maxNew) {
                    break;
                }
                if (cache.length() == model.config().blockSize()) { // slide: re-encode the last 3/4 of the block
                    cache.clear();
                    logits = feedTokens(cache, seq, len - (3 * maxTokens) / 4, len);
                } else {
                    logits = feedTokens(cache, seq, len - 1, len);
                }
            }
            return new Generation(Arrays.copyOfRange(seq, prompt.length, len), Arrays.copyOf(ent, n),
                    Arrays.copyOf(top, n), 0, false);
        }
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
                top[n] = c.weights()[0];
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

    /** Feeds seq[from..to) and returns the logits (V) of the last position. */
    private float[] feedTokens(KvCache cache, int[] seq, int from, int to) {
        int T = to - from;
        ModelInput in = new ModelInput(1, T, 1, Arrays.copyOfRange(seq, from, to), null, new long[]{sequenceId},
                condition, prefixTokens);
        return lastRow(model.logits(in, cache, false, 0).toArray(), T);
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
