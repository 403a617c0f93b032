package org.tokenlab.experiments.lexinvariant;

import java.util.Arrays;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

/**
 * Character-level text for the lexinvariant experiment: the alphabet (distinct bytes of the training and
 * validation text, sorted, so ids are stable), encoding, fixed evaluation windows, and substitution
 * ciphers (a random permutation π of the V character ids applied to a whole window).
 */
final class CharText {
    private final int[] idOfByte = new int[256];
    private final byte[] byteOfId;

    /** The alphabet of the given texts. */
    CharText(byte[]... texts) {
        boolean[] seen = new boolean[256];
        for (byte[] t : texts) {
            for (byte b : t) {
                seen[b & 0xFF] = true;
            }
        }
        Arrays.fill(idOfByte, -1);
        int V = 0;
        for (int c = 0; c < 256; c++) {
            if (seen[c]) {
                idOfByte[c] = V++;
            }
        }
        if (V < 2) {
            throw new IllegalArgumentException("the text has " + V + " distinct bytes; need at least 2");
        }
        byteOfId = new byte[V];
        for (int c = 0; c < 256; c++) {
            if (idOfByte[c] >= 0) {
                byteOfId[idOfByte[c]] = (byte) c;
            }
        }
    }

    /** V, the number of characters. */
    int vocabSize() {
        return byteOfId.length;
    }

    /** The ids of {@code text}; every byte must be in the alphabet. */
    int[] encode(byte[] text) {
        int[] ids = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            int id = idOfByte[text[i] & 0xFF];
            if (id < 0) {
                throw new IllegalArgumentException("byte " + (text[i] & 0xFF) + " at offset " + i + " is not in the alphabet");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** The text of {@code ids} (for sample outputs). */
    String decode(int[] ids, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            char c = (char) (byteOfId[ids[i]] & 0xFF);
            sb.append(c == '\n' ? '⏎' : c);
        }
        return sb.toString();
    }

    /** Character counts of {@code ids} (V entries). */
    static long[] counts(int[] ids, int V) {
        long[] n = new long[V];
        for (int id : ids) {
            n[id]++;
        }
        return n;
    }

    /**
     * {@code count} evaluation windows of T+1 ids, evenly spaced over {@code ids} (deterministic, no
     * randomness): window i starts at ⌊i·(N−T−1)/max(1, count−1)⌋.
     */
    static int[][] windows(int[] ids, int T, int count) {
        int span = ids.length - T - 1;
        if (span < 0) {
            throw new IllegalArgumentException("validation text has " + ids.length + " ids; windows of T=" + T
                    + " need at least " + (T + 1));
        }
        int[][] w = new int[count][];
        for (int i = 0; i < count; i++) {
            int s = (int) ((long) i * span / Math.max(1, count - 1));
            w[i] = Arrays.copyOfRange(ids, s, s + T + 1);
        }
        return w;
    }

    /** A uniformly random permutation of [0, V). */
    static int[] permutation(int V, RandomStream r) {
        int[] p = new int[V];
        for (int v = 0; v < V; v++) {
            p[v] = v;
        }
        r.shuffle(p);
        return p;
    }

    /** π applied to every id of {@code window}. */
    static int[] cipher(int[] window, int[] perm) {
        int[] out = new int[window.length];
        for (int i = 0; i < window.length; i++) {
            out[i] = perm[window[i]];
        }
        return out;
    }

    /** Each window ciphered with its own permutation from {@code r.child(i)}. */
    static int[][] cipherAll(int[][] windows, int V, RandomStream r) {
        int[][] out = new int[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            out[i] = cipher(windows[i], permutation(V, r.child(i)));
        }
        return out;
    }

    /**
     * Language-modelling batches of B windows (T+1 ids each → inputs [0,T), targets [1,T]); sequence ids
     * are {@code idBase + window index}, so evaluation Gaussians are reproducible.
     */
    static Batch[] batches(int[][] windows, int B, long idBase) {
        int n = windows.length;
        int T = windows[0].length - 1;
        Batch[] out = new Batch[(n + B - 1) / B];
        for (int k = 0; k < out.length; k++) {
            int b0 = k * B;
            int rows = Math.min(B, n - b0);
            int[] in = new int[rows * T];
            int[] tg = new int[rows * T];
            long[] ids = new long[rows];
            for (int b = 0; b < rows; b++) {
                System.arraycopy(windows[b0 + b], 0, in, b * T, T);
                System.arraycopy(windows[b0 + b], 1, tg, b * T, T);
                ids[b] = idBase + b0 + b;
            }
            out[k] = Batch.of(rows, T, in, tg, ids);
        }
        return out;
    }
}
