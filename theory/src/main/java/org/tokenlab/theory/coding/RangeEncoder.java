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
 * range is renormalised by shifting out the top bit of {@code low} while {@code range <= 2^(P-1)}.
 *
 * <p>Carries: the emitted bits end with "pending" bits, a 0 followed by a run of 1s, that a carry may
 * still flip (0111 + 1 = 1000). Everything before the pending 0 is final. A carry never needs to go past
 * the pending 0 because the interval never leaves [0, 1).
 *
 * <h2>Termination</h2>
 * {@link #finish()} emits the shortest bit string whose value, padded with zeros, lies in the final
 * interval: the coarsest dyadic point {@code x = ceil(low / 2^(P-j))·2^(P-j) < low + range}. Decoders
 * read zeros past the end of the code. The length is therefore at most {@code ceil(-log₂ w)} bits for an
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

    private final BitBuffer out;
    private long low;
    private long range;
    private long emitted;        // e: bits emitted, including the pending ones
    private boolean pendingZero; // a 0 bit a carry may still turn into 1
    private long pendingOnes;    // 1 bits after the pending 0 (a carry turns them to 0)
    private boolean finished;

    /** An encoder that appends to {@code out}. */
    public RangeEncoder(BitBuffer out) {
        this.out = out;
        this.low = 0;
        this.range = ONE;
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
        while (range <= HALF) {
            emit((int) (low >>> (PRECISION_BITS - 1)));
            low = (low << 1) & MASK;
            range <<= 1;
        }
    }

    /** Bits the code would have if it were finished now (emitted bits plus the final point). */
    public long bitsIfFinished() {
        return emitted + finalPointBits(low, range);
    }

    /**
     * Bits the code would have if {@code s} were encoded next and the code then finished; the state is
     * not changed. Equal-info windows use it to decide whether the next symbol still fits.
     */
    public long bitsIfFinishedAfter(FrequencyTable table, int s) {
        long r = range >>> table.precision();
        long l = low + r * table.cumulative(s);
        long w = r * table.frequency(s);
        if (l >= ONE) {
            l -= ONE;
        }
        long shifts = 0;
        while (w <= HALF) {
            l = (l << 1) & MASK;
            w <<= 1;
            shifts++;
        }
        return emitted + shifts + finalPointBits(l, w);
    }

    /** Emits the final point (see the class comment) and flushes; returns the total code length in bits. */
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
        return emitted;
    }

    /** Smallest j in [0, P] such that a multiple of 2^(P-j) lies in [low, low + range). */
    private static int finalPointBits(long low, long range) {
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

    private void emit(int bit) {
        emitted++;
        if (bit == 1) {
            if (pendingZero) {
                pendingOnes++;
            } else {
                out.append(1); // no 0 before it can absorb a carry, so no carry can reach it
            }
        } else {
            flushPending();
            pendingZero = true;
        }
    }

    private void carry() {
        if (!pendingZero) {
            throw new IllegalStateException("carry past the first bit: interval left [0, 1)");
        }
        out.append(1);
        out.appendRepeated(0, pendingOnes);
        pendingZero = false;
        pendingOnes = 0;
    }

    private void flushPending() {
        if (pendingZero) {
            out.append(0);
            out.appendRepeated(1, pendingOnes);
        }
        pendingZero = false;
        pendingOnes = 0;
    }
}
