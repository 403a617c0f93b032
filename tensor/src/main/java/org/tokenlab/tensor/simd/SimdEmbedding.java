package org.tokenlab.tensor.simd;

/**
 * Embedding gather and its scatter-add backward. The backward splits the C columns into chunks and
 * walks n = 0, 1, … in order inside each chunk, so repeated indices add up in the same order as the
 * scalar loop and no two threads touch the same row segment.
 *
 * <p>Scalar reference: {@code out[n] = table[idx[n]]}; {@code dTable[idx[n]] += dOut[n]} for n ascending.
 */
final class SimdEmbedding {
    private static final int COL_CHUNK = 256;

    private SimdEmbedding() {
    }

    /** Fails naming the first index outside [0, V). */
    static void checkIndices(int N, int[] idx, int V) {
        if (idx.length < N) {
            throw new IllegalArgumentException("embedding: idx has " + idx.length + " entries, need N=" + N);
        }
        for (int n = 0; n < N; n++) {
            if (idx[n] < 0 || idx[n] >= V) {
                throw new IllegalArgumentException("embedding: index " + idx[n] + " at position " + n
                        + " is outside the table's " + V + " rows");
            }
        }
    }

    // idx (N), table (V,C) -> out (N,C)
    static void forward(int N, int C, int[] idx, float[] table, float[] out, int outOff) {
        SimdOps.rows(N, C, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                System.arraycopy(table, idx[n] * C, out, outOff + n * C, C);
            }
        });
    }

    // dOut (N,C) -> dTable (V,C) += at rows idx
    static void backward(int N, int C, int[] idx, float[] dOut, int dOutOff, float[] dTable) {
        int chunks = (C + COL_CHUNK - 1) / COL_CHUNK;
        SimdOps.rows(chunks, (long) N * COL_CHUNK, (c0, c1) -> {
            int j0 = c0 * COL_CHUNK, j1 = Math.min(C, c1 * COL_CHUNK);
            for (int n = 0; n < N; n++) {
                SimdOps.add(j1 - j0, dOut, dOutOff + n * C + j0, dTable, idx[n] * C + j0);
            }
        });
    }
}
