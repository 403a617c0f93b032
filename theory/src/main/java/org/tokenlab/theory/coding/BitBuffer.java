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
        if (bit == 0 && count > 0) { // zeros: the storage is already zero past length
            long newLength = length + count;
            int needed = (int) ((newLength + 7) >>> 3);
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, needed));
            }
            length = newLength;
            return;
        }
        for (long i = 0; i < count; i++) {
            append(bit);
        }
    }

    /** Appends the low {@code count} bits of {@code value}, most significant first ({@code count <= 64}). */
    public void appendBits(long value, int count) {
        if (count < 0 || count > 64) {
            throw new IllegalArgumentException("bit count " + count + " outside [0, 64]");
        }
        int needed = (int) ((length + count + 7) >>> 3);
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, needed));
        }
        while (count > 0) { // fill the current byte from the top of the remaining bits
            int free = 8 - (int) (length & 7);
            int take = Math.min(free, count);
            int chunk = (int) ((value >>> (count - take)) & ((1 << take) - 1));
            bytes[(int) (length >>> 3)] |= (byte) (chunk << (free - take));
            length += take;
            count -= take;
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

    /**
     * The {@code count} bits from {@code index} on as a number (first bit most significant), reading
     * zeros past {@link #length()}; {@code count <= 56}.
     */
    public long getBits(long index, int count) {
        if (index < 0 || count < 0 || count > 56) {
            throw new IllegalArgumentException("bits [" + index + ", +" + count + ") out of range");
        }
        long value = 0;
        int got = 0;
        while (got < count) {
            long pos = index + got;
            int offset = (int) (pos & 7);
            int take = Math.min(8 - offset, count - got);
            int b = pos < length ? bytes[(int) (pos >>> 3)] & 0xFF : 0; // bits past length are stored as 0
            value = (value << take) | ((b >>> (8 - offset - take)) & ((1 << take) - 1));
            got += take;
        }
        return value;
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
