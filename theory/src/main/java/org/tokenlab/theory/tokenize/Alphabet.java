package org.tokenlab.theory.tokenize;

import java.util.Arrays;

/**
 * A set of byte values with dense ids: the i-th smallest byte of the set has id i. The base symbols of
 * {@link CharTokenizer}, {@link BpeTokenizer} and LZW dictionaries.
 */
public final class Alphabet {
    private final byte[] symbols;  // sorted by unsigned value
    private final int[] idOf = new int[256];

    private Alphabet(byte[] sortedDistinct) {
        this.symbols = sortedDistinct;
        Arrays.fill(idOf, -1);
        for (int i = 0; i < symbols.length; i++) {
            idOf[symbols[i] & 0xFF] = i;
        }
    }

    /** All 256 byte values (byte-level: every byte string is representable). */
    public static Alphabet allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return new Alphabet(all);
    }

    /** The distinct bytes occurring in {@code corpus}. */
    public static Alphabet of(byte[] corpus) {
        boolean[] seen = new boolean[256];
        for (byte b : corpus) {
            seen[b & 0xFF] = true;
        }
        return fromFlags(seen);
    }

    /** The given byte values (unsigned, 0..255, duplicates allowed); at least one. */
    public static Alphabet ofValues(int... values) {
        boolean[] seen = new boolean[256];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("alphabet value " + values[i] + " at index " + i + " is not a byte");
            }
            seen[values[i]] = true;
        }
        return fromFlags(seen);
    }

    private static Alphabet fromFlags(boolean[] seen) {
        int n = 0;
        for (boolean s : seen) {
            n += s ? 1 : 0;
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty alphabet");
        }
        byte[] symbols = new byte[n];
        int k = 0;
        for (int v = 0; v < 256; v++) {
            if (seen[v]) {
                symbols[k++] = (byte) v;
            }
        }
        return new Alphabet(symbols);
    }

    /** Number of symbols A. */
    public int size() {
        return symbols.length;
    }

    /** The byte of id {@code id}. */
    public byte symbol(int id) {
        return symbols[id];
    }

    /** The id of byte {@code b}, or −1 when {@code b} is not in the alphabet. */
    public int idOf(byte b) {
        return idOf[b & 0xFF];
    }

    /** The id of {@code data[position]}; a byte outside the alphabet is an error naming it and its position. */
    public int require(byte[] data, int position) {
        int id = idOf[data[position] & 0xFF];
        if (id < 0) {
            throw new IllegalArgumentException(String.format("byte 0x%02x at position %d is not in the alphabet of %d symbols",
                    data[position] & 0xFF, position, symbols.length));
        }
        return id;
    }

    /** The byte values, ascending (unsigned). */
    public int[] values() {
        int[] v = new int[symbols.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = symbols[i] & 0xFF;
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alphabet a && Arrays.equals(a.symbols, symbols);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(symbols);
    }
}
