package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tokenlab.tensor.simd.SimdGemm.Triangle;

/**
 * A product told its causal triangle ({@link SimdGemm.Triangle}) must give exactly the bits of the dense
 * product on the same operands (which SimdGemmBitsTest pins to the summation-order model), through both
 * {@link SimdGemm#serial} and {@link SimdGemm#serialPackedB}: A holds its zeros where the triangle says, and for
 * {@code C_UPPER_UNUSED} only the elements on or below the diagonal are compared, while a tile wholly above
 * it must keep the C it had (so the skipping is real). Sizes straddle the 4-row panel, the 16-column panel
 * and the 256-deep slab; offsets include 0 (a square causal block) and a row panel split by the diagonal.
 * alpha = 1 with N ≤ 32 runs the path that reads A in place, alpha = 0.5 the packed one.
 */
class SimdGemmTriangleTest {
    private final SimdTesting t = new SimdTesting();

    @ParameterizedTest(name = "{0} M {1} N {2} K {3} off {4}")
    @CsvSource({
        "C_UPPER_UNUSED, 64, 64, 32, 0", "C_UPPER_UNUSED, 70, 300, 33, 37", "C_UPPER_UNUSED, 33, 17, 12, 2",
        "A_UPPER_ZERO, 64, 32, 64, 0", "A_UPPER_ZERO, 70, 32, 300, 190", "A_UPPER_ZERO, 33, 17, 40, 6", "A_UPPER_ZERO, 9, 48, 20, 1",
        "A_LOWER_ZERO, 64, 32, 64, 0", "A_LOWER_ZERO, 300, 32, 70, 190", "A_LOWER_ZERO, 41, 17, 33, 5", "A_LOWER_ZERO, 9, 48, 20, 3",
    })
    void trianglesGiveTheDenseProductsBits(Triangle.Kind kind, int M, int N, int K, int off) {
        Triangle tri = new Triangle(kind, off);
        for (boolean transA : new boolean[] {false, true}) {
            for (float alpha : new float[] {1f, 0.5f}) {
                for (float beta : new float[] {0f, 1f}) {
                    int lda = transA ? M + 2 : K + 3, ldb = N + 1, ldc = N + 5;
                    float[] a = t.uniform(3 + (transA ? K : M) * lda, -1, 1), b = t.uniform(5 + K * ldb, -1, 1);
                    for (int i = 0; i < M; i++) { // the zeros the triangle promises
                        for (int k = 0; k < K; k++) {
                            boolean zero = kind == Triangle.Kind.A_UPPER_ZERO ? k > i + off
                                    : kind == Triangle.Kind.A_LOWER_ZERO && k < i - off;
                            if (zero) {
                                a[transA ? 3 + k * lda + i : 3 + i * lda + k] = 0f;
                            }
                        }
                    }
                    float[] c = t.uniform(7 + M * ldc, -1, 1), dense = c.clone(), serial = c.clone(), packed = c.clone();
                    SimdGemm.serial(M, N, K, alpha, a, 3, lda, transA, b, 5, ldb, false, beta, dense, 7, ldc);
                    SimdGemm.serial(M, N, K, alpha, a, 3, lda, transA, b, 5, ldb, false, beta, serial, 7, ldc, tri);
                    SimdGemm.PackedB pb = SimdGemm.packB(K, N, b, 5, ldb, false, null);
                    SimdGemm.serialPackedB(M, N, K, alpha, a, 3, lda, transA, pb, beta, packed, 7, ldc, tri);
                    String what = kind + " M " + M + " N " + N + " K " + K + " off " + off + " transA " + transA
                            + " alpha " + alpha + " beta " + beta;
                    compare(what + " serial", tri, M, N, ldc, c, dense, serial);
                    compare(what + " packed B", tri, M, N, ldc, c, dense, packed);
                }
            }
        }
    }

    // needed elements bitwise equal to the dense product; for C_UPPER_UNUSED, the top-right element (in a tile
    // wholly above the diagonal when there is one) keeps its old value
    private void compare(String what, Triangle tri, int M, int N, int ldc, float[] old, float[] dense, float[] got) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                int ci = 7 + i * ldc + j;
                boolean needed = tri.kind() != Triangle.Kind.C_UPPER_UNUSED || j <= i + tri.off();
                if (needed && Float.floatToRawIntBits(dense[ci]) != Float.floatToRawIntBits(got[ci])) {
                    fail(t.where(what) + ": C(" + i + ", " + j + ") = " + got[ci] + ", dense " + dense[ci]);
                }
            }
        }
        int firstSkipped = (tri.off() + SimdGemmKernel.MR + SimdGemmKernel.NR - 1) / SimdGemmKernel.NR * SimdGemmKernel.NR;
        if (tri.kind() == Triangle.Kind.C_UPPER_UNUSED && N > firstSkipped) {
            assertEquals(old[7 + N - 1], got[7 + N - 1], t.where(what) + ": C(0, N−1) lies in a tile above the diagonal");
        }
    }
}
