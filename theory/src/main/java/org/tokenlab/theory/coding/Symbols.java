package org.tokenlab.theory.coding;

/** Conversions between bytes and symbol ids 0..255. */
public final class Symbols {
    private Symbols() {
    }

    /** Unsigned byte values as ints. */
    public static int[] fromBytes(byte[] data) {
        int[] s = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            s[i] = data[i] & 0xFF;
        }
        return s;
    }

    /** Symbols 0..255 back to bytes; anything else names its position. */
    public static byte[] toBytes(int[] symbols) {
        byte[] b = new byte[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] < 0 || symbols[i] > 255) {
                throw new IllegalArgumentException("symbol " + symbols[i] + " at position " + i + " is not a byte");
            }
            b[i] = (byte) symbols[i];
        }
        return b;
    }
}
