package org.tokenlab.experiments.softthinking;

import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.generate.Generation;
import org.tokenlab.transformer.generate.Generator;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.sample.ColdStop;
import org.tokenlab.transformer.sample.ConceptSampler;
import org.tokenlab.transformer.sample.Sampler;
import org.tokenlab.transformer.sample.TokenBan;

import java.util.List;

/**
 * The decoders compared in papers.md §5.3: (a) greedy CoT, (b) sampled CoT (T 0.6, top-p 0.95, top-k 30),
 * (c) Soft Thinking (T 0.6, top-k 30, top-p 0.95, min-p 0.001, max_topk n) with Cold Stop (τ, L),
 * (d) Soft Thinking without Cold Stop, (e) the direct-answer model (greedy). Each decodes one problem
 * into a {@link Decoded}; all randomness comes from the stream passed in.
 */
final class Decoders {
    private Decoders() {
    }

    /** Sampling settings shared by sampled CoT, the concept tokens and the answer after soft thinking. */
    static final float TEMPERATURE = 0.6f;
    static final int TOP_K = 30;
    static final double TOP_P = 0.95;
    static final double MIN_P = 0.001;
    /** Cold Stop's entropy threshold in nats (the published default). */
    static final double TAU = 0.01;

    /** What kind of decoding a {@link Spec} asks for. */
    enum Kind { GREEDY, SAMPLED, SOFT, DIRECT }

    /**
     * One decoder.
     *
     * @param name     label in tables
     * @param kind     the decoding family
     * @param maxTopk  SOFT: mixture size n
     * @param patience SOFT: Cold Stop patience L, 0 for no Cold Stop
     * @param samples  SAMPLED: samples per problem averaged into pass@1, else 1
     */
    record Spec(String name, Kind kind, int maxTopk, int patience, int samples) {
        static Spec greedy() {
            return new Spec("greedy CoT", Kind.GREEDY, 0, 0, 1);
        }

        static Spec sampled(int samples) {
            return new Spec("sampled CoT (" + samples + ")", Kind.SAMPLED, 0, 0, samples);
        }

        static Spec soft(int maxTopk, int patience) {
            return new Spec("soft n=" + maxTopk + (patience > 0 ? " L=" + patience : " no-stop"), Kind.SOFT,
                    maxTopk, patience, 1);
        }

        /** The S1 identity decoder: max_topk = 1, no Cold Stop, greedy answer. */
        static Spec identity() {
            return new Spec("soft n=1 no-stop (identity)", Kind.SOFT, 1, 0, 1);
        }

        static Spec direct() {
            return new Spec("direct answer", Kind.DIRECT, 0, 0, 1);
        }
    }

    /**
     * One problem decoded.
     *
     * @param correct      per sample, whether it solved the problem
     * @param thinking     per sample, thinking tokens up to and including {@code </think>}
     * @param coldStopped  whether Cold Stop fired (SOFT)
     * @param tokens       the first sample's generated tokens (the arg-max trace for SOFT)
     * @param entropies    SOFT: entropy (nats, at T 0.6, before truncation) of each thinking step; else empty
     */
    record Decoded(boolean[] correct, int[] thinking, boolean coldStopped, int[] tokens, double[] entropies) {
    }

    /** Decodes {@code p} with {@code spec}; {@code answerTokens} is how many tokens follow {@code </think>}. */
    static Decoded decode(Gpt model, Tasks.Problem p, Spec spec, int answerTokens, RandomStream r) {
        int T = model.config().blockSize();
        Generator g = new Generator(model, 0);
        int maxNew = T - p.prompt().length;
        return switch (spec.kind()) {
            case GREEDY, DIRECT -> token(p, List.of(g.generate(p.prompt(), maxNew, Sampler.greedy(), TokenBan.NONE,
                    null, Tasks.EOS)), answerTokens);
            case SAMPLED -> {
                Sampler s = Sampler.of(TEMPERATURE, TOP_K, TOP_P, 0);
                Generation[] gens = new Generation[spec.samples()];
                for (int i = 0; i < gens.length; i++) {
                    gens[i] = g.generate(p.prompt(), maxNew, s, TokenBan.NONE, r.child(i), Tasks.EOS);
                }
                yield token(p, List.of(gens), answerTokens);
            }
            case SOFT -> {
                boolean identity = spec.maxTopk() == 1 && spec.patience() == 0;
                ConceptSampler concept = new ConceptSampler(TEMPERATURE, TOP_K, TOP_P, MIN_P, spec.maxTopk());
                ColdStop stop = spec.patience() > 0 ? new ColdStop(TAU, spec.patience()) : null;
                Sampler answer = identity ? Sampler.greedy() : Sampler.of(TEMPERATURE, TOP_K, TOP_P, 0);
                int maxThink = T - p.prompt().length - 1 - answerTokens;
                Generation gen = g.softThink(p.prompt(), concept, stop, Tasks.END_THINK, maxThink, answer, answerTokens,
                        r, Tasks.EOS);
                double[] ent = java.util.Arrays.copyOf(gen.entropies(), gen.thinkingSteps());
                yield new Decoded(new boolean[]{Tasks.correct(p, gen.tokens())},
                        new int[]{Tasks.thinkingLength(gen.tokens())}, gen.coldStopped(), gen.tokens(), ent);
            }
        };
    }

    /**
     * Token decoders get the same answer budget as soft thinking: the output is cut {@code answerTokens}
     * tokens after {@code </think>} (after the prompt for direct answers), so that the S1 comparison is
     * between equal budgets and not between a 3-token answer and whatever an OOD model rambles on with.
     */
    private static Decoded token(Tasks.Problem p, List<Generation> gens, int answerTokens) {
        boolean[] ok = new boolean[gens.size()];
        int[] think = new int[gens.size()];
        boolean cot = p.prompt()[p.prompt().length - 1] == Tasks.THINK;
        int[] first = null;
        for (int i = 0; i < ok.length; i++) {
            int[] t = answerBudget(gens.get(i).tokens(), cot, answerTokens);
            ok[i] = Tasks.correct(p, t);
            think[i] = cot ? Tasks.thinkingLength(t) : 0;
            first = first == null ? t : first;
        }
        return new Decoded(ok, think, false, first, new double[0]);
    }

    /** {@code tokens} cut {@code answerTokens} after {@code </think>} (or after the start when not thinking). */
    static int[] answerBudget(int[] tokens, boolean cot, int answerTokens) {
        int end = cot ? Tasks.indexOf(tokens, Tasks.END_THINK) : -1;
        if (cot && end < 0) {
            return tokens;
        }
        return java.util.Arrays.copyOf(tokens, Math.min(tokens.length, end + 1 + answerTokens));
    }
}
