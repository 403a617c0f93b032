package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SimdGemm#serialPackedB} with op(B) packed once ({@link SimdGemm#packB}) for a larger K × N must give
 * exactly the bits of {@link SimdGemm#serial} on the unpacked B, for every sub-product that uses the first
 * k rows and n columns of it (attention packs a head's keys and values once and multiplies its query
 * blocks by prefixes of them). Sizes straddle the vector length, the 16-column panel and the 256-deep slab.
 */
class SimdGemmPackedBTest {
    private final SimdTesting t = new SimdTesting();

    @ParameterizedTest(name = "packed {0}×{1}, transB {2}")
    @CsvSource({"32, 256, true", "32, 256, false", "12, 72, true", "300, 33, false", "300, 33, true",
            "17, 129, false", "513, 40, true"})
    void prefixProductsMatchTheUnpackedProduct(int bigK, int bigN, boolean transB) {
        int ldb = transB ? bigK + 3 : bigN + 5; // rows of the stored B longer than the product, as in a fused qkv buffer
        float[] b = t.uniform(7 + (transB ? bigN : bigK) * ldb, -1, 1);
        SimdGemm.PackedB packed = SimdGemm.packB(bigK, bigN, b, 7, ldb, transB, null);
        int[][] kn = {{bigK, bigN}, {1, 1}, {Math.max(1, bigK / 2), Math.max(1, bigN - 1)}, {bigK, 17 % bigN + 1},
                {Math.min(bigK, 257), bigN}};
        for (int[] sub : kn) {
            int K = sub[0], N = sub[1];
            for (int M : new int[] {1, 5, 64}) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (float beta : new float[] {0f, 1f}) {
                        int lda = transA ? M + 2 : K + 2;
                        float[] a = t.uniform(3 + (transA ? K : M) * lda, -1, 1);
                        float[] c0 = t.uniform(11 + M * (N + 1), -1, 1), c1 = c0.clone();
                        SimdGemm.serial(M, N, K, 0.5f, a, 3, lda, transA, b, 7, ldb, transB, beta, c0, 11, N + 1);
                        SimdGemm.serialPackedB(M, N, K, 0.5f, a, 3, lda, transA, packed, beta, c1, 11, N + 1);
                        assertArrayEquals(c0, c1, t.where("M " + M + " N " + N + " K " + K + " transA " + transA
                                + " beta " + beta));
                    }
                }
            }
        }
    }

    @Test
    void panelsStartOnACacheLineWhereverTheBufferLies() {
        int K = 40, N = 24, M = 9;
        float[] b = t.uniform(K * N, -1, 1), a = t.uniform(M * K, -1, 1), expected = new float[M * N];
        SimdGemm.serial(M, N, K, 1f, a, 0, K, false, b, 0, N, false, 0f, expected, 0, N);
        Set<Integer> offsets = new TreeSet<>();
        for (int extra = 0; extra < 16; extra++) { // buffers of different lengths lie at different addresses
            float[] into = new float[K * 32 + HeapAddress.SLACK_FLOATS + extra];
            SimdGemm.PackedB packed = SimdGemm.packB(K, N, b, 0, N, false, into);
            assertSame(into, packed.data(), "a buffer with room for the slack is reused");
            offsets.add(packed.off());
            boolean aligned = false; // the GC may move the array between packB's look and ours: a few tries
            for (int look = 0; look < 3 && !aligned; look++) {
                aligned = (HeapAddress.of(into) + (long) packed.off() * Float.BYTES) % HeapAddress.LINE_BYTES == 0;
            }
            assertTrue(aligned, "packed panels at float " + packed.off() + " of a buffer at " + HeapAddress.of(into));
            float[] c = new float[M * N];
            SimdGemm.serialPackedB(M, N, K, 1f, a, 0, K, false, packed, 0f, c, 0, N);
            assertArrayEquals(expected, c, "offset " + packed.off());
        }
        assertTrue(offsets.size() > 1, "16 buffers all at one offset: " + offsets);
    }

    @ParameterizedTest(name = "K {0}, N {1}")
    @CsvSource({"33, 16", "32, 17"})
    void aProductLargerThanThePackedBIsRefused(int K, int N) {
        SimdGemm.PackedB packed = SimdGemm.packB(32, 16, new float[32 * 16], 0, 16, false, null);
        assertThrows(IllegalArgumentException.class, () -> SimdGemm.serialPackedB(4, N, K, 1f, new float[4 * K], 0, K,
                false, packed, 0f, new float[4 * N], 0, N));
    }
}
