package org.tokenlab.cuda;

import org.tokenlab.cuda.bindings.Cublas;

/**
 * Maps a row-major GEMM onto cuBLAS's column-major one. A row-major matrix X (r,c) with leading
 * dimension ld is, read column-major, Xᵀ (c,r) with the same ld. So row-major
 * {@code C(M,N) = op(A)(M,K) · op(B)(K,N)} is column-major {@code Cᵀ(N,M) = op(B)ᵀ · op(A)ᵀ}: swap the
 * operands, swap M and N, keep each operand's transpose flag and leading dimension.
 *
 * <p>Example (GPU.md): row-major {@code C = A·B} is {@code sgemm(N, N, n=N, m=M, k, B, ldb, A, lda, C, ldc)};
 * a Linear forward {@code out(BT,OC) = inp(BT,C)·Wᵀ} with W (OC,C) is
 * {@code sgemm(T, N, OC, BT, C, W, C, inp, C, out, OC)}.
 */
public final class GemmMapping {
    private GemmMapping() {
    }

    /**
     * One column-major call: {@code C(m,n) = opFirst(first)(m,k) · opSecond(second)(k,n)}, where
     * "first" is the row-major B and "second" the row-major A.
     *
     * @param opFirst  {@link Cublas#CUBLAS_OP_N} or {@link Cublas#CUBLAS_OP_T} for the first operand (B)
     * @param opSecond the same for the second operand (A)
     */
    public record ColumnMajor(int opFirst, int opSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {
    }

    /** The column-major call computing row-major {@code C(M,N) = op(A)·op(B)}; checks the leading dimensions. */
    public static ColumnMajor rowMajor(int M, int N, int K, boolean transA, int lda, boolean transB, int ldb, int ldc) {
        if (M < 0 || N < 0 || K < 0) {
            throw new IllegalArgumentException("negative GEMM size M=" + M + " N=" + N + " K=" + K);
        }
        // Row-major widths: A is (M,K) or, transposed, stored (K,M); B is (K,N) or stored (N,K).
        requireLd("lda", lda, transA ? M : K);
        requireLd("ldb", ldb, transB ? K : N);
        requireLd("ldc", ldc, N);
        return new ColumnMajor(transB ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N,
                transA ? Cublas.CUBLAS_OP_T : Cublas.CUBLAS_OP_N, N, M, K, ldb, lda, ldc);
    }

    private static void requireLd(String name, int ld, int width) {
        if (ld < Math.max(1, width)) {
            throw new IllegalArgumentException(name + "=" + ld + " is smaller than the row width " + width);
        }
    }
}
