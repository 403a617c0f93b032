package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tokenlab.tensor.simd.SimdGemmKernel.MR;
import static org.tokenlab.tensor.simd.SimdGemmKernel.NR;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Packing against its scalar definition (SimdGemmPack's Javadoc), bit for bit: every packed float, the zeros past
 * M and N, and nothing written outside the slab. Row counts that leave 0–3 panels after the groups of four that
 * the transposed-A path packs together, a partial last panel, depths that are not multiples of 4 or of the vector
 * length, alpha ≠ 1, offsets and leading dimensions with padding; for Bᵀ, column and depth counts that take the
 * 16 × 16 register transposes (with 16 lanes), their tails of k and the 4 × 4 path after them.
 */
class SimdGemmPackTest {
    private final SimdTesting t = new SimdTesting();

    @Test
    void packAMatchesTheScalarDefinition() {
        int[] rowCounts = {1, 3, 4, 5, 15, 16, 17, 20, 29, 33, 64, 69};
        int[] depths = {1, 3, 4, 7, 8, 9, 33, SimdGemm.KC};
        for (boolean transA : new boolean[] {false, true}) {
            for (float alpha : new float[] {1f, -0.75f}) {
                for (int rows : rowCounts) {
                    for (int kc : depths) {
                        int m0 = 2, M = m0 + rows + 1, pc = 3, K = pc + kc + 2;
                        int lda = transA ? M + 5 : K + 5, aOff = 7;
                        float[] a = t.uniform(aOff + (transA ? K : M) * lda, -1, 1);
                        SimdGemm.Op op = new SimdGemm.Op(M, 1, K, alpha, a, aOff, lda, transA, null, 0, 0, false, 0f, null, 0, 0);
                        int panels = (rows + MR - 1) / MR, slab = 11, size = panels * MR * kc;
                        float[] ap = new float[slab + size + 13];
                        Arrays.fill(ap, Float.NaN);
                        SimdGemmPack.packA(op, ap, slab, m0, m0 + rows, pc, kc);
                        String where = "transA " + transA + " alpha " + alpha + " rows " + rows + " kc " + kc;
                        for (int p = 0; p < panels; p++) {
                            for (int k = 0; k < kc; k++) {
                                for (int r = 0; r < MR; r++) {
                                    int i = m0 + p * MR + r;
                                    float want = i >= m0 + rows ? 0f
                                            : alpha * a[transA ? aOff + (pc + k) * lda + i : aOff + i * lda + pc + k];
                                    assertEquals(Float.floatToRawIntBits(want),
                                            Float.floatToRawIntBits(ap[slab + (p * kc + k) * MR + r]),
                                            t.where(where + " panel " + p + " k " + k + " r " + r));
                                }
                            }
                        }
                        assertNothingOutside(ap, slab, size, where);
                    }
                }
            }
        }
    }

    @Test
    void packBMatchesTheScalarDefinition() {
        int[] colCounts = {1, 3, 4, 15, 16, 17, 35, 48, 64, 70};
        int[] depths = {1, 3, 4, 5, 9, 16, 32, 33, 47};
        for (boolean transB : new boolean[] {false, true}) {
            for (int cols : colCounts) {
                for (int kc : depths) {
                    int jc = 1, N = jc + cols, pc = 2, K = pc + kc + 1;
                    int ldb = transB ? K + 3 : N + 3, bOff = 5;
                    float[] b = t.uniform(bOff + (transB ? N : K) * ldb, -1, 1);
                    SimdGemm.Op op = new SimdGemm.Op(1, N, K, 1f, null, 0, 0, false, b, bOff, ldb, transB, 0f, null, 0, 0);
                    int panels = (cols + NR - 1) / NR, slab = 9, size = panels * NR * kc;
                    float[] bp = new float[slab + size + 13];
                    Arrays.fill(bp, Float.NaN);
                    SimdGemmPack.packB(op, bp, slab, jc, pc, kc, 0, panels);
                    String where = "transB " + transB + " cols " + cols + " kc " + kc;
                    for (int q = 0; q < panels; q++) {
                        for (int k = 0; k < kc; k++) {
                            for (int x = 0; x < NR; x++) {
                                int j = jc + q * NR + x;
                                float want = j >= N ? 0f : b[transB ? bOff + j * ldb + pc + k : bOff + (pc + k) * ldb + j];
                                assertEquals(Float.floatToRawIntBits(want),
                                        Float.floatToRawIntBits(bp[slab + (q * kc + k) * NR + x]),
                                        t.where(where + " panel " + q + " k " + k + " x " + x));
                            }
                        }
                    }
                    assertNothingOutside(bp, slab, size, where);
                }
            }
        }
    }

    // every float of buf outside [slab, slab + size) still holds the NaN it was filled with
    private void assertNothingOutside(float[] buf, int slab, int size, String where) {
        for (int x = 0; x < buf.length; x++) {
            if (x < slab || x >= slab + size) {
                assertEquals(Float.NaN, buf[x], t.where(where + " wrote outside the slab at " + x));
            }
        }
    }
}
