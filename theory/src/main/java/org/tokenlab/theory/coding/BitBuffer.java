package org.tokenlab.theory.coding;

import java.util.Arrays;

/**
 * A growable sequence of bits, most significant bit first within each byte.
 *
 * <p>Bits past {@link #length()} read as zero: that is the padding convention of every decoder in this
 * package (a code word is the shortest bit string whose zero-padded value lies in the final interval).
 */
public final class BitBuffer {
    private byte[] bytes;
    private long length;

    /** An empty buffer. */
    public BitBuffer() {
        this.bytes = new byte[64];
    }

    /** A buffer holding the first {@code lengthBits} bits of {@code data} (MSB first). */
    public static BitBuffer of(byte[] data, long lengthBits) {
        if (lengthBits < 0 || lengthBits > 8L * data.length) {
            throw new IllegalArgumentException("lengthBits " + lengthBits + " outside [0, " + 8L * data.length + "]");
        }
        BitBuffer b = new BitBuffer();
        b.bytes = Arrays.copyOf(data, Math.max(1, (int) ((lengthBits + 7) >>> 3)));
        b.length = lengthBits;
        b.clearTail();
        return b;
    }

    /** Number of bits written. */
    public long length() {
        return length;
    }

    /** Appends one bit (0 or 1). */
    public void append(int bit) {
        int byteIndex = (int) (length >>> 3);
        if (byteIndex >= bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, byteIndex + 1));
        }
        if (bit != 0) {
            bytes[byteIndex] |= (byte) (0x80 >>> (int) (length & 7));
        }
        length++;
    }

    /** Appends {@code count} copies of {@code bit}. */
    public void appendRepeated(int bit, long count) {
        for (long i = 0; i < count; i++) {
            append(bit);
        }
    }

    /** Appends the low {@code count} bits of {@code value}, most significant first ({@code count <= 64}). */
    public void appendBits(long value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            append((int) ((value >>> i) & 1));
        }
    }

    /** Appends all bits of {@code other}. */
    public void appendAll(BitBuffer other) {
        for (long i = 0; i < other.length; i++) {
            append(other.get(i));
        }
    }

    /** The bit at {@code index}; zero at or past {@link #length()} (zero padding). */
    public int get(long index) {
        if (index < 0) {
            throw new IndexOutOfBoundsException("bit index " + index);
        }
        if (index >= length) {
            return 0;
        }
        return (bytes[(int) (index >>> 3)] >>> (7 - (int) (index & 7))) & 1;
    }

    /** The bits packed MSB first; the last byte is zero-padded. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, (int) ((length + 7) >>> 3));
    }

    /** Drops the bits from {@code newLength} on (they read as zero again). */
    public void truncate(long newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("truncate to " + newLength + " outside [0, " + length + "]");
        }
        length = newLength;
        clearTail();
    }

    /** A copy of the bits from {@code from} to the end. */
    public BitBuffer suffixFrom(long from) {
        if (from < 0 || from > length) {
            throw new IllegalArgumentException("suffix from " + from + " outside [0, " + length + "]");
        }
        BitBuffer b = new BitBuffer();
        for (long i = from; i < length; i++) {
            b.append(get(i));
        }
        return b;
    }

    /** A copy of the first {@code newLength} bits. */
    public BitBuffer prefix(long newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("prefix " + newLength + " outside [0, " + length + "]");
        }
        return of(bytes, newLength);
    }

    private void clearTail() {
        int last = (int) (length >>> 3);
        if (last < bytes.length && (length & 7) != 0) {
            bytes[last] &= (byte) (0xFF << (8 - (int) (length & 7)));
            last++;
        }
        Arrays.fill(bytes, last, bytes.length, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitBuffer b && b.length == length && Arrays.equals(toByteArray(), b.toByteArray());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(length) * 31 + Arrays.hashCode(toByteArray());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder((int) Math.min(length, 256));
        for (long i = 0; i < Math.min(length, 256); i++) {
            sb.append(get(i));
        }
        return length > 256 ? sb + "...(" + length + " bits)" : sb.toString();
    }
}
