package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * The fused Linear forward, {@link SimdBackend#matmulBias}, must give exactly the bits of its definition:
 * the bias gathered into every row of C, then the GEMM with beta = 1 ({@link org.tokenlab.tensor.backend.Backend#matmulBias}'s default).
 * Sizes straddle the tile (MR rows, NR columns), the 256-deep k slab, the L2 column chunk and the size at
 * which a GEMM goes parallel; 1 and 2 threads.
 */
class SimdGemmBiasTest {
    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();

    @ParameterizedTest(name = "{0}×{1}×{2}, transB {3}")
    @CsvSource({"1, 1, 1, true", "7, 33, 17, true", "9, 31, 300, false", "64, 128, 128, true",
            "130, 70, 513, true", "2048, 384, 128, true", "517, 1030, 256, false", "256, 3000, 40, true"})
    void fusedBiasHasTheBitsOfGatherThenGemm(int M, int N, int K, boolean transB) {
        int threads = Parallel.get().threads();
        try {
            for (int th : new int[] {1, 2}) {
                Parallel.setThreads(th);
                int lda = K + 3, ldb = transB ? K + 1 : N + 2;
                float[] a = t.uniform(5 + M * lda, -1, 1), b = t.uniform(2 + (transB ? N : K) * ldb, -1, 1);
                float[] bias = t.uniform(4 + N, -1, 1);
                HeapStorage ha = new HeapStorage(a), hb = new HeapStorage(b), hbias = new HeapStorage(bias);
                HeapStorage expected = new HeapStorage(t.uniform(6 + M * N, -1, 1));
                HeapStorage fused = new HeapStorage(t.uniform(6 + M * N, -1, 1)); // old contents are ignored
                // the definition (Backend.matmulBias's default): the bias in every row, then the GEMM with beta = 1
                simd.gather(new int[] {M, N}, hbias, 4, new int[] {0, 1}, expected, 6);
                simd.matmul(1, M, N, K, 1f, ha, 5, lda, 0, false, hb, 2, ldb, 0, transB, 1f, expected, 6, N, 0);
                simd.matmulBias(M, N, K, ha, 5, lda, hb, 2, ldb, transB, hbias, 4, fused, 6);
                float[] e = HeapStorage.array(expected), f = HeapStorage.array(fused);
                for (int i = 0; i < 6; i++) {
                    e[i] = f[i]; // before cOff: not part of the result
                }
                assertArrayEquals(e, f, t.where(M + "×" + N + "×" + K + " transB " + transB + ", " + th + " thread(s)"));
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @ParameterizedTest(name = "bias too short by {0}")
    @CsvSource({"1", "5"})
    void aShortBiasIsRejected(int missing) {
        HeapStorage a = new HeapStorage(4 * 8), b = new HeapStorage(8 * 8), c = new HeapStorage(4 * 8);
        HeapStorage bias = new HeapStorage(8 - missing);
        assertThrows(IllegalArgumentException.class, () -> simd.matmulBias(4, 8, 8, a, 0, 8, b, 0, 8, true, bias, 0, c, 0));
    }
}
