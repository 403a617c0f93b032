package org.tokenlab.cuda;

import java.util.Arrays;

/**
 * The positions of each distinct embedding row, for the deterministic scatter-add: row {@code rows[u]}
 * receives {@code dOut[positions[p]]} for p in {@code [starts[u], starts[u+1])}, positions increasing.
 * Built on the host with a stable counting pass (O(N + V)); the kernel then gives each row to one
 * block, so no two threads add into the same element and the order matches the scalar loop.
 *
 * @param rows      distinct rows, in order of first appearance (U entries)
 * @param starts    U + 1 offsets into positions
 * @param positions the N positions grouped by row, increasing within a group
 */
public record EmbeddingGroups(int[] rows, int[] starts, int[] positions) {

    /** Groups {@code idx[0..N)} (each in [0, V)). */
    public static EmbeddingGroups of(int[] idx, int N, int V) {
        checkIndices("embeddingBackward", idx, N, V);
        int[] slot = new int[V];
        Arrays.fill(slot, -1);
        int[] rowOf = new int[N];
        int U = 0;
        int[] rows = new int[Math.min(N, V)];
        int[] counts = new int[Math.min(N, V) + 1];
        for (int n = 0; n < N; n++) {
            int v = idx[n];
            if (slot[v] < 0) {
                slot[v] = U;
                rows[U++] = v;
            }
            rowOf[n] = slot[v];
            counts[slot[v] + 1]++;
        }
        int[] starts = new int[U + 1];
        for (int u = 0; u < U; u++) {
            starts[u + 1] = starts[u] + counts[u + 1];
        }
        int[] next = Arrays.copyOf(starts, U);
        int[] positions = new int[N];
        for (int n = 0; n < N; n++) { // increasing n: each group stays sorted
            positions[next[rowOf[n]]++] = n;
        }
        return new EmbeddingGroups(Arrays.copyOf(rows, U), starts, positions);
    }

    /** Fails naming the first index outside [0, V), with ScalarBackend's words. */
    public static void checkIndices(String op, int[] idx, int N, int V) {
        if (idx.length < N) {
            throw new IllegalArgumentException(op + ": " + idx.length + " indices for N=" + N);
        }
        for (int n = 0; n < N; n++) {
            if (idx[n] < 0 || idx[n] >= V) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[n] + " at position " + n
                        + " is outside [0, " + V + ")");
            }
        }
    }

    /** The number of distinct rows U. */
    public int rowCount() {
        return rows.length;
    }

    /** rows, starts and positions in one int array, for a single upload. */
    int[] packed() {
        int[] p = new int[rows.length + starts.length + positions.length];
        System.arraycopy(rows, 0, p, 0, rows.length);
        System.arraycopy(starts, 0, p, startsOffset(), starts.length);
        System.arraycopy(positions, 0, p, positionsOffset(), positions.length);
        return p;
    }

    int startsOffset() {
        return rows.length;
    }

    int positionsOffset() {
        return rows.length + starts.length;
    }
}
