package org.tokenlab.theory.tokenize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A seeded generator of English-like ASCII text for tests and benchmarks: words from a fixed lexicon of
 * 200 common English words drawn with Zipf weights (rank r has weight 1/r), sentences of 4–16 words
 * with a capitalised first word, occasional commas, a full stop, and a paragraph break every few
 * sentences. Not a language model: only its statistics (short frequent words, spaces, punctuation) are
 * English-like, which is what tokenizer and coder benchmarks need. The same (length, seed) gives the same
 * bytes.
 */
public final class WordSalad {
    private static final String[] LEXICON = ("the of and to a in is you that it he was for on are as with his they i "
            + "at be this have from or one had by word but not what all were we when your can said there use an each "
            + "which she do how their if will up other about out many then them these so some her would make like him "
            + "into time has look two more write go see number no way could people my than first water been call who "
            + "oil its now find long down day did get come made may part over new sound take only little work know "
            + "place year live me back give most very after thing our just name good sentence man think say great "
            + "where help through much before line right too mean old any same tell boy follow came want show also "
            + "around form three small set put end does another well large must big even such because turn here why "
            + "ask went men read need land different home us move try kind hand picture again change off play spell "
            + "air away animal house point page letter mother answer found study still learn should world high every "
            + "near add food between own below country plant last school father keep tree never start city earth eye")
            .split(" ");
    private static final double[] CDF = zipfCdf(LEXICON.length);

    private WordSalad() {
    }

    /** Exactly {@code bytes} bytes of text from {@code seed}. */
    public static byte[] generate(int bytes, long seed) {
        if (bytes < 0) {
            throw new IllegalArgumentException("length " + bytes + " < 0");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 128);
        StringBuilder sentence = new StringBuilder();
        int sentencesInParagraph = 0;
        while (out.size() < bytes) {
            sentence.setLength(0);
            int words = 4 + rng.nextInt(13);
            for (int w = 0; w < words; w++) {
                String word = LEXICON[draw(rng)];
                if (w == 0) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                } else {
                    sentence.append(rng.nextInt(12) == 0 ? ", " : " ");
                }
                sentence.append(word);
            }
            sentence.append('.');
            sentencesInParagraph++;
            if (sentencesInParagraph >= 3 + rng.nextInt(5)) {
                sentence.append('\n');
                sentencesInParagraph = 0;
            } else {
                sentence.append(' ');
            }
            out.writeBytes(sentence.toString().getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, bytes);
    }

    private static int draw(SplittableRandom rng) {
        double u = rng.nextDouble();
        int lo = 0;
        int hi = CDF.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (CDF[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static double[] zipfCdf(int n) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / (r + 1);
            cdf[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= sum;
        }
        cdf[n - 1] = 1.0;
        return cdf;
    }
}
