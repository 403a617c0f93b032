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
 * symbol that would need more; its code is finished at exactly W bits with the highest W-bit point of
 * the final interval ({@link RangeEncoder#finishAt}), and both the coder and the model's context are
 * reset. Windows are greedy (as many symbols as fit). A single symbol needs at
 * most β + 1 bits, so any W ≥ β + 1 always makes progress; for smaller W a symbol that does not fit an
 * empty window is an error naming its position.
 *
 * <h2>End-of-window scheme (decoding)</h2>
 * The W bits of a window do not say how many symbols they hold: after the last symbol the zero-padded
 * code may decode to further symbols that would also have fit (the paper resolves these with look-ahead
 * and reports 99.4 % of sequences decodable). Here the encoder returns the <b>symbol count of every
 * window</b> as side information next to the bits ({@link Encoded#windowSymbolCounts()}); with it,
 * {@link #decode} is exact for every window, including the last one. The counts are not part of the
 * token stream and are not charged in bits/byte. {@link #decodeLookahead} is a count-free decoder in the
 * paper's manner, for measuring how often the ambiguity bites.
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
            int count = encodeWindow(model, symbols, i, windowBits, all);
            i += count;
            counts.add(count);
        }
        return new Encoded(all, windowBits, counts.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Codes one window: resets {@code model}, codes {@code symbols[from..]} greedily while they fit in
     * {@code windowBits} bits, appends exactly {@code windowBits} bits to {@code out} and returns the number
     * of symbols the window holds (≥ 1). {@link #encode} is this in a loop; a caller that codes many
     * streams side by side (a batched M1) calls it window by window.
     *
     * @throws IllegalArgumentException if {@code from} is out of range or a symbol alone needs more than W bits
     */
    public static int encodeWindow(ProbabilityModel model, int[] symbols, int from, int windowBits, BitBuffer out) {
        if (windowBits < 1 || from < 0 || from >= symbols.length) {
            throw new IllegalArgumentException("window at " + from + " of " + symbols.length + " symbols, W = " + windowBits);
        }
        model.reset();
        BitBuffer window = new BitBuffer();
        RangeEncoder encoder = new RangeEncoder(window);
        int i = from;
        while (i < symbols.length) {
            FrequencyTable t = model.table();
            long bits = encoder.bitsIfFinishedAfter(t, symbols[i]);
            if (bits > windowBits) {
                if (i == from) {
                    throw new IllegalArgumentException("symbol " + symbols[i] + " at position " + i + " needs " + bits
                            + " bits alone, more than the window of " + windowBits + " bits (use W >= β + 1)");
                }
                break;
            }
            encoder.encode(t, symbols[i]);
            model.update(symbols[i]);
            i++;
        }
        encoder.finishAt(windowBits);
        out.appendAll(window);
        return i - from;
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
     * Count-free decoding with look-ahead, in the manner of the paper (App. D.5); only the total symbol
     * count is known. Every extension of a window's symbols by symbols whose interval contains the
     * window's code point has the same code, so the end of a window is ambiguous from its own bits.
     * This decoder ends window w at the first m such that (1) the first symbol of window w+1 (decodable
     * on its own, since windows are independent) would not have fit after its first m symbols and (2)
     * the encoder would have written exactly the window's bits for them. The last window takes the remaining symbols. The true
     * end satisfies both tests, but an earlier m may too, so this is <b>not</b> always exact; it exists
     * to measure that ambiguity. The ambiguity is inherent to a W-bit end without a count, not a flaw of
     * this rule: on English-like text a sizeable share of EqualInfoAC[16] windows have the same W bits as
     * a strict prefix of their own symbols (see the test), so a whole chunk of hundreds of windows is
     * almost never recovered. Work is bounded by {@code totalSymbols}.
     *
     * @return the decoded symbols, or {@code null} when the rule cannot split the bits into exactly
     *         {@code totalSymbols} symbols (an ambiguity that surfaced, or bits no encoder wrote)
     * @throws IllegalArgumentException if the bit length is not a multiple of W
     */
    public static int[] decodeLookahead(ProbabilityModel model, BitBuffer bits, int windowBits, int totalSymbols) {
        if (windowBits < 1 || bits.length() % windowBits != 0) {
            throw new IllegalArgumentException("bit length " + bits.length() + " is not a multiple of W = " + windowBits);
        }
        try {
            return lookahead(model, bits, windowBits, totalSymbols);
        } catch (RangeDecoder.CorruptCodeException e) {
            return null;
        }
    }

    private static int[] lookahead(ProbabilityModel model, BitBuffer bits, int windowBits, int totalSymbols) {
        int windows = (int) (bits.length() / windowBits);
        int[] out = new int[totalSymbols];
        int i = 0;
        for (int w = 0; w < windows; w++) {
            long start = (long) w * windowBits;
            int remaining = totalSymbols - i;
            if (remaining <= 0) {
                throw new RangeDecoder.CorruptCodeException("window " + w + " is left over after " + totalSymbols + " symbols");
            }
            int nextFirst = -1;
            if (w + 1 < windows) {
                model.reset();
                nextFirst = new RangeDecoder(bits, start + windowBits, start + 2L * windowBits).decode(model.table());
            }
            BitBuffer window = bits.prefix(start + windowBits).suffixFrom(start);
            model.reset();
            RangeDecoder decoder = new RangeDecoder(bits, start, start + windowBits);
            RangeEncoder shadow = new RangeEncoder(new BitBuffer());
            int m = 0;
            boolean ended = false;
            while (m < remaining && !ended) {
                FrequencyTable t = model.table();
                int x = decoder.decode(t);
                shadow.encode(t, x);
                model.update(x);
                out[i + m++] = x;
                if (nextFirst < 0) {
                    ended = m == remaining;
                } else if (shadow.bitsIfFinishedAfter(model.table(), nextFirst) > windowBits) {
                    ended = shadow.codeIfFinishedAt(windowBits).equals(window);
                }
            }
            if (!ended) {
                throw new RangeDecoder.CorruptCodeException("no end found for window " + w + " within " + remaining + " symbols");
            }
            i += m;
        }
        if (i != totalSymbols) {
            throw new RangeDecoder.CorruptCodeException("bits end after " + i + " of " + totalSymbols + " symbols");
        }
        return out;
    }
}
