package org.tokenlab.theory.bounds;

import java.util.ArrayList;
import java.util.List;
import org.tokenlab.theory.markov.MarkovSource;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.GreedyTokenizer;
import org.tokenlab.theory.tokenize.Lzw;
import org.tokenlab.theory.tokenize.Pretokenizer;
import org.tokenlab.theory.tokenize.Tokenizer;

/**
 * The tokenization-bound calculation of papers.md §4: the cross-entropy per character of the best
 * unigram model over a tokenizer's tokens, and how much of the gap between the character-unigram loss
 * H(π₁) and the entropy rate H∞ it closes.
 *
 * <p>L = −Σ_i ln q(t_i) / #characters(test), with q fitted on the tokens of a training stream
 * ({@link UnigramTokenModel}, add-λ) and t the tokens of a separate test stream. Closure =
 * (H(π₁) − L) / (H(π₁) − H∞): 0 is no better than characters, 1 is optimal, negative is worse.
 */
public final class TokenizationBounds {
    private TokenizationBounds() {
    }

    /** Tokenizer families of the dictionary-size sweeps. */
    public enum Family {
        /** BPE trained on the training stream with d − A merges (no pretokenizer). */
        BPE,
        /** Greedy longest match over the BPE-d vocabulary (the "sequential" encoder). */
        GREEDY_BPE,
        /** Greedy longest match over the first d LZW entries of the training stream. */
        LZW
    }

    /** One point of a sweep: tokenizer, dictionary size d, loss per character, closure, characters per token. */
    public record Point(String tokenizer, int dictionarySize, double lossPerChar, double closure, double charsPerToken) {
    }

    /** L for {@code tokenizer}: unigram fitted on {@code train}, measured per character of {@code test}. */
    public static double unigramLossPerChar(Tokenizer tokenizer, byte[] train, byte[] test, double lambda) {
        return measure(tokenizer, train, test, lambda)[0];
    }

    /** {L, characters per test token}. */
    private static double[] measure(Tokenizer tokenizer, byte[] train, byte[] test, double lambda) {
        if (test.length == 0) {
            throw new IllegalArgumentException("empty test stream");
        }
        UnigramTokenModel q = UnigramTokenModel.fit(tokenizer.encode(train), tokenizer.vocabSize(), lambda);
        int[] testTokens = tokenizer.encode(test);
        return new double[] {q.totalNats(testTokens) / test.length, test.length / (double) testTokens.length};
    }

    /** (H(π₁) − L) / (H(π₁) − H∞). */
    public static double closure(double unigramEntropy, double entropyRate, double loss) {
        double gap = unigramEntropy - entropyRate;
        if (!(gap > 0)) {
            throw new IllegalArgumentException("no gap to close: H(π₁) = " + unigramEntropy + ", H∞ = " + entropyRate);
        }
        return (unigramEntropy - loss) / gap;
    }

    /** The tokenizer of {@code family} with dictionary size {@code d}, built from {@code train}. */
    public static Tokenizer build(Family family, byte[] train, Alphabet alphabet, int d) {
        return switch (family) {
            case BPE -> BpeTrainer.trainToVocab(train, d, alphabet, Pretokenizer.NONE);
            case GREEDY_BPE -> GreedyTokenizer.overBpe(BpeTrainer.trainToVocab(train, d, alphabet, Pretokenizer.NONE));
            case LZW -> Lzw.tokenizer(train, alphabet, d);
        };
    }

    /**
     * Loss and closure for each dictionary size of {@code family} on a Markov source: tokenizers and the
     * unigram model are fitted on {@code train}, measured on {@code test} (both streams of the source).
     */
    public static List<Point> sweep(MarkovSource source, byte[] train, byte[] test, Family family, int[] sizes, double lambda) {
        int[] symbols = new int[source.alphabetSize()];
        java.util.Arrays.setAll(symbols, i -> i);
        Alphabet alphabet = Alphabet.ofValues(symbols);
        double h1 = source.unigramEntropy();
        double hInf = source.entropyRate();
        BpeTokenizer largest = null;
        if (family != Family.LZW) { // BPE vocabularies are nested: train once, truncate per size
            int maxD = java.util.Arrays.stream(sizes).max().orElse(alphabet.size());
            largest = BpeTrainer.trainToVocab(train, maxD, alphabet, Pretokenizer.NONE);
        }
        List<Point> points = new ArrayList<>();
        for (int d : sizes) {
            Tokenizer t;
            if (family == Family.LZW) {
                t = Lzw.tokenizer(train, alphabet, d);
            } else {
                if (d < alphabet.size() || d > largest.vocabSize()) {
                    throw new IllegalStateException("BPE on this stream gives " + largest.vocabSize()
                            + " tokens at most; cannot make d = " + d);
                }
                BpeTokenizer bpe = largest.truncated(d - alphabet.size());
                t = family == Family.BPE ? bpe : GreedyTokenizer.overBpe(bpe);
            }
            double[] m = measure(t, train, test, lambda);
            points.add(new Point(family.name().toLowerCase(java.util.Locale.ROOT) + "-" + d, d, m[0], closure(h1, hInf, m[0]), m[1]));
        }
        return points;
    }
}
