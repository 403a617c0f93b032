package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.backend.HeapStorage.array;

import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.ScalarBackend;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * The fast CPU backend: every {@link Backend} kernel on the JDK Vector API ({@link SimdSpecies}),
 * threaded through {@link org.tokenlab.tensor.parallel.Parallel} with partitions that never change
 * the results. Storage is {@link HeapStorage}, shared with the scalar backend.
 *
 * <p>This class only checks arguments and dispatches; each kernel family lives in its own file
 * ({@link SimdGemm}, {@link SimdElementwise}, {@link SimdUnary}, {@link SimdReduce},
 * {@link SimdSoftmax}, {@link SimdNorms}, {@link SimdEmbedding}, {@link SimdAttention},
 * {@link SimdLoss}, {@link SimdDropout}, {@link SimdAdamW}). Ranges are checked here because
 * benchmarks and runs switch the Vector API's own bounds checks off.
 */
public final class SimdBackend implements Backend {
    private static final Backend HEAP = new ScalarBackend();

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String toString() {
        return "simd (" + SimdSpecies.describe() + ")";
    }

    // ---------------------------------------------------------------- argument checks

    /** Fails unless [off, off + n) lies inside {@code a}; {@code what} names the operand. */
    static void range(String kernel, String what, float[] a, long off, long n) {
        if (n < 0 || off < 0 || off + n > a.length) {
            throw new IllegalArgumentException(kernel + ": " + what + " needs elements [" + off + ", " + (off + n)
                    + ") but its storage holds " + a.length);
        }
    }

    private static void positive(String kernel, String what, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(kernel + ": " + what + " must be >= 0, got " + v);
        }
    }

    /** Extent (last index + 1) of a strided view; 0 for an empty one. Negative strides are refused. */
    static long extent(String kernel, String what, int[] shape, int[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(kernel + ": " + what + " has " + strides.length
                    + " strides for a rank-" + shape.length + " shape");
        }
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            positive(kernel, what + " shape[" + d + "]", shape[d]);
            positive(kernel, what + " stride[" + d + "]", strides[d]);
            if (shape[d] == 0) {
                return 0;
            }
            last += (long) (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }

    // ---------------------------------------------------------------- memory

    // Heap memory is the same for every CPU backend: the reference's methods serve.

    @Override
    public Storage allocate(int n) {
        return HEAP.allocate(n);
    }

    @Override
    public Storage upload(float[] host) {
        return HEAP.upload(host);
    }

    @Override
    public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        HEAP.download(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void copy(Storage src, int srcOff, Storage dst, int dstOff, int n) {
        HEAP.copy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void fill(Storage dst, int off, int n, float value) {
        float[] d = array(dst);
        range("fill", "dst", d, off, n);
        // gradient buffers and recycled op outputs are zero-filled every step: split large fills over threads
        SimdOps.chunks(n, 1, (i0, i1) -> java.util.Arrays.fill(d, off + i0, off + i1, value));
    }

    @Override
    public void gather(int[] shape, Storage x, int xOff, int[] strides, Storage out, int outOff) {
        float[] xa = array(x), oa = array(out);
        range("gather", "x", xa, xOff, extent("gather", "x", shape, strides));
        range("gather", "out", oa, outOff, Shapes.numel(shape));
        SimdElementwise.gather(shape, xa, xOff, strides, oa, outOff);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void matmul(int batch, int M, int N, int K, float alpha,
                       Storage a, int aOff, int lda, int strideA, boolean transA,
                       Storage b, int bOff, int ldb, int strideB, boolean transB,
                       float beta, Storage c, int cOff, int ldc, int strideC) {
        positive("matmul", "batch", batch);
        positive("matmul", "M", M);
        positive("matmul", "N", N);
        positive("matmul", "K", K);
        float[] aa = array(a), ba = array(b), ca = array(c);
        if (batch == 0 || M == 0 || N == 0) {
            return;
        }
        checkOperand("A", aa, aOff, lda, strideA, batch, transA ? K : M, transA ? M : K);
        checkOperand("B", ba, bOff, ldb, strideB, batch, transB ? N : K, transB ? K : N);
        checkOperand("C", ca, cOff, ldc, strideC, batch, M, N);
        SimdGemm.matmul(batch, M, N, K, alpha, aa, aOff, lda, strideA, transA, ba, bOff, ldb, strideB, transB,
                beta, ca, cOff, ldc, strideC);
    }

    /** Fused: C is written once, by the GEMM's first k slab, whose micro-kernel adds its sums to the bias (SimdGemm.matmulBias). */
    @Override
    public void matmulBias(int M, int N, int K, Storage a, int aOff, int lda, Storage b, int bOff, int ldb, boolean transB,
                           Storage bias, int biasOff, Storage c, int cOff) {
        positive("matmulBias", "M", M);
        positive("matmulBias", "N", N);
        positive("matmulBias", "K", K);
        if (K == 0) { // no product: the bias in every row
            Backend.super.matmulBias(M, N, K, a, aOff, lda, b, bOff, ldb, transB, bias, biasOff, c, cOff);
            return;
        }
        float[] aa = array(a), ba = array(b), biasArr = array(bias), ca = array(c);
        if (M == 0 || N == 0) {
            return;
        }
        checkOperand("A", aa, aOff, lda, 0, 1, M, K);
        checkOperand("B", ba, bOff, ldb, 0, 1, transB ? N : K, transB ? K : N);
        range("matmulBias", "bias", biasArr, biasOff, N);
        checkOperand("C", ca, cOff, N, 0, 1, M, N);
        SimdGemm.matmulBias(M, N, K, aa, aOff, lda, ba, bOff, ldb, transB, biasArr, biasOff, ca, cOff);
    }

    /** Fused: packing gᵀ for the product adds up its rows on the way, so g is read once (SimdGemm.matmulWeightGrad). */
    @Override
    public void matmulWeightGrad(int M, int N, int K, Storage g, int gOff, Storage x, int xOff, int ldx,
                                 float beta, Storage c, int cOff, Storage rowSums, int rowSumsOff) {
        positive("matmulWeightGrad", "M", M);
        positive("matmulWeightGrad", "N", N);
        positive("matmulWeightGrad", "K", K);
        float[] ga = array(g), xa = array(x), ca = array(c), sums = array(rowSums);
        range("matmulWeightGrad", "rowSums", sums, rowSumsOff, M);
        if (M == 0) {
            return;
        }
        if (N == 0 || K == 0) { // no product to pack g for: the sums alone (zeros when K = 0)
            Backend.super.matmulWeightGrad(M, N, K, g, gOff, x, xOff, ldx, beta, c, cOff, rowSums, rowSumsOff);
            return;
        }
        checkOperand("A", ga, gOff, M, 0, 1, K, M);
        checkOperand("B", xa, xOff, ldx, 0, 1, K, N);
        checkOperand("C", ca, cOff, N, 0, 1, M, N);
        SimdGemm.matmulWeightGrad(M, N, K, ga, gOff, xa, xOff, ldx, beta, ca, cOff, sums, rowSumsOff);
    }

    // a stored (rows, cols) matrix with leading dimension ld, batch entries stride apart
    private static void checkOperand(String what, float[] arr, int off, int ld, int stride, int batch, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols) {
            throw new IllegalArgumentException("matmul: leading dimension of " + what + " is " + ld
                    + ", smaller than its " + cols + " stored columns");
        }
        positive("matmul", "batch stride of " + what, stride);
        range("matmul", what, arr, off, (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void binary(BinaryOp op, int[] shape, Storage a, int aOff, int[] aStrides,
                       Storage b, int bOff, int[] bStrides, Storage out, int outOff) {
        float[] aa = array(a), ba = array(b), oa = array(out);
        range("binary", "a", aa, aOff, extent("binary", "a", shape, aStrides));
        range("binary", "b", ba, bOff, extent("binary", "b", shape, bStrides));
        range("binary", "out", oa, outOff, Shapes.numel(shape));
        SimdElementwise.binary(op, shape, aa, aOff, aStrides, ba, bOff, bStrides, oa, outOff);
    }

    @Override
    public void unary(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, int n) {
        float[] xa = array(x), ya = array(y);
        range("unary", "x", xa, xOff, n);
        range("unary", "y", ya, yOff, n);
        SimdOps.chunks(n, 16, (i0, i1) -> SimdUnary.forward(op, param, xa, xOff + i0, ya, yOff + i0, i1 - i0));
    }

    @Override
    public void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                              Storage dY, int dYOff, Storage dX, int dXOff, int n) {
        unaryBackward(op, param, x, xOff, y, yOff, dY, dYOff, dX, dXOff, n, true);
    }

    @Override
    public void unaryBackwardStore(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                                   Storage dY, int dYOff, Storage dX, int dXOff, int n) {
        unaryBackward(op, param, x, xOff, y, yOff, dY, dYOff, dX, dXOff, n, false);
    }

    private void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                               Storage dY, int dYOff, Storage dX, int dXOff, int n, boolean add) {
        float[] xa = array(x), ya = array(y), ga = array(dY), da = array(dX);
        range("unaryBackward", "x", xa, xOff, n);
        range("unaryBackward", "y", ya, yOff, n);
        range("unaryBackward", "dY", ga, dYOff, n);
        range("unaryBackward", "dX", da, dXOff, n);
        SimdOps.chunks(n, 16, (i0, i1) -> SimdUnary.backward(op, param, xa, xOff + i0, ya, yOff + i0,
                ga, dYOff + i0, da, dXOff + i0, i1 - i0, add));
    }

    @Override
    public void axpy(int n, float alpha, Storage src, int srcOff, Storage dst, int dstOff) {
        float[] sa = array(src), da = array(dst);
        range("axpy", "src", sa, srcOff, n);
        range("axpy", "dst", da, dstOff, n);
        SimdOps.chunks(n, 2, (i0, i1) -> SimdOps.axpy(i1 - i0, alpha, sa, srcOff + i0, da, dstOff + i0));
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, int outer, int R, int inner, Storage x, int xOff, Storage out, int outOff, int[] argmax) {
        float[] xa = array(x), oa = array(out);
        positive("reduce", "outer", outer);
        positive("reduce", "inner", inner);
        if (R < 1) {
            throw new IllegalArgumentException("reduce: R must be >= 1, got " + R);
        }
        range("reduce", "x", xa, xOff, (long) outer * R * inner);
        range("reduce", "out", oa, outOff, (long) outer * inner);
        if (argmax != null && argmax.length < (long) outer * inner) {
            throw new IllegalArgumentException("reduce: argmax holds " + argmax.length + ", needs " + (long) outer * inner);
        }
        SimdReduce.reduce(op, outer, R, inner, xa, xOff, oa, outOff, argmax);
    }

    @Override
    public double sumOfSquares(Storage x, int off, int n) {
        float[] xa = array(x);
        range("sumOfSquares", "x", xa, off, n);
        return SimdReduce.sumOfSquares(xa, off, n);
    }

    // ---------------------------------------------------------------- softmax and norms

    @Override
    public void softmax(int rows, int cols, Storage x, int xOff, Storage y, int yOff, boolean log) {
        float[] xa = array(x), ya = array(y);
        range("softmax", "x", xa, xOff, (long) rows * cols);
        range("softmax", "y", ya, yOff, (long) rows * cols);
        SimdSoftmax.forward(rows, cols, xa, xOff, ya, yOff, log);
    }

    @Override
    public void softmaxBackward(int rows, int cols, Storage y, int yOff, Storage dY, int dYOff,
                                Storage dX, int dXOff, boolean log) {
        float[] ya = array(y), ga = array(dY), da = array(dX);
        long n = (long) rows * cols;
        range("softmaxBackward", "y", ya, yOff, n);
        range("softmaxBackward", "dY", ga, dYOff, n);
        range("softmaxBackward", "dX", da, dXOff, n);
        SimdSoftmax.backward(rows, cols, ya, yOff, ga, dYOff, da, dXOff, log);
    }

    @Override
    public void layerNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias,
                          Storage y, int yOff, Storage mean, Storage rstd) {
        float[] xa = array(x), wa = array(weight), ba = bias == null ? null : array(bias), ya = array(y);
        float[] ma = array(mean), ra = array(rstd);
        checkNorm("layerNorm", N, C, xa, xOff, wa, ya, yOff, ra);
        range("layerNorm", "mean", ma, 0, N);
        if (ba != null) {
            range("layerNorm", "bias", ba, 0, C);
        }
        SimdNorms.layerNorm(N, C, eps, xa, xOff, wa, ba, ya, yOff, ma, ra);
    }

    @Override
    public void layerNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                                  Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias) {
        float[] xa = array(x), wa = array(weight), ma = array(mean), ra = array(rstd);
        float[] ga = array(dY), da = array(dX), dwa = array(dWeight), dba = dBias == null ? null : array(dBias);
        checkNorm("layerNormBackward", N, C, xa, xOff, wa, da, dXOff, ra);
        range("layerNormBackward", "mean", ma, 0, N);
        range("layerNormBackward", "dY", ga, dYOff, (long) N * C);
        range("layerNormBackward", "dWeight", dwa, 0, C);
        if (dba != null) {
            range("layerNormBackward", "dBias", dba, 0, C);
        }
        SimdNorms.backward(N, C, xa, xOff, wa, ma, ra, ga, dYOff, da, dXOff, dwa, dba);
    }

    @Override
    public void rmsNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage y, int yOff, Storage rstd) {
        float[] xa = array(x), wa = array(weight), ya = array(y), ra = array(rstd);
        checkNorm("rmsNorm", N, C, xa, xOff, wa, ya, yOff, ra);
        SimdNorms.rmsNorm(N, C, eps, xa, xOff, wa, ya, yOff, ra);
    }

    @Override
    public void rmsNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage rstd,
                                Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight) {
        float[] xa = array(x), wa = array(weight), ra = array(rstd), ga = array(dY), da = array(dX), dwa = array(dWeight);
        checkNorm("rmsNormBackward", N, C, xa, xOff, wa, da, dXOff, ra);
        range("rmsNormBackward", "dY", ga, dYOff, (long) N * C);
        range("rmsNormBackward", "dWeight", dwa, 0, C);
        SimdNorms.backward(N, C, xa, xOff, wa, null, ra, ga, dYOff, da, dXOff, dwa, null);
    }

    private static void checkNorm(String k, int N, int C, float[] x, int xOff, float[] w, float[] y, int yOff, float[] rstd) {
        positive(k, "N", N);
        positive(k, "C", C);
        range(k, "x", x, xOff, (long) N * C);
        range(k, "weight", w, 0, C);
        range(k, "y", y, yOff, (long) N * C);
        range(k, "rstd", rstd, 0, N);
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void embedding(int N, int C, int[] idx, Storage table, Storage out, int outOff) {
        float[] ta = array(table), oa = array(out);
        positive("embedding", "C", C);
        SimdEmbedding.checkIndices(N, idx, C == 0 ? Integer.MAX_VALUE : ta.length / C);
        range("embedding", "out", oa, outOff, (long) N * C);
        SimdEmbedding.forward(N, C, idx, ta, oa, outOff);
    }

    @Override
    public void embeddingBackward(int N, int C, int[] idx, Storage dOut, int dOutOff, Storage dTable) {
        float[] ga = array(dOut), ta = array(dTable);
        positive("embeddingBackward", "C", C);
        SimdEmbedding.checkIndices(N, idx, C == 0 ? Integer.MAX_VALUE : ta.length / C);
        range("embeddingBackward", "dOut", ga, dOutOff, (long) N * C);
        SimdEmbedding.backward(N, C, idx, ga, dOutOff, ta);
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void attention(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse) {
        checkStrided("attention", "q", s, q, s.Tq());
        checkStrided("attention", "k", s, k, s.Tk());
        checkStrided("attention", "v", s, v, s.Tk());
        checkStrided("attention", "out", s, out, s.Tq());
        float[] la = array(lse);
        range("attention", "lse", la, 0, (long) s.B() * s.NH() * s.Tq());
        SimdAttention.forward(s, q, k, v, out, la);
    }

    @Override
    public void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                  Strided dOut, Strided dQ, Strided dK, Strided dV) {
        attentionBackward(s, q, k, v, out, lse, dOut, dQ, dK, dV, true);
    }

    @Override
    public void attentionBackwardStore(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                       Strided dOut, Strided dQ, Strided dK, Strided dV, Storage grads, int gradsOff, int n) {
        range("attentionBackwardStore", "grads", array(grads), gradsOff, n);
        attentionBackward(s, q, k, v, out, lse, dOut, dQ, dK, dV, false);
    }

    private void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                   Strided dOut, Strided dQ, Strided dK, Strided dV, boolean add) {
        String kn = "attentionBackward";
        checkStrided(kn, "q", s, q, s.Tq());
        checkStrided(kn, "k", s, k, s.Tk());
        checkStrided(kn, "v", s, v, s.Tk());
        checkStrided(kn, "out", s, out, s.Tq());
        checkStrided(kn, "dOut", s, dOut, s.Tq());
        checkStrided(kn, "dQ", s, dQ, s.Tq());
        checkStrided(kn, "dK", s, dK, s.Tk());
        checkStrided(kn, "dV", s, dV, s.Tk());
        float[] la = array(lse);
        range(kn, "lse", la, 0, (long) s.B() * s.NH() * s.Tq());
        SimdAttention.backward(s, q, k, v, out, la, dOut, dQ, dK, dV, add);
    }

    private static void checkStrided(String kernel, String what, AttentionShape s, Strided x, int T) {
        positive(kernel, what + " batch stride", x.batchStride());
        positive(kernel, what + " row stride", x.rowStride());
        long extent = (long) (s.B() - 1) * x.batchStride() + (long) (T - 1) * x.rowStride() + (long) s.NH() * s.HS();
        range(kernel, what, array(x.storage()), x.off(), extent);
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void crossEntropy(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                             int ignoreIndex, Storage losses, Storage lse) {
        float[] xa = array(logits), la = array(losses), sa = array(lse);
        checkLoss("crossEntropy", N, V, xa, logitsOff, targets, weights, ignoreIndex);
        range("crossEntropy", "losses", la, 0, N);
        range("crossEntropy", "lse", sa, 0, N);
        SimdLoss.forward(N, V, xa, logitsOff, targets, weights, ignoreIndex, la, sa);
    }

    @Override
    public void crossEntropyBackward(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                                     int ignoreIndex, Storage lse, Storage dLosses, Storage dLogits, int dLogitsOff) {
        float[] xa = array(logits), sa = array(lse), ga = array(dLosses), da = array(dLogits);
        checkLoss("crossEntropyBackward", N, V, xa, logitsOff, targets, weights, ignoreIndex);
        range("crossEntropyBackward", "lse", sa, 0, N);
        range("crossEntropyBackward", "dLosses", ga, 0, N);
        range("crossEntropyBackward", "dLogits", da, dLogitsOff, (long) N * V);
        SimdLoss.backward(N, V, xa, logitsOff, targets, weights, ignoreIndex, sa, ga, da, dLogitsOff);
    }

    private static void checkLoss(String k, int N, int V, float[] logits, int off, int[] targets, float[] weights, int ignore) {
        positive(k, "N", N);
        if (V < 1) {
            throw new IllegalArgumentException(k + ": V must be >= 1, got " + V);
        }
        range(k, "logits", logits, off, (long) N * V);
        if (weights != null && weights.length < N) {
            throw new IllegalArgumentException(k + ": weights has " + weights.length + " entries, need N=" + N);
        }
        SimdLoss.checkTargets(N, V, targets, ignore);
    }

    // ---------------------------------------------------------------- regularisation and optimisation

    @Override
    public void dropout(int n, float p, long seedKey, long offset, Storage x, int xOff, Storage y, int yOff, Storage mask) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
        }
        float[] xa = array(x), ya = array(y), ma = array(mask);
        range("dropout", "x", xa, xOff, n);
        range("dropout", "y", ya, yOff, n);
        range("dropout", "mask", ma, 0, n);
        SimdDropout.forward(n, p, seedKey, offset, xa, xOff, ya, yOff, ma);
    }

    @Override
    public void adamW(int n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                      float eps, float weightDecay, int step, float gradScale) {
        if (step < 1) {
            throw new IllegalArgumentException("adamW: step is 1-based, got " + step);
        }
        float[] pa = array(param), ga = array(grad), ma = array(m), va = array(v);
        range("adamW", "param", pa, 0, n);
        range("adamW", "grad", ga, 0, n);
        range("adamW", "m", ma, 0, n);
        range("adamW", "v", va, 0, n);
        SimdAdamW.step(n, pa, ga, ma, va, lr, beta1, beta2, eps, weightDecay, step, gradScale);
    }
}
