package org.tokenlab.transformer.sample;

import org.tokenlab.tensor.rng.RandomStream;

import java.util.List;

/**
 * Chooses the next token from one row of logits (V): greedy (temperature 0) or sampling from
 * softmax(logits / temperature) after the filters (top-k, top-p, min-p, in the order given). A
 * {@link TokenBan} removes tokens before anything else (their logits become −∞). Sampling draws one
 * uniform from the caller's {@link RandomStream}, so a seeded stream gives the same text twice.
 */
public record Sampler(float temperature, List<ProbabilityFilter> filters) {

    public Sampler {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        filters = List.copyOf(filters);
    }

    /** Arg-max decoding. */
    public static Sampler greedy() {
        return new Sampler(0f, List.of());
    }

    /**
     * Temperature sampling with optional truncations, applied top-k → top-p → min-p; pass
     * {@code topK <= 0}, {@code topP >= 1}, {@code minP <= 0} to skip one.
     */
    public static Sampler of(float temperature, int topK, double topP, double minP) {
        java.util.ArrayList<ProbabilityFilter> f = new java.util.ArrayList<>();
        if (topK > 0) {
            f.add(ProbabilityFilter.topK(topK));
        }
        if (topP < 1) {
            f.add(ProbabilityFilter.topP(topP));
        }
        if (minP > 0) {
            f.add(ProbabilityFilter.minP(minP));
        }
        return new Sampler(temperature, f);
    }

    /** Whether this sampler is greedy. */
    public boolean isGreedy() {
        return temperature == 0f;
    }

    /**
     * Picks the next token after {@code seq[0..len)}. {@code logits} (V) is not modified.
     *
     * @param rng the stream to draw from; unused (may be null) when greedy
     */
    public Choice next(float[] logits, int[] seq, int len, TokenBan ban, RandomStream rng) {
        double[] model = Distribution.softmax(logits, 1.0);
        double entropy = Distribution.entropy(model);
        double top1 = Distribution.max(model);
        float[] allowed = applyBan(logits, seq, len, ban);
        int token;
        if (isGreedy()) {
            token = Distribution.argmax(allowed);
        } else {
            double[] p = Distribution.softmax(allowed, temperature);
            for (ProbabilityFilter filter : filters) {
                filter.apply(p);
            }
            token = Distribution.draw(p, rng.nextDouble());
        }
        return new Choice(token, entropy, top1);
    }

    /** A copy of {@code logits} with banned tokens at −∞ (the same array when nothing is banned). */
    static float[] applyBan(float[] logits, int[] seq, int len, TokenBan ban) {
        if (ban == null || ban == TokenBan.NONE) {
            return logits;
        }
        boolean[] banned = new boolean[logits.length];
        ban.ban(seq, len, banned);
        float[] out = logits;
        for (int v = 0; v < banned.length; v++) {
            if (banned[v]) {
                if (out == logits) {
                    out = logits.clone();
                }
                out[v] = Float.NEGATIVE_INFINITY;
            }
        }
        return out;
    }
}
