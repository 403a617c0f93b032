package org.tokenlab.tensor.simd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Thread-count invariance: GEMM (every code path: big packed, K across slabs, batched small), the
 * attention forward and backward, and the row-parallel backward kernels give bitwise-identical
 * results with 1, 2 and 3 threads. The problems are large enough to be split across threads.
 */
class SimdDeterminismTest {
    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();
    private final int defaultThreads = Parallel.get().threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(defaultThreads);
    }

    private void sameForThreads(String what, Supplier<List<float[]>> run) {
        List<float[]> base = null;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            List<float[]> got = run.get();
            if (base == null) {
                base = got;
            } else {
                for (int i = 0; i < base.size(); i++) {
                    t.assertBitwise(what + " output " + i + " with " + threads + " threads vs 1", base.get(i), got.get(i));
                }
            }
        }
    }

    @Test
    void gemm() {
        float[] a = t.uniform(300 * 600, -1, 1), b = t.uniform(600 * 260, -1, 1), c0 = t.uniform(300 * 260, -1, 1);
        sameForThreads("gemm 300x260x600 transB", () -> {
            HeapStorage c = new HeapStorage(c0.clone());
            simd.matmul(1, 300, 260, 600, 1f, new HeapStorage(a), 0, 600, 0, false,
                    new HeapStorage(b), 0, 600, 0, true, 0.5f, c, 0, 260, 0);
            return List.of(c.data);
        });
        sameForThreads("gemm 16 x (64x64x64) batched", () -> {
            HeapStorage c = new HeapStorage(16 * 4096);
            simd.matmul(16, 64, 64, 64, 1f, new HeapStorage(a), 0, 64, 4096, true,
                    new HeapStorage(b), 0, 64, 4096, false, 0f, c, 0, 64, 4096);
            return List.of(c.data);
        });
        float[] wide = t.uniform(300 * 2000, -1, 1);
        sameForThreads("gemm short and wide 8x2000x300", () -> {
            HeapStorage c = new HeapStorage(8 * 2000);
            simd.matmul(1, 8, 2000, 300, 1f, new HeapStorage(a), 0, 300, 0, false,
                    new HeapStorage(wide), 0, 2000, 0, false, 0f, c, 0, 2000, 0);
            return List.of(c.data);
        });
    }

    @Test
    void attentionForwardAndBackward() {
        attentionSameForThreads(0f);
    }

    @Test
    void attentionWithDropoutForwardAndBackward() {
        attentionSameForThreads(0.2f);
    }

    private void attentionSameForThreads(float p) {
        int B = 2, NH = 3, T = 70, HS = 24, C = NH * HS;
        AttentionShape s = new AttentionShape(B, NH, T, T, HS, 0.2f, true, p, 12345L, 77L);
        float[] q = t.uniform(B * T * C, -1, 1), k = t.uniform(B * T * C, -1, 1), v = t.uniform(B * T * C, -1, 1);
        float[] g = t.uniform(B * T * C, -1, 1);
        sameForThreads("attention dropout " + p, () -> {
            HeapStorage out = new HeapStorage(B * T * C), lse = new HeapStorage(B * NH * T);
            HeapStorage dq = new HeapStorage(B * T * C), dk = new HeapStorage(B * T * C), dv = new HeapStorage(B * T * C);
            Strided qv = view(q, T, C), kv = view(k, T, C), vv = view(v, T, C), ov = new Strided(out, 0, T * C, C);
            simd.attention(s, qv, kv, vv, ov, lse);
            simd.attentionBackward(s, qv, kv, vv, ov, lse, view(g, T, C), new Strided(dq, 0, T * C, C),
                    new Strided(dk, 0, T * C, C), new Strided(dv, 0, T * C, C));
            return List.of(out.data, lse.data, dq.data, dk.data, dv.data);
        });
    }

    private static Strided view(float[] x, int T, int C) {
        return new Strided(new HeapStorage(x), 0, T * C, C);
    }

    @Test
    void rowParallelBackwardsAndSums() {
        int N = 600, C = 300;
        float[] x = t.uniform(N * C, -1, 1), w = t.uniform(C, 0.5f, 1.5f), dy = t.uniform(N * C, -1, 1);
        // dWeight and dBias accumulate (+=) onto what they hold; their column strips follow the thread count
        float[] dw0 = t.uniform(C, -1, 1), db0 = t.uniform(C, -1, 1);
        int[] idx = new int[N];
        for (int n = 0; n < N; n++) {
            idx[n] = t.rnd.nextInt(50);
        }
        sameForThreads("norms, embedding, sumOfSquares", () -> {
            List<float[]> out = new ArrayList<>();
            HeapStorage y = new HeapStorage(N * C), mean = new HeapStorage(N), rstd = new HeapStorage(N);
            simd.layerNorm(N, C, 1e-5f, new HeapStorage(x), 0, new HeapStorage(w), null, y, 0, mean, rstd);
            HeapStorage dx = new HeapStorage(N * C), dw = new HeapStorage(dw0.clone()), db = new HeapStorage(db0.clone());
            simd.layerNormBackward(N, C, new HeapStorage(x), 0, new HeapStorage(w), mean, rstd,
                    new HeapStorage(dy), 0, dx, 0, dw, db);
            HeapStorage table = new HeapStorage(50 * C);
            simd.embeddingBackward(N, C, idx, new HeapStorage(dy), 0, table);
            double ssq = simd.sumOfSquares(new HeapStorage(dy), 0, N * C);
            out.add(y.data);
            out.add(dx.data);
            out.add(dw.data);
            out.add(db.data);
            out.add(table.data);
            out.add(new float[] {(float) ssq, (float) (ssq - (float) ssq)});
            return out;
        });
    }
}
