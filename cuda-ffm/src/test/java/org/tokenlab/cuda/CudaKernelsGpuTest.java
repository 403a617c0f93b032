package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Every non-GEMM kernel of the CUDA backend against ScalarBackend on fresh random inputs. Tolerances:
 * elementwise 1e-5 relative (CUDA's expf/tanhf/powf are within 2–4 ulp, Java's within 1), row
 * reductions 1e-5 relative + 1e-6 absolute (different summation trees), gathers, copies, dropout and
 * the embedding scatter exact (same operations in the same order).
 */
@Tag("gpu")
class CudaKernelsGpuTest {
    @Test
    void memoryFillCopyAndStridedGather() {
        try (GpuPair p = new GpuPair(1)) {
            GpuPair.Both x = p.up(p.random(6 * 5, -1, 1));
            GpuPair.Both y = p.zeros(40);
            p.cpu.fill(y.c(), 3, 20, 2.5f);
            p.gpu.fill(y.g(), 3, 20, 2.5f);
            p.cpu.copy(x.c(), 4, y.c(), 25, 10);
            p.gpu.copy(x.g(), 4, y.g(), 25, 10);
            p.assertClose("fill+copy", y, 0, 0);
            int[] shape = {5, 3};
            int[] strides = {1, 5}; // a transpose of the first 15 elements
            GpuPair.Both g = p.zeros(15);
            p.cpu.gather(shape, x.c(), 2, strides, g.c(), 0);
            p.gpu.gather(shape, x.g(), 2, strides, g.g(), 0);
            p.assertClose("gather", g, 0, 0);
        }
    }

    @Test
    void binaryWithBroadcastingEveryOp() {
        try (GpuPair p = new GpuPair(2)) {
            int B = 3, T = 4, C = 5;
            GpuPair.Both a = p.up(p.random(B * T * C, -2, 2));
            GpuPair.Both b = p.up(p.random(C, 0.5, 2));
            for (BinaryOp op : BinaryOp.values()) {
                GpuPair.Both out = p.zeros(B * T * C);
                int[] shape = {B, T, C};
                int[] sa = {T * C, C, 1};
                int[] sb = {0, 0, 1};
                p.cpu.binary(op, shape, a.c(), 0, sa, b.c(), 0, sb, out.c(), 0);
                p.gpu.binary(op, shape, a.g(), 0, sa, b.g(), 0, sb, out.g(), 0);
                p.assertClose("binary " + op, out, 1e-6, 0);
            }
        }
    }

    @Test
    void unaryForwardAndBackwardEveryOp() {
        try (GpuPair p = new GpuPair(3)) {
            int n = 1000;
            for (UnaryOp op : UnaryOp.values()) {
                boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW;
                GpuPair.Both x = p.up(p.random(n, positive ? 0.1 : -3, 3));
                GpuPair.Both y = p.zeros(n);
                GpuPair.Both dy = p.up(p.random(n, -1, 1));
                GpuPair.Both dx = p.up(p.random(n, -1, 1));
                float param = op == UnaryOp.POW ? 1.7f : 0.75f;
                p.cpu.unary(op, param, x.c(), 0, y.c(), 0, n);
                p.gpu.unary(op, param, x.g(), 0, y.g(), 0, n);
                p.assertClose("unary " + op, y, 1e-5, 1e-7);
                p.cpu.unaryBackward(op, param, x.c(), 0, y.c(), 0, dy.c(), 0, dx.c(), 0, n);
                p.gpu.unaryBackward(op, param, x.g(), 0, y.g(), 0, dy.g(), 0, dx.g(), 0, n);
                p.assertClose("unaryBackward " + op, dx, 1e-5, 1e-6);
            }
            GpuPair.Both s = p.up(p.random(100, -1, 1));
            GpuPair.Both d = p.up(p.random(100, -1, 1));
            p.cpu.axpy(90, -0.3f, s.c(), 5, d.c(), 10);
            p.gpu.axpy(90, -0.3f, s.g(), 5, d.g(), 10);
            p.assertClose("axpy", d, 1e-6, 1e-7);
        }
    }

    @Test
    void reductionsAndSumOfSquares() {
        try (GpuPair p = new GpuPair(4)) {
            int outer = 3, R = 50, inner = 7;
            GpuPair.Both x = p.up(p.random(outer * R * inner, -1, 1));
            for (ReduceOp op : ReduceOp.values()) {
                GpuPair.Both out = p.zeros(outer * inner);
                int[] ac = op == ReduceOp.MAX ? new int[outer * inner] : null;
                int[] ag = op == ReduceOp.MAX ? new int[outer * inner] : null;
                p.cpu.reduce(op, outer, R, inner, x.c(), 0, out.c(), 0, ac);
                p.gpu.reduce(op, outer, R, inner, x.g(), 0, out.g(), 0, ag);
                p.assertClose("reduce " + op, out, 1e-5, 1e-6);
                if (ac != null) {
                    assertArrayEquals(ac, ag, "argmax");
                }
            }
            GpuPair.Both rows = p.up(p.random(3 * 5000, -1, 1)); // long rows: the block-per-row kernel
            GpuPair.Both sums = p.zeros(3);
            p.cpu.reduce(ReduceOp.SUM, 3, 5000, 1, rows.c(), 0, sums.c(), 0, null);
            p.gpu.reduce(ReduceOp.SUM, 3, 5000, 1, rows.g(), 0, sums.g(), 0, null);
            p.assertClose("reduce SUM long rows", sums, 1e-6, 1e-6);
            GpuPair.Both cols = p.up(p.random(2 * 2048 * 300, -1, 1)); // 300 columns: ten blocks, the last partial
            GpuPair.Both colSums = p.zeros(2 * 300);
            p.cpu.reduce(ReduceOp.SUM, 2, 2048, 300, cols.c(), 0, colSums.c(), 0, null);
            p.gpu.reduce(ReduceOp.SUM, 2, 2048, 300, cols.g(), 0, colSums.g(), 0, null);
            p.assertClose("reduce SUM columns", colSums, 1e-6, 1e-6);
            GpuPair.Both big = p.up(p.random(100_003, -1, 1));
            double c = p.cpu.sumOfSquares(big.c(), 3, 100_000);
            double g = p.gpu.sumOfSquares(big.g(), 3, 100_000);
            assertEquals(c, g, 1e-9 * c, "sumOfSquares");
            assertEquals(g, p.gpu.sumOfSquares(big.g(), 3, 100_000), "sumOfSquares must be deterministic");
            double[] several = p.gpu.sumsOfSquares(new Storage[] {big.g(), big.g(), big.g()}, new int[] {3, 0, 7},
                    new int[] {100_000, 5, 0});
            assertArrayEquals(new double[] {g, p.gpu.sumOfSquares(big.g(), 0, 5), 0.0}, several,
                    "sumsOfSquares gives each range's sumOfSquares exactly");
        }
    }

    @Test
    void softmaxAndLogSoftmaxWithBackward() {
        try (GpuPair p = new GpuPair(5)) {
            int rows = 17, cols = 301;
            for (boolean log : new boolean[] {false, true}) {
                GpuPair.Both x = p.up(p.random(rows * cols, -5, 5));
                GpuPair.Both y = p.zeros(rows * cols);
                p.cpu.softmax(rows, cols, x.c(), 0, y.c(), 0, log);
                p.gpu.softmax(rows, cols, x.g(), 0, y.g(), 0, log);
                p.assertClose("softmax log=" + log, y, 1e-5, 1e-7);
                GpuPair.Both dy = p.up(p.random(rows * cols, -1, 1));
                GpuPair.Both dx = p.up(p.random(rows * cols, -1, 1));
                p.cpu.softmaxBackward(rows, cols, y.c(), 0, dy.c(), 0, dx.c(), 0, log);
                p.gpu.softmaxBackward(rows, cols, y.g(), 0, dy.g(), 0, dx.g(), 0, log);
                p.assertClose("softmaxBackward log=" + log, dx, 1e-4, 1e-5);
            }
        }
    }

    @Test
    void layerNormAndRmsNormWithBackward() {
        // N = 1000 > 32 rows: the weight gradients' 32 row groups each sum several rows (common.cuh)
        for (int N : new int[] {9, 1000}) {
            layerNormAndRmsNorm(N, 130);
        }
    }

    private static void layerNormAndRmsNorm(int N, int C) {
        try (GpuPair p = new GpuPair(6)) {
            GpuPair.Both x = p.up(p.random(N * C, -2, 3));
            GpuPair.Both w = p.up(p.random(C, 0.5, 1.5));
            GpuPair.Both b = p.up(p.random(C, -0.5, 0.5));
            GpuPair.Both dy = p.up(p.random(N * C, -1, 1));
            for (boolean withBias : new boolean[] {true, false}) {
                GpuPair.Both y = p.zeros(N * C), mean = p.zeros(N), rstd = p.zeros(N);
                p.cpu.layerNorm(N, C, 1e-5f, x.c(), 0, w.c(), withBias ? b.c() : null, y.c(), 0, mean.c(), rstd.c());
                p.gpu.layerNorm(N, C, 1e-5f, x.g(), 0, w.g(), withBias ? b.g() : null, y.g(), 0, mean.g(), rstd.g());
                p.assertClose("layerNorm y", y, 1e-4, 1e-5);
                p.assertClose("layerNorm rstd", rstd, 1e-5, 0);
                GpuPair.Both dx = p.zeros(N * C), dw = p.up(p.random(C, -1, 1)), db = p.zeros(C);
                p.cpu.layerNormBackward(N, C, x.c(), 0, w.c(), mean.c(), rstd.c(), dy.c(), 0, dx.c(), 0, dw.c(),
                        withBias ? db.c() : null);
                p.gpu.layerNormBackward(N, C, x.g(), 0, w.g(), mean.g(), rstd.g(), dy.g(), 0, dx.g(), 0, dw.g(),
                        withBias ? db.g() : null);
                p.assertClose("layerNorm dx", dx, 1e-4, 1e-5);
                p.assertClose("layerNorm dw", dw, 1e-4, 1e-5);
                p.assertClose("layerNorm db", db, 1e-4, 1e-5);
            }
            GpuPair.Both y = p.zeros(N * C), rstd = p.zeros(N);
            p.cpu.rmsNorm(N, C, 1e-6f, x.c(), 0, w.c(), y.c(), 0, rstd.c());
            p.gpu.rmsNorm(N, C, 1e-6f, x.g(), 0, w.g(), y.g(), 0, rstd.g());
            p.assertClose("rmsNorm y", y, 1e-4, 1e-5);
            GpuPair.Both dx = p.zeros(N * C), dw = p.zeros(C);
            p.cpu.rmsNormBackward(N, C, x.c(), 0, w.c(), rstd.c(), dy.c(), 0, dx.c(), 0, dw.c());
            p.gpu.rmsNormBackward(N, C, x.g(), 0, w.g(), rstd.g(), dy.g(), 0, dx.g(), 0, dw.g());
            p.assertClose("rmsNorm dx", dx, 1e-4, 1e-5);
            p.assertClose("rmsNorm dw", dw, 1e-4, 1e-5);
        }
    }

    @Test
    void embeddingGatherAndDeterministicScatterAdd() {
        try (GpuPair p = new GpuPair(7)) {
            int V = 11, C = 300, N = 40;
            int[] idx = new int[N];
            for (int n = 0; n < N; n++) {
                idx[n] = p.rnd.nextInt(V / 2); // many repeats
            }
            GpuPair.Both table = p.up(p.random(V * C, -1, 1));
            GpuPair.Both out = p.zeros(N * C);
            p.cpu.embedding(N, C, idx, table.c(), out.c(), 0);
            p.gpu.embedding(N, C, idx, table.g(), out.g(), 0);
            p.assertClose("embedding", out, 0, 0);
            GpuPair.Both dOut = p.up(p.random(N * C, -1, 1));
            GpuPair.Both dTable = p.up(p.random(V * C, -1, 1));
            p.cpu.embeddingBackward(N, C, idx, dOut.c(), 0, dTable.c());
            p.gpu.embeddingBackward(N, C, idx, dOut.g(), 0, dTable.g());
            p.assertClose("embeddingBackward (same order: exact)", dTable, 0, 0);
        }
    }

    @Test
    void crossEntropyWithWeightsAndIgnoredRows() {
        try (GpuPair p = new GpuPair(8)) {
            int N = 13, V = 517, ignore = -100;
            int[] t = new int[N];
            float[] w = p.random(N, 0.2, 2);
            for (int n = 0; n < N; n++) {
                t[n] = n % 5 == 4 ? ignore : p.rnd.nextInt(V);
            }
            GpuPair.Both logits = p.up(p.random(N * V, -4, 4));
            for (float[] weights : new float[][] {null, w}) {
                GpuPair.Both losses = p.zeros(N), lse = p.zeros(N);
                p.cpu.crossEntropy(N, V, logits.c(), 0, t, weights, ignore, losses.c(), lse.c());
                p.gpu.crossEntropy(N, V, logits.g(), 0, t, weights, ignore, losses.g(), lse.g());
                p.assertClose("crossEntropy losses", losses, 1e-5, 1e-6);
                GpuPair.Both dLosses = p.up(p.random(N, 0.5, 1.5));
                GpuPair.Both dLogits = p.up(p.random(N * V, -0.1, 0.1));
                p.cpu.crossEntropyBackward(N, V, logits.c(), 0, t, weights, ignore, lse.c(), dLosses.c(), dLogits.c(), 0);
                p.gpu.crossEntropyBackward(N, V, logits.g(), 0, t, weights, ignore, lse.g(), dLosses.g(), dLogits.g(), 0);
                p.assertClose("crossEntropyBackward", dLogits, 1e-5, 1e-7);
            }
        }
    }

    @Test
    void dropoutMaskIsTheCpuMaskExactly() {
        try (GpuPair p = new GpuPair(9)) {
            int n = 10_000;
            GpuPair.Both x = p.up(p.random(n, -1, 1));
            GpuPair.Both y = p.zeros(n), mask = p.zeros(n);
            p.cpu.dropout(n, 0.3f, 0x1234_5678_9ABCL, 777L, x.c(), 0, y.c(), 0, mask.c());
            p.gpu.dropout(n, 0.3f, 0x1234_5678_9ABCL, 777L, x.g(), 0, y.g(), 0, mask.g());
            p.assertClose("dropout mask", mask, 0, 0);
            p.assertClose("dropout y", y, 1e-7, 0);
        }
    }

    @Test
    void adamWStep() {
        try (GpuPair p = new GpuPair(10)) {
            int n = 5000;
            GpuPair.Both param = p.up(p.random(n, -1, 1)), grad = p.up(p.random(n, -1, 1));
            GpuPair.Both m = p.up(p.random(n, -0.1, 0.1)), v = p.up(p.random(n, 0, 0.01));
            for (int step = 1; step <= 3; step++) {
                p.cpu.adamW(n, param.c(), grad.c(), m.c(), v.c(), 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, step, 0.5f);
                p.gpu.adamW(n, param.g(), grad.g(), m.g(), v.g(), 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, step, 0.5f);
            }
            p.assertClose("adamW param", param, 1e-5, 1e-6);
            p.assertClose("adamW m", m, 1e-5, 1e-7);
            p.assertClose("adamW v", v, 1e-5, 1e-9);
        }
    }
}
