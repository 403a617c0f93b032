package org.tokenlab.theory.coding;

/**
 * Binary arithmetic (range) encoder over β-bit {@link FrequencyTable}s, with carry propagation.
 *
 * <h2>State</h2>
 * The current interval is {@code [B + low·2^-(e+P), B + (low+range)·2^-(e+P))}, where {@code B} is the
 * value of the {@code e} bits emitted so far, {@code P} = {@value #PRECISION_BITS}, {@code 0 <= low < 2^P}
 * and, between symbols, {@code 2^(P-1) < range <= 2^P}. Encoding symbol s with counts
 * {@code cum(s), freq(s)} (summing to 2^β) narrows it to {@code low += r·cum(s), range = r·freq(s)} with
 * {@code r = range >> β}. If {@code low} passes 2^P the carry is added to the emitted bits; then the
 * range is renormalised by shifting out the top bit of {@code low} while {@code range <= 2^(P-1)} —
 * done as one shift of k bits, k computed from the leading zeros of {@code range}.
 *
 * <p>Carries: the emitted bits end with "pending" bits, a 0 followed by a run of 1s, that a carry may
 * still flip (0111 + 1 = 1000). Everything before the pending 0 is final. A carry never needs to go past
 * the pending 0 because the interval never leaves [0, 1).
 *
 * <h2>Termination</h2>
 * {@link #finish()} emits the shortest bit string whose value, padded with zeros, lies in the final
 * interval: the coarsest dyadic point {@code x = ceil(low / 2^(P-j))·2^(P-j) < low + range}, without
 * trailing zeros. Decoders read zeros past the end of the code. The shortest point is unique (two points
 * of the same granularity would have a coarser one between them), which is what lets a decoder
 * recognise a finished code. The length is therefore at most {@code ceil(-log₂ w)} bits for an
 * interval of absolute width w, and w is at least {@code p̂(x)·(1 - 2^(β-P+1))^n} because of the
 * truncation in {@code r = range >> β}. So for n symbols:
 * <pre>  bits ≤ −log₂ p̂(x) + 1 + n·2^(β−P+1)/ln 2    (β = 14, P = 56: the last term is n·6.6e-13)</pre>
 */
public final class RangeEncoder {
    /** P: bits of {@code low} kept below the emitted bits. */
    public static final int PRECISION_BITS = 56;
    static final long ONE = 1L << PRECISION_BITS;
    static final long HALF = 1L << (PRECISION_BITS - 1);
    static final long MASK = ONE - 1;

    private final BitBuffer out;  // null for a dry run (only the bit counts are tracked)
    private final long start;     // out.length() when this encoder began
    private long low;
    private long range;
    private long emitted;         // e: bits emitted, including the pending ones
    private boolean pendingZero;  // a 0 bit a carry may still turn into 1
    private long pendingZeroPos;  // its index among the emitted bits
    private long pendingOnes;     // 1 bits after the pending 0 (a carry turns them to 0)
    private long lastOne;         // 1 + index of the last final 1 bit among the emitted bits, or 0
    private boolean finished;

    /** An encoder that appends to {@code out}. */
    public RangeEncoder(BitBuffer out) {
        this.out = out;
        this.start = out.length();
        this.low = 0;
        this.range = ONE;
    }

    private RangeEncoder(RangeEncoder other, BitBuffer out) {
        this.out = out;
        this.start = 0;
        this.low = other.low;
        this.range = other.range;
        this.emitted = other.emitted;
        this.pendingZero = other.pendingZero;
        this.pendingZeroPos = other.pendingZeroPos;
        this.pendingOnes = other.pendingOnes;
        this.lastOne = other.lastOne;
    }

    /** Encodes symbol {@code s} with the counts of {@code table}. */
    public void encode(FrequencyTable table, int s) {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        if (s < 0 || s >= table.alphabetSize()) {
            throw new IllegalArgumentException("symbol " + s + " outside [0, " + table.alphabetSize() + ")");
        }
        long r = range >>> table.precision();
        low += r * table.cumulative(s);
        range = r * table.frequency(s);
        if (low >= ONE) {
            low -= ONE;
            carry();
        }
        int k = shiftsToNormalise(range);
        if (k > 0) { // shift out the top k bits of low at once
            emitBits(low >>> (PRECISION_BITS - k), k);
            low = (low << k) & MASK;
            range <<= k;
        }
    }

    /** The k ≥ 0 with range·2^k in (2^(P−1), 2^P]: the renormalisation shifts, one bit each. */
    static int shiftsToNormalise(long range) {
        if (range > HALF) {
            return 0;
        }
        int k = (PRECISION_BITS - 1) - (63 - Long.numberOfLeadingZeros(range));
        return (range << k) > HALF ? k : k + 1;
    }

    /**
     * Length in bits of the code if it were finished now: the position of the last 1 bit of the final
     * point (trailing zeros are implied by the zero padding, so they are not part of the code).
     */
    public long bitsIfFinished() {
        int j = finalPointBits(low, range);
        if (j > 0) {
            return emitted + j; // the final point's last bit is 1, else a smaller j would do
        }
        if (low == 0) {        // final point = the emitted bits as they are
            return pendingZero && pendingOnes > 0 ? pendingZeroPos + pendingOnes + 1 : lastOne;
        }
        return pendingZeroPos + 1; // final point = emitted bits + carry: the pending 0 becomes the last 1
    }

    /**
     * Bits the code would have if {@code s} were encoded next and the code then finished; the state is
     * not changed. Equal-info windows use it to decide whether the next symbol still fits.
     */
    public long bitsIfFinishedAfter(FrequencyTable table, int s) {
        RangeEncoder dry = new RangeEncoder(this, null);
        dry.encode(table, s);
        return dry.bitsIfFinished();
    }

    /**
     * Emits the final point (see the class comment) and flushes; returns the code length in bits (up to
     * its last 1 bit: trailing zeros are dropped from the output, decoders read them back as padding).
     */
    public long finish() {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        int j = finalPointBits(low, range);
        long x = roundUp(low, j);
        if (x >= ONE) {
            x -= ONE;
            carry();
        }
        for (int i = 0; i < j; i++) {
            emit((int) ((x >>> (PRECISION_BITS - 1 - i)) & 1));
        }
        flushPending();
        finished = true;
        if (out != null) {
            out.truncate(start + lastOne);
        }
        return lastOne;
    }

    /**
     * Finishes the code at exactly {@code totalBits} bits with the <b>highest</b> point of granularity
     * 2^-totalBits in the interval (equal-info windows). A decoder that reads past the last symbol then
     * sees a point near the top of the interval, where the next table holds its least likely symbols
     * (for text: the floor-probability bytes ≥ 0x80), so the window's bits rarely look like the code of
     * a shorter prefix; this is what lets {@link EqualInfoWindows#decodeLookahead} find most window ends
     * without side information. (The lowest point, i.e. plain zero padding, puts common bytes such as
     * the space near the bottom of every table and finds fewer.) In the rare case that more than
     * {@code totalBits} bits were already emitted (all zeros past totalBits), the shortest point is
     * used, zero-padded.
     *
     * @throws IllegalArgumentException if {@code totalBits < bitsIfFinished()}
     */
    public long finishAt(long totalBits) {
        long needed = bitsIfFinished();
        if (totalBits < needed) {
            throw new IllegalArgumentException("code needs " + needed + " bits, more than " + totalBits);
        }
        if (emitted >= totalBits) { // only zeros were emitted past totalBits: the shortest point, padded
            finish();
        } else {
            if (finished) {
                throw new IllegalStateException("encoder already finished");
            }
            long j = totalBits - emitted;
            int jBits = (int) Math.min(j, PRECISION_BITS);
            int shift = PRECISION_BITS - jBits; // the highest multiple of 2^shift below low + range; >= low
            long x = ((low + range - 1) >>> shift) << shift; // because the shortest point is coarser
            if (x >= ONE) {
                x -= ONE;
                carry();
            }
            for (int i = 0; i < jBits; i++) {
                emit((int) ((x >>> (PRECISION_BITS - 1 - i)) & 1));
            }
            for (long i = jBits; i < j; i++) { // finer than 2^-P: the highest point continues with 1s
                emit(1);
            }
            flushPending();
            finished = true;
        }
        if (out != null) {
            out.appendRepeated(0, start + totalBits - out.length());
        }
        return totalBits;
    }

    /** The code as {@link #finishAt} would write it now, as a new buffer; this encoder is unchanged. */
    public BitBuffer codeIfFinishedAt(long totalBits) {
        if (out == null) {
            throw new IllegalStateException("a dry encoder has no bits");
        }
        RangeEncoder copy = new RangeEncoder(this, out.suffixFrom(start));
        copy.finishAt(totalBits);
        return copy.out;
    }

    /**
     * Smallest j in [0, P] such that a multiple of 2^(P-j) lies in [low, low + range). For low ≥ 1 such a
     * multiple exists iff (low − 1) and hi = low + range − 1 differ at bit P − j or above, so j follows
     * from the highest differing bit; low = 0 is itself the point (j = 0).
     */
    static int finalPointBits(long low, long range) {
        if (low == 0) {
            return 0;
        }
        long hi = low + range - 1;
        int highestDifferingBit = 63 - Long.numberOfLeadingZeros(hi ^ (low - 1));
        return Math.max(0, PRECISION_BITS - highestDifferingBit);
    }

    /** The definition of {@link #finalPointBits}, by search; the reference for tests. */
    static int finalPointBitsBySearch(long low, long range) {
        for (int j = 0; j <= PRECISION_BITS; j++) {
            if (roundUp(low, j) < low + range) {
                return j;
            }
        }
        throw new IllegalStateException("empty interval: range " + range);
    }

    /** low rounded up to a multiple of 2^(P-j). */
    private static long roundUp(long low, int j) {
        int shift = PRECISION_BITS - j;
        return ((low + (1L << shift) - 1) >>> shift) << shift;
    }

    /**
     * Emits the k bits of {@code bits} (first bit most significant): same effect as k calls of
     * {@link #emit}, but a run of bits ending in 1s only touches the pending state once.
     */
    private void emitBits(long bits, int k) {
        int trailingOnes = Long.numberOfTrailingZeros(~bits);
        if (trailingOnes >= k) { // all ones: they extend the pending run (or are final if no 0 is pending)
            if (pendingZero) {
                pendingOnes += k;
            } else {
                write(1, k);
                lastOne = emitted + k;
            }
            emitted += k;
            return;
        }
        // The last 0 becomes the new pending 0; everything before it (and the old pending bits) is final.
        flushPending();
        int prefixBits = k - trailingOnes - 1;
        if (prefixBits > 0) {
            long prefix = bits >>> (trailingOnes + 1);
            if (out != null) {
                out.appendBits(prefix, prefixBits);
            }
            if (prefix != 0) {
                lastOne = emitted + prefixBits - Long.numberOfTrailingZeros(prefix);
            }
        }
        pendingZero = true;
        pendingZeroPos = emitted + prefixBits;
        pendingOnes = trailingOnes;
        emitted += k;
    }

    private void emit(int bit) {
        emitted++;
        if (bit == 1) {
            if (pendingZero) {
                pendingOnes++;
            } else {
                write(1, 1); // no 0 before it can absorb a carry, so no carry can reach it
                lastOne = emitted;
            }
        } else {
            flushPending();
            pendingZero = true;
            pendingZeroPos = emitted - 1;
        }
    }

    private void carry() {
        if (!pendingZero) {
            throw new IllegalStateException("carry past the first bit: interval left [0, 1)");
        }
        write(1, 1);
        write(0, pendingOnes);
        lastOne = pendingZeroPos + 1;
        pendingZero = false;
        pendingOnes = 0;
    }

    private void flushPending() {
        if (pendingZero) {
            write(0, 1);
            write(1, pendingOnes);
            if (pendingOnes > 0) {
                lastOne = pendingZeroPos + pendingOnes + 1;
            }
        }
        pendingZero = false;
        pendingOnes = 0;
    }

    private void write(int bit, long count) {
        if (out != null) {
            if (count == 1) {
                out.append(bit);
            } else {
                out.appendRepeated(bit, count);
            }
        }
    }
}
