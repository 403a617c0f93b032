package org.tokenlab.theory.coding;

import static org.tokenlab.theory.coding.RangeEncoder.HALF;
import static org.tokenlab.theory.coding.RangeEncoder.ONE;
import static org.tokenlab.theory.coding.RangeEncoder.PRECISION_BITS;

/**
 * The exact inverse of {@link RangeEncoder}: it tracks {@code diff = code − low} in the same P-bit window
 * and picks the symbol s with {@code r·cum(s) <= diff < r·cum(s+1)}, {@code r = range >> β}.
 *
 * <p>It reads bits {@code [start, end)} of a {@link BitBuffer} and zeros past {@code end} (the padding
 * convention), so it never runs out of input: the caller decides how many symbols to decode, which bounds
 * the work on malformed input. Truncated input decodes as if zero-padded. Random bits decode to some
 * symbols unless {@code diff} lands in the sliver above {@code r·2^β} that no symbol owns; that raises
 * {@link CorruptCodeException}.
 */
public final class RangeDecoder {
    private final BitBuffer in;
    private final long end;
    private long position;
    private long diff;   // code − low, always in [0, range)
    private long range;

    /** A decoder over all bits of {@code in}. */
    public RangeDecoder(BitBuffer in) {
        this(in, 0, in.length());
    }

    /** A decoder over bits {@code [start, end)} of {@code in}; bits at or past {@code end} read as 0. */
    public RangeDecoder(BitBuffer in, long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bit range [" + start + ", " + end + ") is invalid");
        }
        this.in = in;
        this.position = start;
        this.end = end;
        this.range = ONE;
        this.diff = nextBits(PRECISION_BITS);
    }

    /** Decodes the next symbol under {@code table} (which must equal the encoder's table at this step). */
    public int decode(FrequencyTable table) {
        long r = range >>> table.precision();
        long target = diff / r;
        if (target >= (1L << table.precision())) {
            throw new CorruptCodeException("code value falls outside every symbol's interval at bit " + position);
        }
        int s = table.symbolAt((int) target);
        diff -= r * table.cumulative(s);
        range = r * table.frequency(s);
        int k = RangeEncoder.shiftsToNormalise(range);
        if (k > 0) {
            diff = (diff << k) | nextBits(k);
            range <<= k;
        }
        return s;
    }

    /** The next k bits; bits at or past {@code end} read as 0. */
    private long nextBits(int k) {
        long bits = in.getBits(position, k);
        if (position + k > end) { // clear the bits that lie past the end of this code
            long past = Math.min(k, position + k - end);
            bits &= ~((1L << past) - 1);
        }
        position += k;
        return bits;
    }

    /** Thrown when a code cannot have been produced by the encoder with the given model. */
    public static final class CorruptCodeException extends IllegalArgumentException {
        /** With a message naming where decoding failed. */
        public CorruptCodeException(String message) {
            super(message);
        }
    }
}
