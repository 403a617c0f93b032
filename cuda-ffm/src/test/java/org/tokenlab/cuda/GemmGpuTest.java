package org.tokenlab.cuda;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.MatmulPrecision;

/**
 * cuBLAS GEMM through the row-major mapping against ScalarBackend: every transpose combination,
 * batches with strides (and a broadcast stride 0), alpha and beta. fp32: 1e-4 relative + 1e-5·K
 * absolute; TF32 (10-bit mantissa inputs): 5e-3 relative + 2e-3·√K absolute; bf16 (8-bit mantissa
 * inputs, fp32 accumulation): 2e-2 relative + 1e-2·√K absolute.
 */
@Tag("gpu")
class GemmGpuTest {
    private static void run(GpuPair p, int batch, int M, int N, int K, boolean tA, boolean tB, float alpha, float beta,
                            boolean broadcastB, double rtol, double atol, String what) {
        int lda = (tA ? M : K) + 3, ldb = (tB ? K : N) + 1, ldc = N + 2;
        int sa = (tA ? K : M) * lda, sb = broadcastB ? 0 : (tB ? N : K) * ldb, sc = M * ldc;
        GpuPair.Both a = p.up(p.random(batch * sa, -1, 1));
        GpuPair.Both b = p.up(p.random(broadcastB ? (tB ? N : K) * ldb : batch * sb, -1, 1));
        GpuPair.Both c = p.up(p.random(batch * sc, -1, 1));
        p.cpu.matmul(batch, M, N, K, alpha, a.c(), 0, lda, sa, tA, b.c(), 0, ldb, sb, tB, beta, c.c(), 0, ldc, sc);
        p.gpu.matmul(batch, M, N, K, alpha, a.g(), 0, lda, sa, tA, b.g(), 0, ldb, sb, tB, beta, c.g(), 0, ldc, sc);
        p.assertClose(what + " batch=" + batch + " M=" + M + " N=" + N + " K=" + K + " tA=" + tA + " tB=" + tB, c, rtol, atol);
    }

    @Test
    void fp32EveryTransposeAndBatch() {
        try (GpuPair p = new GpuPair(20)) {
            for (boolean tA : new boolean[] {false, true}) {
                for (boolean tB : new boolean[] {false, true}) {
                    run(p, 1, 33, 47, 65, tA, tB, 1f, 0f, false, 1e-4, 65e-5, "fp32");
                    run(p, 3, 17, 9, 31, tA, tB, 0.5f, 1f, false, 1e-4, 31e-5, "fp32");
                    run(p, 4, 8, 12, 16, tA, tB, 1f, 0.25f, true, 1e-4, 16e-5, "fp32 broadcast B");
                }
            }
        }
    }

    @Test
    void tf32WhenEnabled() {
        try (GpuPair p = new GpuPair(21)) {
            p.cuda().setMatmulPrecision(MatmulPrecision.TF32);
            run(p, 1, 256, 192, 512, false, true, 1f, 0f, false, 5e-3, 2e-3 * Math.sqrt(512), "tf32");
            p.cuda().setMatmulPrecision(MatmulPrecision.FP32);
            run(p, 1, 64, 64, 64, false, false, 1f, 0f, false, 1e-4, 64e-5, "fp32 after tf32 off");
        }
    }

    @Test
    void bf16InputsWithFp32Accumulation() {
        try (GpuPair p = new GpuPair(22)) {
            for (boolean tB : new boolean[] {false, true}) {
                int M = 96, N = 80, K = 256, lda = K, ldb = tB ? K : N, ldc = N;
                GpuPair.Both a = p.up(p.random(M * lda, -1, 1));
                GpuPair.Both b = p.up(p.random((tB ? N : K) * ldb, -1, 1));
                GpuPair.Both c = p.zeros(M * ldc);
                p.cpu.matmul(1, M, N, K, 1f, a.c(), 0, lda, 0, false, b.c(), 0, ldb, 0, tB, 0f, c.c(), 0, ldc, 0);
                p.cuda().matmulBf16(M, N, K, a.g(), 0, lda, false, b.g(), 0, ldb, tB, c.g(), 0, ldc);
                p.assertClose("bf16 tB=" + tB, c, 2e-2, 1e-2 * Math.sqrt(K));
            }
        }
    }
}
