package org.tokenlab.theory.bounds;

import java.util.List;
import java.util.Locale;
import org.tokenlab.theory.markov.MarkovSource;

/**
 * Prints the calibration table of papers.md §4.4 (unigram-over-token loss in nats/char, closure in
 * brackets) for the four switching sources, as Markdown. Arguments: train and test length in characters
 * (default 40 000 each, as in §4.4), and the seed (default 1).
 */
public final class CalibrationTable {
    private CalibrationTable() {
    }

    /** Entry point: {@code java ... CalibrationTable [trainChars testChars seed]}. */
    public static void main(String[] args) {
        int trainChars = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        int testChars = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        System.out.print(table(trainChars, testChars, seed));
    }

    /** The table as Markdown. */
    public static String table(int trainChars, int testChars, long seed) {
        double[][] sources = {{4, 0.1, 0.1}, {4, 0.2, 0.2}, {2, 0.2, 0.3}, {8, 0.1, 0.1}};
        int[] bpe = {16, 32, 64, 128, 256, 512};
        int[] lzw = {64, 256, 512};
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "train %d chars, test %d chars, seed %d, add-½ unigram%n%n", trainChars, testChars, seed));
        sb.append("| source | H(π) | H∞ |");
        for (int d : bpe) {
            sb.append(" BPE ").append(d).append(" |");
        }
        for (int d : lzw) {
            sb.append(" LZW ").append(d).append(" |");
        }
        sb.append('\n').append("|---".repeat(3 + bpe.length + lzw.length)).append("|\n");
        for (double[] s : sources) {
            MarkovSource src = MarkovSource.switching((int) s[0], s[1], s[2]);
            byte[] train = src.generate(trainChars, seed);
            byte[] test = src.generate(testChars, seed + 1_000_003);
            sb.append(String.format(Locale.ROOT, "| k=%d, p=%.1f, q=%.1f | %.3f | %.3f |", (int) s[0], s[1], s[2],
                    src.unigramEntropy(), src.entropyRate()));
            appendCells(sb, TokenizationBounds.sweep(src, train, test, TokenizationBounds.Family.BPE, bpe, UnigramTokenModel.DEFAULT_LAMBDA));
            appendCells(sb, TokenizationBounds.sweep(src, train, test, TokenizationBounds.Family.LZW, lzw, UnigramTokenModel.DEFAULT_LAMBDA));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendCells(StringBuilder sb, List<TokenizationBounds.Point> points) {
        for (TokenizationBounds.Point p : points) {
            sb.append(String.format(Locale.ROOT, " %.3f (%.2f) |", p.lossPerChar(), p.closure()));
        }
    }
}
