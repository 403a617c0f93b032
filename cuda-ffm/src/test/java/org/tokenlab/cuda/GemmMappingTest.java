package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tokenlab.cuda.bindings.Cublas;

/** The row-major → column-major mapping, checked against BLAS's column-major definition. */
class GemmMappingTest {
    /** Column-major sgemm as the BLAS reference defines it (alpha 1, beta 0). */
    private static void sgemmColumnMajor(int opA, int opB, int m, int n, int k, float[] A, int lda,
                                         float[] B, int ldb, float[] C, int ldc) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double acc = 0;
                for (int l = 0; l < k; l++) {
                    float a = opA == Cublas.CUBLAS_OP_N ? A[i + l * lda] : A[l + i * lda];
                    float b = opB == Cublas.CUBLAS_OP_N ? B[l + j * ldb] : B[j + l * ldb];
                    acc += (double) a * b;
                }
                C[i + j * ldc] = (float) acc;
            }
        }
    }

    /** Row-major C = op(A)·op(B) as Backend.matmul defines it. */
    private static void rowMajor(int M, int N, int K, float[] a, int lda, boolean tA, float[] b, int ldb, boolean tB,
                                 float[] c, int ldc) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double acc = 0;
                for (int k = 0; k < K; k++) {
                    acc += (double) (tA ? a[k * lda + i] : a[i * lda + k]) * (tB ? b[j * ldb + k] : b[k * ldb + j]);
                }
                c[i * ldc + j] = (float) acc;
            }
        }
    }

    @Test
    void everyTransposeComboMatchesTheRowMajorDefinition() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 40; trial++) {
            int M = 1 + r.nextInt(7), N = 1 + r.nextInt(7), K = 1 + r.nextInt(7);
            boolean tA = r.nextBoolean(), tB = r.nextBoolean();
            int lda = (tA ? M : K) + r.nextInt(3), ldb = (tB ? K : N) + r.nextInt(3), ldc = N + r.nextInt(3);
            float[] a = random(r, (tA ? K : M) * lda), b = random(r, (tB ? N : K) * ldb);
            float[] expected = new float[M * ldc], actual = new float[M * ldc];
            rowMajor(M, N, K, a, lda, tA, b, ldb, tB, expected, ldc);
            GemmMapping.ColumnMajor g = GemmMapping.rowMajor(M, N, K, tA, lda, tB, ldb, ldc);
            // the first operand is B, the second A: exactly what CudaBackend passes to cuBLAS
            sgemmColumnMajor(g.opFirst(), g.opSecond(), g.m(), g.n(), g.k(), b, g.ldFirst(), a, g.ldSecond(), actual, g.ldc());
            assertArrayEquals(expected, actual, "M=" + M + " N=" + N + " K=" + K + " tA=" + tA + " tB=" + tB);
        }
    }

    @Test
    void theLinearForwardIsSgemmTN() {
        // out(BT,OC) = inp(BT,C) · Wᵀ, W (OC,C): sgemm(T, N, OC, BT, C, W, C, inp, C, out, OC)
        int BT = 6, C = 4, OC = 5;
        GemmMapping.ColumnMajor g = GemmMapping.rowMajor(BT, OC, C, false, C, true, C, OC);
        assertEquals(new GemmMapping.ColumnMajor(Cublas.CUBLAS_OP_T, Cublas.CUBLAS_OP_N, OC, BT, C, C, C, OC), g);
    }

    @Test
    void leadingDimensionsSmallerThanTheRowsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmMapping.rowMajor(3, 4, 5, false, 4, false, 4, 4));
        assertEquals("lda=4 is smaller than the row width 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmMapping.rowMajor(3, 4, 5, false, 5, false, 4, 3));
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
