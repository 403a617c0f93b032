package org.tokenlab.theory.coding;

import java.util.ArrayList;
import java.util.List;

/**
 * Equal-Info Windows (Lester et al. 2024, §3 of papers.md): arithmetic coding in windows of exactly W
 * bits, each coded from a fresh coder and a reset model.
 *
 * <h2>Encoding</h2>
 * Symbols are added to the current window while the code of the window, finished right after the symbol,
 * has at most W bits ({@link RangeEncoder#bitsIfFinishedAfter}). The window closes before the first
 * symbol that would need more, its code is padded with zeros to exactly W bits, and both the coder and
 * the model's context are reset. Windows are greedy (as many symbols as fit). A single symbol needs at
 * most β + 1 bits, so any W ≥ β + 1 always makes progress; for smaller W a symbol that does not fit an
 * empty window is an error naming its position.
 *
 * <h2>End-of-window scheme (decoding)</h2>
 * The W bits of a window do not say how many symbols they hold: after the last symbol the zero-padded
 * code may decode to further symbols that would also have fit (the paper resolves these with look-ahead
 * and reports 99.4 % of sequences decodable). Here the encoder returns the <b>symbol count of every
 * window</b> as side information next to the bits ({@link Encoded#windowSymbolCounts()}); with it,
 * {@link #decode} is exact for every window, including the last one. The counts are not part of the
 * token stream and are not charged in bits/byte. {@link #decodeGreedy} is the count-free decoder (each
 * window takes symbols while they would have fit; only the total is known) for measuring how often the
 * ambiguity bites.
 */
public final class EqualInfoWindows {
    private EqualInfoWindows() {
    }

    /** The coded stream: {@code windowSymbolCounts.length} windows of exactly {@code windowBits} bits. */
    public record Encoded(BitBuffer bits, int windowBits, int[] windowSymbolCounts) {
        /** Validates the shape: W ≥ 1, positive counts, and exactly W bits per window. */
        public Encoded {
            if (windowBits < 1) {
                throw new IllegalArgumentException("windowBits " + windowBits + " < 1");
            }
            for (int w = 0; w < windowSymbolCounts.length; w++) {
                if (windowSymbolCounts[w] < 1) {
                    throw new IllegalArgumentException("window " + w + " holds " + windowSymbolCounts[w] + " symbols; expected >= 1");
                }
            }
            if (bits.length() != (long) windowBits * windowSymbolCounts.length) {
                throw new IllegalArgumentException("bit length " + bits.length() + " != " + windowSymbolCounts.length
                        + " windows x " + windowBits + " bits");
            }
        }

        /** Number of windows. */
        public int windows() {
            return windowSymbolCounts.length;
        }

        /** Number of symbols coded. */
        public long totalSymbols() {
            long n = 0;
            for (int c : windowSymbolCounts) {
                n += c;
            }
            return n;
        }
    }

    /** Codes {@code symbols} in windows of {@code windowBits} bits. */
    public static Encoded encode(ProbabilityModel model, int[] symbols, int windowBits) {
        if (windowBits < 1) {
            throw new IllegalArgumentException("windowBits " + windowBits + " < 1");
        }
        BitBuffer all = new BitBuffer();
        List<Integer> counts = new ArrayList<>();
        int i = 0;
        while (i < symbols.length) {
            model.reset();
            BitBuffer window = new BitBuffer();
            RangeEncoder encoder = new RangeEncoder(window);
            int count = 0;
            while (i < symbols.length) {
                FrequencyTable t = model.table();
                long bits = encoder.bitsIfFinishedAfter(t, symbols[i]);
                if (bits > windowBits) {
                    if (count == 0) {
                        throw new IllegalArgumentException("symbol " + symbols[i] + " at position " + i + " needs " + bits
                                + " bits alone, more than the window of " + windowBits + " bits (use W >= β + 1)");
                    }
                    break;
                }
                encoder.encode(t, symbols[i]);
                model.update(symbols[i]);
                i++;
                count++;
            }
            long length = encoder.finish();
            if (length > windowBits) {
                throw new IllegalStateException("window code of " + length + " bits exceeds W = " + windowBits);
            }
            all.appendAll(window);
            all.appendRepeated(0, windowBits - length);
            counts.add(count);
        }
        return new Encoded(all, windowBits, counts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Exact decoding with the per-window symbol counts. */
    public static int[] decode(ProbabilityModel model, Encoded encoded) {
        long total = encoded.totalSymbols();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many symbols: " + total);
        }
        int[] out = new int[(int) total];
        int i = 0;
        int w = encoded.windowBits();
        for (int window = 0; window < encoded.windows(); window++) {
            model.reset();
            RangeDecoder decoder = new RangeDecoder(encoded.bits(), (long) window * w, (long) (window + 1) * w);
            for (int c = 0; c < encoded.windowSymbolCounts()[window]; c++) {
                int x = decoder.decode(model.table());
                model.update(x);
                out[i++] = x;
            }
        }
        return out;
    }

    /**
     * Count-free decoding: each window takes decoded symbols while their code would still fit in W bits
     * (re-running the encoder's test), stopping at {@code totalSymbols}. It can over-read a window whose
     * zero-padded code happens to decode to one more fitting symbol, so it is <b>not</b> always exact; it
     * exists to measure that ambiguity. Work is bounded by {@code totalSymbols}.
     */
    public static int[] decodeGreedy(ProbabilityModel model, BitBuffer bits, int windowBits, int totalSymbols) {
        int[] out = new int[totalSymbols];
        int i = 0;
        long windows = bits.length() / windowBits;
        for (long window = 0; window < windows && i < totalSymbols; window++) {
            model.reset();
            RangeDecoder decoder = new RangeDecoder(bits, window * windowBits, (window + 1) * windowBits);
            RangeEncoder shadow = new RangeEncoder(new BitBuffer());
            int count = 0;
            while (i < totalSymbols) {
                FrequencyTable t = model.table();
                int x = decoder.decode(t);
                if (shadow.bitsIfFinishedAfter(t, x) > windowBits) {
                    break;
                }
                shadow.encode(t, x);
                model.update(x);
                out[i++] = x;
                count++;
            }
            if (count == 0) {
                throw new RangeDecoder.CorruptCodeException("window " + window + " decodes to no symbol that fits " + windowBits + " bits");
            }
        }
        if (i < totalSymbols) {
            throw new RangeDecoder.CorruptCodeException("bits end after " + i + " of " + totalSymbols + " symbols");
        }
        return out;
    }
}
