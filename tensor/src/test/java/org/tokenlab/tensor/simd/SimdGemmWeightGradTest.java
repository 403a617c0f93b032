package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * The fused Linear weight and bias gradients, {@link SimdBackend#matmulWeightGrad}, must give exactly the bits of
 * their definition ({@link org.tokenlab.tensor.backend.Backend#matmulWeightGrad}'s default): the GEMM
 * {@code C = gᵀ·x + beta·C}, then the column sums of g. Sizes straddle the tile (MR rows, NR columns), the
 * 256-deep k slab (the sums carried from slab to slab), the panels summed four at a time, a partial last panel,
 * the products that would read A in place (N ≤ 64) and two column slices (K = 4096: A packed twice, summed once);
 * 1, 2 and 3 threads (rows split among tasks, and N split too).
 */
class SimdGemmWeightGradTest {
    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();

    @ParameterizedTest(name = "{0}×{1}×{2}, beta {3}")
    @CsvSource({"1, 1, 1, 0", "7, 33, 17, 1", "9, 31, 300, 0", "128, 128, 2048, 0", "384, 128, 2048, 1",
            "130, 70, 513, 0", "45, 512, 700, 1", "40, 1100, 4096, 0", "256, 64, 2048, 0.5"})
    void fusedSumsAndProductHaveTheBitsOfGemmThenReduce(int M, int N, int K, float beta) {
        int threads = Parallel.get().threads();
        try {
            for (int th : new int[] {1, 2, 3}) {
                Parallel.setThreads(th);
                int ldx = N + 3;
                HeapStorage g = new HeapStorage(t.uniform(5 + K * M, -1, 1)), x = new HeapStorage(t.uniform(2 + K * ldx, -1, 1));
                float[] oldC = t.uniform(6 + M * N, -1, 1);
                HeapStorage expected = new HeapStorage(oldC.clone()), fused = new HeapStorage(oldC.clone());
                HeapStorage expectedSums = new HeapStorage(t.uniform(4 + M, -1, 1));
                HeapStorage fusedSums = new HeapStorage(t.uniform(4 + M, -1, 1)); // old contents are ignored
                simd.matmul(1, M, N, K, 1f, g, 5, M, 0, true, x, 2, ldx, 0, false, beta, expected, 6, N, 0);
                simd.reduce(ReduceOp.SUM, 1, K, M, g, 5, expectedSums, 4, null);
                simd.matmulWeightGrad(M, N, K, g, 5, x, 2, ldx, beta, fused, 6, fusedSums, 4);
                String where = M + "×" + N + "×" + K + " beta " + beta + ", " + th + " thread(s)";
                assertArrayEquals(HeapStorage.array(expected), HeapStorage.array(fused), t.where("C of " + where));
                float[] es = HeapStorage.array(expectedSums), fs = HeapStorage.array(fusedSums);
                for (int i = 0; i < 4; i++) {
                    es[i] = fs[i]; // before rowSumsOff: not part of the result
                }
                assertArrayEquals(es, fs, t.where("row sums of " + where));
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @ParameterizedTest(name = "sums too short by {0}")
    @CsvSource({"1", "5"})
    void shortSumsAreRejected(int missing) {
        HeapStorage g = new HeapStorage(16 * 8), x = new HeapStorage(16 * 8), c = new HeapStorage(8 * 8);
        HeapStorage sums = new HeapStorage(8 - missing);
        assertThrows(IllegalArgumentException.class, () -> simd.matmulWeightGrad(8, 8, 16, g, 0, x, 0, 8, 0f, c, 0, sums, 0));
    }
}
