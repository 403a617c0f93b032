package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Every non-GEMM kernel of SimdBackend against the reference backend on fresh random inputs, at sizes
 * around the vector width (1, 3, 17, 33, 129 …). Tolerances, fixed from the arithmetic before any run:
 * exact where both sides do the same IEEE operations (binary, gather, copies, dropout, embedding,
 * max); 1e-6 relative (a few ulps) where the SIMD side calls the JDK's vector math (≤ 1 ulp each);
 * 1e-5 relative for functions composed of several such calls (GELU, SiLU) and for row statistics
 * accumulated in float over ≤ 1000 terms (softmax, norms, loss, attention), with an absolute floor
 * scaled to the data.
 */
class SimdKernelsTest {
    private static final int[] SIZES = {1, 3, 17, 33, 129, 1000};

    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();
    private final Backend ref = Backends.create("scalar");

    private static HeapStorage s(float[] x) {
        return new HeapStorage(x.clone());
    }

    private static float[] a(Storage s) {
        return HeapStorage.array(s);
    }

    @Test
    void binaryBroadcastsExactly() {
        int[][] shapes = {{1}, {17}, {3, 33}, {2, 3, 129}, {129, 1}};
        for (int[] shape : shapes) {
            int rank = shape.length;
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            int[] contig = org.tokenlab.tensor.Shapes.contiguousStrides(shape);
            // b broadcast along the first axis (a row vector), and a scalar; a transposed-ish pattern too
            int[] rowB = contig.clone();
            rowB[0] = 0;
            int[] scalar = new int[rank];
            int[][] bStrides = {contig, rowB, scalar};
            for (BinaryOp op : BinaryOp.values()) {
                for (int[] bs : bStrides) {
                    float[] av = t.uniform(n + 2, -2, 2), bv = t.uniform(n + 1, 0.5, 2);
                    HeapStorage o1 = new HeapStorage(n + 4), o2 = new HeapStorage(n + 4);
                    simd.binary(op, shape, s(av), 2, contig, s(bv), 1, bs, o1, 4);
                    ref.binary(op, shape, s(av), 2, contig, s(bv), 1, bs, o2, 4);
                    t.assertBitwise("binary " + op + " " + java.util.Arrays.toString(shape) + " b strides "
                            + java.util.Arrays.toString(bs), a(o2), a(o1));
                    // a broadcast instead of b
                    simd.binary(op, shape, s(bv), 1, bs, s(av), 2, contig, o1, 4);
                    ref.binary(op, shape, s(bv), 1, bs, s(av), 2, contig, o2, 4);
                    t.assertBitwise("binary " + op + " with a broadcast", a(o2), a(o1));
                }
            }
        }
    }

    @Test
    void gatherTransposedView() {
        int R = 33, C = 17;
        float[] x = t.uniform(R * C + 1, -1, 1);
        HeapStorage o1 = new HeapStorage(R * C), o2 = new HeapStorage(R * C);
        simd.gather(new int[] {C, R}, s(x), 1, new int[] {1, C}, o1, 0);
        ref.gather(new int[] {C, R}, s(x), 1, new int[] {1, C}, o2, 0);
        t.assertBitwise("gather transpose", a(o2), a(o1));
    }

    private float[] domain(UnaryOp op, int n) {
        return switch (op) {
            case LOG, SQRT, POW -> t.uniform(n, 0.05, 4);
            case EXP -> t.uniform(n, -20, 20);
            default -> t.uniform(n, -6, 6);
        };
    }

    private static double rtol(UnaryOp op) {
        return switch (op) {
            case NEG, RELU, SCALE, ADD_SCALAR, SQRT -> 0;
            case EXP, LOG, TANH, POW -> 1e-6;
            case GELU, SILU -> 1e-5;
        };
    }

    @Test
    void unaryForwardAndBackward() {
        for (UnaryOp op : UnaryOp.values()) {
            float param = op == UnaryOp.POW ? 1.7f : 0.37f;
            for (int n : SIZES) {
                float[] x = domain(op, n + 1);
                HeapStorage y1 = new HeapStorage(n + 2), y2 = new HeapStorage(n + 2);
                simd.unary(op, param, s(x), 1, y1, 2, n);
                ref.unary(op, param, s(x), 1, y2, 2, n);
                double atol = op == UnaryOp.GELU || op == UnaryOp.SILU ? 1e-6 : 1e-7;
                t.assertClose("unary " + op + " n=" + n, a(y2), a(y1), atol, rtol(op));

                // dX starts at 0 here so the derivative's own accuracy is measured (no cancellation)
                float[] dy = t.uniform(n, -1, 1);
                HeapStorage dx1 = new HeapStorage(n + 3), dx2 = new HeapStorage(n + 3);
                simd.unaryBackward(op, param, s(x), 1, y2, 2, s(dy), 0, dx1, 3, n);
                ref.unaryBackward(op, param, s(x), 1, y2, 2, s(dy), 0, dx2, 3, n);
                t.assertClose("unaryBackward " + op + " n=" + n, a(dx2), a(dx1), atol, Math.max(1e-6, rtol(op)));
            }
        }
        // accumulation (+=) on a nonzero dX, with an op whose derivative is exact on both sides
        for (int n : SIZES) {
            float[] x = t.uniform(n, -1, 1), dy = t.uniform(n, -1, 1), dx0 = t.uniform(n, -1, 1);
            HeapStorage dx1 = s(dx0), dx2 = s(dx0);
            simd.unaryBackward(UnaryOp.SCALE, 0.37f, s(x), 0, s(x), 0, s(dy), 0, dx1, 0, n);
            ref.unaryBackward(UnaryOp.SCALE, 0.37f, s(x), 0, s(x), 0, s(dy), 0, dx2, 0, n);
            t.assertBitwise("unaryBackward accumulates n=" + n, a(dx2), a(dx1));
        }
    }

    /**
     * unaryBackwardStore (dX = dY·f'(x), dX not read) gives the bits of zero-filling dX and adding, on both
     * backends, whatever dX held before (NaN here, so a read of the old contents would show).
     */
    @Test
    void unaryBackwardStoreEqualsFillThenAdd() {
        for (Backend be : new Backend[] {simd, ref}) {
            for (UnaryOp op : UnaryOp.values()) {
                float param = op == UnaryOp.POW ? 1.7f : 0.37f;
                for (int n : SIZES) {
                    float[] x = domain(op, n + 1);
                    HeapStorage y = new HeapStorage(n + 2);
                    be.unary(op, param, s(x), 1, y, 2, n);
                    float[] dy = t.uniform(n, -1, 1);
                    dy[0] = -0f; // a −0 product: stored as +0, like 0 + (−0)
                    HeapStorage added = new HeapStorage(n + 3), stored = new HeapStorage(n + 3);
                    java.util.Arrays.fill(a(stored), Float.NaN);
                    be.unaryBackward(op, param, s(x), 1, y, 2, s(dy), 0, added, 3, n);
                    be.unaryBackwardStore(op, param, s(x), 1, y, 2, s(dy), 0, stored, 3, n);
                    t.assertBitwise(be.name() + " unaryBackwardStore " + op + " n=" + n,
                            java.util.Arrays.copyOfRange(a(added), 3, n + 3), java.util.Arrays.copyOfRange(a(stored), 3, n + 3));
                    assertTrue(Float.isNaN(a(stored)[2]), "unaryBackwardStore wrote before dX");
                }
            }
        }
    }

    @Test
    void axpyAndMemory() {
        for (int n : SIZES) {
            float[] x = t.uniform(n, -1, 1), y = t.uniform(n + 1, -1, 1);
            HeapStorage y1 = s(y), y2 = s(y);
            simd.axpy(n, 0.3f, s(x), 0, y1, 1);
            ref.axpy(n, 0.3f, s(x), 0, y2, 1);
            // FMA rounds once, the reference twice; y + αx may cancel: 2 roundings of |αx| + |y| ≤ 1.3
            t.assertClose("axpy n=" + n, a(y2), a(y1), 2 * SimdTesting.U * 1.3, 0);
        }
        Storage st = simd.upload(new float[] {1, 2, 3, 4});
        simd.fill(st, 1, 2, 9f);
        float[] back = new float[4];
        simd.download(st, 0, back, 0, 4);
        assertArrayEquals(new float[] {1, 9, 9, 4}, back);
        Storage other = simd.allocate(4);
        simd.copy(st, 1, other, 0, 3);
        assertArrayEquals(new float[] {9, 9, 4, 0}, a(other));
    }

    /**
     * A sum over the middle axis with inner &gt; 1 is, column by column, the plain float loop (r in order),
     * bit for bit, for column counts around the vector length and the 64-column task size, and for any
     * thread count (the bias gradient relies on it: its bits must not move).
     */
    @Test
    void columnSumsAreThePlainFloatLoopBitForBit() {
        int threads = org.tokenlab.tensor.parallel.Parallel.get().threads();
        try {
            for (int inner : new int[] {2, 7, 8, 9, 31, 32, 33, 63, 64, 65, 200, 512}) {
                for (int outer : new int[] {1, 3}) {
                    int R = inner == 512 ? 300 : 37;
                    float[] x = t.uniform(outer * R * inner, -1, 1);
                    float[] want = new float[outer * inner];
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < inner; j++) {
                            float acc = 0f;
                            for (int r = 0; r < R; r++) {
                                acc += x[(o * R + r) * inner + j];
                            }
                            want[o * inner + j] = acc;
                        }
                    }
                    for (int th : new int[] {1, 2, 3}) {
                        org.tokenlab.tensor.parallel.Parallel.setThreads(th);
                        HeapStorage got = new HeapStorage(outer * inner);
                        simd.reduce(ReduceOp.SUM, outer, R, inner, s(x), 0, got, 0, null);
                        t.assertBitwise("column sums outer=" + outer + " R=" + R + " inner=" + inner + " threads=" + th,
                                want, a(got));
                    }
                }
            }
        } finally {
            org.tokenlab.tensor.parallel.Parallel.setThreads(threads);
        }
    }

    @Test
    void reductions() {
        for (int R : SIZES) {
            for (int inner : new int[] {1, 3, 17}) {
                int outer = 2;
                float[] x = t.uniform(outer * R * inner, -1, 1);
                x[t.rnd.nextInt(x.length)] = x[0]; // a tie somewhere
                HeapStorage o1 = new HeapStorage(outer * inner), o2 = new HeapStorage(outer * inner);
                simd.reduce(ReduceOp.SUM, outer, R, inner, s(x), 0, o1, 0, null);
                ref.reduce(ReduceOp.SUM, outer, R, inner, s(x), 0, o2, 0, null);
                // float summation of R terms of magnitude ≤ 1: error ≤ (R + 1)·u·Σ|x| ≤ (R + 1)·u·R
                t.assertClose("sum R=" + R + " inner=" + inner, a(o2), a(o1), (R + 1) * SimdTesting.U * R, 0);
                int[] am1 = new int[outer * inner], am2 = new int[outer * inner];
                simd.reduce(ReduceOp.MAX, outer, R, inner, s(x), 0, o1, 0, am1);
                ref.reduce(ReduceOp.MAX, outer, R, inner, s(x), 0, o2, 0, am2);
                t.assertBitwise("max R=" + R, a(o2), a(o1));
                assertArrayEquals(am2, am1, t.where("argmax R=" + R + " inner=" + inner));
            }
        }
        float[] withNaN = {1, Float.NaN, 3, Float.NaN};
        int[] am = new int[1];
        HeapStorage o = new HeapStorage(1);
        simd.reduce(ReduceOp.MAX, 1, 4, 1, s(withNaN), 0, o, 0, am);
        assertTrue(Float.isNaN(a(o)[0]) && am[0] == 1, "the first NaN wins the max");
        for (int n : new int[] {1, 33, 70_000, 200_001}) {
            float[] x = t.uniform(n, -3, 3);
            double e = ref.sumOfSquares(s(x), 0, n), got = simd.sumOfSquares(s(x), 0, n);
            assertEquals(e, got, 1e-12 * e, t.where("sumOfSquares n=" + n));
        }
    }

    @Test
    void softmaxForwardAndBackward() {
        for (boolean log : new boolean[] {false, true}) {
            for (int cols : SIZES) {
                int rows = 3;
                float[] x = t.uniform(rows * cols + 1, -8, 8);
                HeapStorage y1 = new HeapStorage(rows * cols), y2 = new HeapStorage(rows * cols);
                simd.softmax(rows, cols, s(x), 1, y1, 0, log);
                ref.softmax(rows, cols, s(x), 1, y2, 0, log);
                t.assertClose("softmax log=" + log + " cols=" + cols, a(y2), a(y1), 1e-6, 1e-5);
                float[] dy = t.uniform(rows * cols, -1, 1), dx0 = t.uniform(rows * cols, -1, 1);
                HeapStorage d1 = s(dx0), d2 = s(dx0);
                simd.softmaxBackward(rows, cols, y2, 0, s(dy), 0, d1, 0, log);
                ref.softmaxBackward(rows, cols, y2, 0, s(dy), 0, d2, 0, log);
                t.assertClose("softmaxBackward log=" + log + " cols=" + cols, a(d2), a(d1), 1e-5, 1e-5);
            }
        }
    }

    @Test
    void layerNormAndRmsNorm() {
        for (int C : SIZES) {
            int N = 5;
            float[] x = t.uniform(N * C + 2, -2, 3), w = t.uniform(C, 0.5, 1.5), b = t.uniform(C, -1, 1);
            float[] dy = t.uniform(N * C, -1, 1), dx0 = t.uniform(N * C + 1, -1, 1);
            float[] dw0 = t.uniform(C, -1, 1), db0 = t.uniform(C, -1, 1);
            HeapStorage y1 = new HeapStorage(N * C), y2 = new HeapStorage(N * C);
            HeapStorage m1 = new HeapStorage(N), m2 = new HeapStorage(N), r1 = new HeapStorage(N), r2 = new HeapStorage(N);
            simd.layerNorm(N, C, 1e-5f, s(x), 2, s(w), s(b), y1, 0, m1, r1);
            ref.layerNorm(N, C, 1e-5f, s(x), 2, s(w), s(b), y2, 0, m2, r2);
            t.assertClose("layerNorm y C=" + C, a(y2), a(y1), 1e-5, 1e-5);
            t.assertClose("layerNorm rstd C=" + C, a(r2), a(r1), 0, 1e-5);
            HeapStorage dx1 = s(dx0), dx2 = s(dx0), dw1 = s(dw0), dw2 = s(dw0), db1 = s(db0), db2 = s(db0);
            simd.layerNormBackward(N, C, s(x), 2, s(w), m2, r2, s(dy), 0, dx1, 1, dw1, db1);
            ref.layerNormBackward(N, C, s(x), 2, s(w), m2, r2, s(dy), 0, dx2, 1, dw2, db2);
            t.assertClose("layerNormBackward dX C=" + C, a(dx2), a(dx1), 1e-5, 1e-4);
            t.assertClose("layerNormBackward dW C=" + C, a(dw2), a(dw1), 1e-5, 1e-5);
            t.assertClose("layerNormBackward dB C=" + C, a(db2), a(db1), 1e-6, 1e-6);

            simd.rmsNorm(N, C, 1e-5f, s(x), 2, s(w), y1, 0, r1);
            ref.rmsNorm(N, C, 1e-5f, s(x), 2, s(w), y2, 0, r2);
            t.assertClose("rmsNorm y C=" + C, a(y2), a(y1), 1e-5, 1e-5);
            dx1 = s(dx0);
            dx2 = s(dx0);
            dw1 = s(dw0);
            dw2 = s(dw0);
            simd.rmsNormBackward(N, C, s(x), 2, s(w), r2, s(dy), 0, dx1, 1, dw1);
            ref.rmsNormBackward(N, C, s(x), 2, s(w), r2, s(dy), 0, dx2, 1, dw2);
            t.assertClose("rmsNormBackward dX C=" + C, a(dx2), a(dx1), 1e-5, 1e-4);
            t.assertClose("rmsNormBackward dW C=" + C, a(dw2), a(dw1), 1e-5, 1e-5);
        }
    }

    @Test
    void embeddingGatherAndScatterAdd() {
        for (int C : SIZES) {
            int V = 7, N = 20;
            int[] idx = new int[N];
            for (int n = 0; n < N; n++) {
                idx[n] = t.rnd.nextInt(V); // repeats on purpose
            }
            float[] table = t.uniform(V * C, -1, 1), dOut = t.uniform(N * C + 1, -1, 1);
            HeapStorage o1 = new HeapStorage(N * C + 1), o2 = new HeapStorage(N * C + 1);
            simd.embedding(N, C, idx, s(table), o1, 1);
            ref.embedding(N, C, idx, s(table), o2, 1);
            t.assertBitwise("embedding C=" + C, a(o2), a(o1));
            HeapStorage d1 = s(table), d2 = s(table);
            simd.embeddingBackward(N, C, idx, s(dOut), 1, d1);
            ref.embeddingBackward(N, C, idx, s(dOut), 1, d2);
            t.assertBitwise("embeddingBackward C=" + C, a(d2), a(d1));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> simd.embedding(2, 3, new int[] {0, 9}, new HeapStorage(12), new HeapStorage(6), 0));
        assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void crossEntropyWithWeightsAndIgnoreIndex() {
        for (int V : SIZES) {
            int N = 6, ignore = -100;
            float[] logits = t.uniform(N * V + 3, -5, 5), w = t.uniform(N, 0, 2);
            int[] targets = new int[N];
            for (int n = 0; n < N; n++) {
                targets[n] = n == 2 ? ignore : t.rnd.nextInt(V);
            }
            for (float[] weights : new float[][] {null, w}) {
                HeapStorage l1 = new HeapStorage(N), l2 = new HeapStorage(N), s1 = new HeapStorage(N), s2 = new HeapStorage(N);
                simd.crossEntropy(N, V, s(logits), 3, targets, weights, ignore, l1, s1);
                ref.crossEntropy(N, V, s(logits), 3, targets, weights, ignore, l2, s2);
                t.assertClose("crossEntropy losses V=" + V, a(l2), a(l1), 1e-5, 1e-5);
                t.assertClose("crossEntropy lse V=" + V, a(s2), a(s1), 1e-5, 1e-6);
                assertEquals(0f, a(l1)[2], "the ignored row has zero loss");
                float[] dL = t.uniform(N, 0, 1), d0 = t.uniform(N * V, -1, 1);
                HeapStorage d1 = s(d0), d2 = s(d0);
                simd.crossEntropyBackward(N, V, s(logits), 3, targets, weights, ignore, s2, s(dL), d1, 0);
                ref.crossEntropyBackward(N, V, s(logits), 3, targets, weights, ignore, s2, s(dL), d2, 0);
                t.assertClose("crossEntropyBackward V=" + V, a(d2), a(d1), 1e-6, 1e-5);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> simd.crossEntropy(2, 3,
                new HeapStorage(6), 0, new int[] {0, 3}, null, -1, new HeapStorage(2), new HeapStorage(2)));
        assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void dropoutMatchesTheCounterBasedMaskExactly() {
        for (int n : SIZES) {
            for (float p : new float[] {0f, 0.1f, 0.5f}) {
                float[] x = t.uniform(n + 1, -1, 1);
                HeapStorage y1 = new HeapStorage(n + 1), y2 = new HeapStorage(n + 1);
                HeapStorage m1 = new HeapStorage(n), m2 = new HeapStorage(n);
                long key = t.rnd.nextLong();
                simd.dropout(n, p, key, 12345, s(x), 1, y1, 1, m1);
                ref.dropout(n, p, key, 12345, s(x), 1, y2, 1, m2);
                t.assertBitwise("dropout mask n=" + n + " p=" + p, a(m2), a(m1));
                t.assertBitwise("dropout y n=" + n + " p=" + p, a(y2), a(y1));
            }
        }
    }

    @Test
    void adamWStep() {
        for (int n : SIZES) {
            float[] p = t.uniform(n, -1, 1), g = t.uniform(n, -1, 1), m = t.uniform(n, -0.1, 0.1), v = t.uniform(n, 0, 0.01);
            HeapStorage p1 = s(p), p2 = s(p), m1 = s(m), m2 = s(m), v1 = s(v), v2 = s(v);
            simd.adamW(n, p1, s(g), m1, v1, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, 7, 0.5f);
            ref.adamW(n, p2, s(g), m2, v2, 1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, 7, 0.5f);
            // m and v are sums that may cancel: bound by 3 roundings of the terms' magnitudes,
            // |β1·m| + |(1−β1)·g| ≤ 0.09 + 0.05 and |β2·v| + |(1−β2)·g²| ≤ 0.0095 + 0.0125
            t.assertClose("adamW m n=" + n, a(m2), a(m1), 3 * SimdTesting.U * 0.14, 0);
            t.assertClose("adamW v n=" + n, a(v2), a(v1), 3 * SimdTesting.U * 0.022, 0);
            t.assertClose("adamW param n=" + n, a(p2), a(p1), 1e-7, 1e-6);
        }
    }
}
