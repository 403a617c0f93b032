package org.tokenlab.tensor.backend.scalar;

/**
 * Reference batched GEMM: the textbook triple loop with a double accumulator per output element.
 * {@code C_b = alpha · op(A_b) · op(B_b) + beta · C_b}; op(A) (M,K), op(B) (K,N), C (M,N).
 */
public final class ScalarGemm {
    private ScalarGemm() {
    }

    // A (batch, M, K) (or its transpose), B (batch, K, N) (or its transpose) -> C (batch, M, N)
    public static void matmul(int batch, int M, int N, int K, float alpha,
                              float[] a, int aOff, int lda, int strideA, boolean transA,
                              float[] b, int bOff, int ldb, int strideB, boolean transB,
                              float beta, float[] c, int cOff, int ldc, int strideC) {
        for (int bt = 0; bt < batch; bt++) {
            int a0 = aOff + bt * strideA;
            int b0 = bOff + bt * strideB;
            int c0 = cOff + bt * strideC;
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double sum = 0.0;
                    for (int k = 0; k < K; k++) {
                        float av = transA ? a[a0 + k * lda + i] : a[a0 + i * lda + k];
                        float bv = transB ? b[b0 + j * ldb + k] : b[b0 + k * ldb + j];
                        sum += (double) av * bv;
                    }
                    int ci = c0 + i * ldc + j;
                    // beta == 0 ignores the old contents of C, NaNs included (the BLAS convention).
                    float old = beta == 0f ? 0f : beta * c[ci];
                    c[ci] = (float) (alpha * sum) + old;
                }
            }
        }
    }
}
