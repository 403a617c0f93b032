package org.tokenlab.tensor.simd;

/**
 * One GEMM test problem: {@code batch} products {@code C = alpha·op(A)·op(B) + beta·C} of shape
 * M × N × K with leading dimensions padded by {@code pad}, batch entries {@code size*()} floats apart.
 */
record GemmProblem(int batch, int M, int N, int K, boolean tA, boolean tB, float alpha, float beta, int pad) {
    int lda() {
        return (tA ? M : K) + pad;
    }

    int ldb() {
        return (tB ? K : N) + pad;
    }

    int ldc() {
        return N + pad;
    }

    int sizeA() {
        return (tA ? K : M) * lda();
    }

    int sizeB() {
        return (tB ? N : K) * ldb();
    }

    int sizeC() {
        return M * ldc();
    }
}
