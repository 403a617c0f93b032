package org.tokenlab.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments the runner knows, by id, in the order {@code run all} runs them. The six of papers.md
 * are registered in {@link #defaults()}; those not implemented yet are {@link NotImplementedExperiment}s
 * and say so.
 */
public final class ExperimentRegistry {
    private final Map<String, Experiment> byId = new LinkedHashMap<>();

    /** A registry of the given experiments (tests use this with fake experiments). */
    public static ExperimentRegistry of(Experiment... experiments) {
        ExperimentRegistry r = new ExperimentRegistry();
        for (Experiment e : experiments) {
            if (r.byId.putIfAbsent(e.id(), e) != null) {
                throw new IllegalArgumentException("experiment id '" + e.id() + "' registered twice");
            }
        }
        return r;
    }

    /** The six experiments of papers.md. */
    public static ExperimentRegistry defaults() {
        return of(
                new NotImplementedExperiment("hyperfitting",
                        "The Hyperfitting Phenomenon",
                        "Carlsson, Liu, Ward, Kurfali, Nivre; ICLR 2025; arXiv 2412.04318",
                        "Fine-tuning a pre-trained LM to near-zero training loss on a small set of samples sharpens "
                                + "its predictions and makes greedy generation less repetitive, although validation loss gets worse.",
                        "A small GPT pre-trained briefly on SYN (full: NAT) is hyperfitted on 32 (full: 256) sequences; "
                                + "entropy, top-1 probability and the type-token ratio of greedy continuations are compared with the base model.",
                        120, 1800),
                new NotImplementedExperiment("lexinvariant",
                        "Lexinvariant Language Models",
                        "Huang, Zelikman, Chen, Wu, Valiant, Liang; NeurIPS 2023; arXiv 2305.16349",
                        "A transformer whose token embeddings are fresh random Gaussian vectors for every sequence can still "
                                + "model language: its perplexity gap to a standard LM shrinks with context length, and it deciphers substitution ciphers in context.",
                        "Character-level standard and lexinvariant GPTs on SYN (full: NAT); per-position loss, the loss on "
                                + "ciphered text, and (full) a decipher probe and synthetic tasks.",
                        100, 1800),
                new NotImplementedExperiment("equal-info",
                        "Training LLMs over Neurally Compressed Text",
                        "Lester, Lee, Alemi, Pennington, Roberts, Sohl-Dickstein, Constant; TMLR 2024; arXiv 2404.03626",
                        "Text arithmetic-coded by a small LM (AC) is unlearnable for a second LM, while Equal-Info windows "
                                + "(reset the coder every W bits) make compressed text learnable.",
                        "An order-2 byte n-gram M1 drives a 14-bit range coder over SYN; M2 GPTs are trained on bytes, AC "
                                + "and EqualInfoAC[16] tokens.",
                        90, 1800),
                new NotImplementedExperiment("tokenization",
                        "Toward a Theory of Tokenization in LLMs",
                        "Rajaraman, Jiao, Ramchandran; NeurIPS 2024; arXiv 2404.08335",
                        "On k-th order Markov data, transformers without tokenization stay stuck near the unigram loss, "
                                + "while even a unigram model over good tokens (BPE, LZW) approaches the entropy rate.",
                        "An order-4 switching Markov source (p = q = 0.1); unigram-over-BPE losses against H(π) and H∞, "
                                + "and character-level versus BPE-128 GPTs.",
                        100, 1800),
                new NotImplementedExperiment("soft-thinking",
                        "Soft Thinking",
                        "Zhang et al.; arXiv 2505.15778",
                        "Feeding the probability-weighted mixture of embeddings (a concept token) instead of a sampled token "
                                + "during chain-of-thought improves accuracy and shortens reasoning, with Cold Stop ending low-entropy thinking.",
                        "A small GPT trained on chained modular arithmetic with a chain of thought; greedy, sampled and "
                                + "soft-thinking decoders compared on accuracy and thinking length.",
                        100, 1800),
                new NotImplementedExperiment("prior",
                        "PRIOR: Prioritizing Image-Related Tokens",
                        "Chen, Peng, Zhang, Ji; arXiv 2505.08971",
                        "Weighting caption tokens by (1 − P_ref)^α, the improbability under a text-only reference LM, focuses "
                                + "training on image-related tokens and improves vision-language models over plain next-token prediction.",
                        "Synthetic attribute-tuple \"images\" with template captions; a text-only reference GPT sets the token "
                                + "weights; NTP and PRIOR GPTs are compared on teacher-forced attribute accuracy.",
                        90, 1800));
    }

    /** The experiment with this id, or an error listing the known ids. */
    public Experiment get(String id) {
        Experiment e = byId.get(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + id + "'; known: " + String.join(", ", ids()) + ", all");
        }
        return e;
    }

    /** Ids in run order. */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    /** All experiments in run order. */
    public List<Experiment> all() {
        return new ArrayList<>(byId.values());
    }

    /** Replaces an experiment (used when a real implementation supersedes a placeholder). */
    public ExperimentRegistry with(Experiment e) {
        if (!byId.containsKey(e.id())) {
            throw new IllegalArgumentException("no experiment '" + e.id() + "' to replace");
        }
        byId.put(e.id(), e);
        return this;
    }
}
