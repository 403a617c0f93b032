package org.tokenlab.tensor.backend;

import static org.tokenlab.tensor.backend.HeapStorage.array;

import org.tokenlab.tensor.backend.scalar.ScalarAttention;
import org.tokenlab.tensor.backend.scalar.ScalarElementwise;
import org.tokenlab.tensor.backend.scalar.ScalarGemm;
import org.tokenlab.tensor.backend.scalar.ScalarLoss;
import org.tokenlab.tensor.backend.scalar.ScalarNorms;
import org.tokenlab.tensor.backend.scalar.ScalarOptim;
import org.tokenlab.tensor.backend.scalar.ScalarReduce;

/**
 * The reference backend: every {@link Backend} kernel as plain single-threaded loops on heap arrays,
 * never optimised, reductions accumulated in double in index order. Faster backends are tested
 * against it. The loops live in {@code backend.scalar}, one file per kernel family; this class only
 * unwraps storages.
 */
public final class ScalarBackend implements Backend {

    @Override
    public String name() {
        return "scalar";
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Storage allocate(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("allocate: negative size " + n);
        }
        return new HeapStorage(n);
    }

    @Override
    public Storage upload(float[] host) {
        return new HeapStorage(host.clone());
    }

    @Override
    public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
        System.arraycopy(array(src), srcOff, dst, dstOff, n);
    }

    @Override
    public void copy(Storage src, int srcOff, Storage dst, int dstOff, int n) {
        System.arraycopy(array(src), srcOff, array(dst), dstOff, n);
    }

    @Override
    public void fill(Storage dst, int off, int n, float value) {
        java.util.Arrays.fill(array(dst), off, off + n, value);
    }

    @Override
    public void gather(int[] shape, Storage x, int xOff, int[] strides, Storage out, int outOff) {
        ScalarElementwise.gather(shape, array(x), xOff, strides, array(out), outOff);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void matmul(int batch, int M, int N, int K, float alpha,
                       Storage a, int aOff, int lda, int strideA, boolean transA,
                       Storage b, int bOff, int ldb, int strideB, boolean transB,
                       float beta, Storage c, int cOff, int ldc, int strideC) {
        ScalarGemm.matmul(batch, M, N, K, alpha, array(a), aOff, lda, strideA, transA,
                array(b), bOff, ldb, strideB, transB, beta, array(c), cOff, ldc, strideC);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void binary(BinaryOp op, int[] shape, Storage a, int aOff, int[] aStrides,
                       Storage b, int bOff, int[] bStrides, Storage out, int outOff) {
        ScalarElementwise.binary(op, shape, array(a), aOff, aStrides, array(b), bOff, bStrides, array(out), outOff);
    }

    @Override
    public void unary(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, int n) {
        ScalarElementwise.unary(op, param, array(x), xOff, array(y), yOff, n);
    }

    @Override
    public void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff,
                              Storage dY, int dYOff, Storage dX, int dXOff, int n) {
        ScalarElementwise.unaryBackward(op, param, array(x), xOff, array(y), yOff, array(dY), dYOff,
                array(dX), dXOff, n);
    }

    @Override
    public void axpy(int n, float alpha, Storage src, int srcOff, Storage dst, int dstOff) {
        float[] s = array(src);
        float[] d = array(dst);
        for (int i = 0; i < n; i++) {
            d[dstOff + i] += alpha * s[srcOff + i];
        }
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, int outer, int R, int inner, Storage x, int xOff, Storage out, int outOff,
                       int[] argmax) {
        ScalarReduce.reduce(op, outer, R, inner, array(x), xOff, array(out), outOff, argmax);
    }

    @Override
    public double sumOfSquares(Storage x, int off, int n) {
        return ScalarReduce.sumOfSquares(array(x), off, n);
    }

    // ---------------------------------------------------------------- softmax and norms

    @Override
    public void softmax(int rows, int cols, Storage x, int xOff, Storage y, int yOff, boolean log) {
        ScalarNorms.softmax(rows, cols, array(x), xOff, array(y), yOff, log);
    }

    @Override
    public void softmaxBackward(int rows, int cols, Storage y, int yOff, Storage dY, int dYOff,
                                Storage dX, int dXOff, boolean log) {
        ScalarNorms.softmaxBackward(rows, cols, array(y), yOff, array(dY), dYOff, array(dX), dXOff, log);
    }

    @Override
    public void layerNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias,
                          Storage y, int yOff, Storage mean, Storage rstd) {
        ScalarNorms.layerNorm(N, C, eps, array(x), xOff, array(weight), bias == null ? null : array(bias),
                array(y), yOff, array(mean), array(rstd));
    }

    @Override
    public void layerNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                                  Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias) {
        ScalarNorms.layerNormBackward(N, C, array(x), xOff, array(weight), array(mean), array(rstd),
                array(dY), dYOff, array(dX), dXOff, array(dWeight), dBias == null ? null : array(dBias));
    }

    @Override
    public void rmsNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage y, int yOff,
                        Storage rstd) {
        ScalarNorms.rmsNorm(N, C, eps, array(x), xOff, array(weight), array(y), yOff, array(rstd));
    }

    @Override
    public void rmsNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage rstd,
                                Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight) {
        ScalarNorms.rmsNormBackward(N, C, array(x), xOff, array(weight), array(rstd), array(dY), dYOff,
                array(dX), dXOff, array(dWeight));
    }

    // ---------------------------------------------------------------- embeddings

    @Override
    public void embedding(int N, int C, int[] idx, Storage table, Storage out, int outOff) {
        float[] t = array(table);
        float[] o = array(out);
        int V = t.length / Math.max(C, 1);
        for (int n = 0; n < N; n++) {
            checkIndex("embedding", n, idx[n], V);
            System.arraycopy(t, idx[n] * C, o, outOff + n * C, C);
        }
    }

    @Override
    public void embeddingBackward(int N, int C, int[] idx, Storage dOut, int dOutOff, Storage dTable) {
        float[] g = array(dOut);
        float[] dt = array(dTable);
        int V = dt.length / Math.max(C, 1);
        for (int n = 0; n < N; n++) {
            checkIndex("embeddingBackward", n, idx[n], V);
            for (int c = 0; c < C; c++) {
                dt[idx[n] * C + c] += g[dOutOff + n * C + c];
            }
        }
    }

    private static void checkIndex(String op, int n, int i, int V) {
        if (i < 0 || i >= V) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " at position " + n + " is outside [0, " + V + ")");
        }
    }

    // ---------------------------------------------------------------- attention

    @Override
    public void attention(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse) {
        ScalarAttention.forward(s,
                array(q.storage()), q.off(), q.batchStride(), q.rowStride(),
                array(k.storage()), k.off(), k.batchStride(), k.rowStride(),
                array(v.storage()), v.off(), v.batchStride(), v.rowStride(),
                array(out.storage()), out.off(), out.batchStride(), out.rowStride(), array(lse));
    }

    @Override
    public void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                  Strided dOut, Strided dQ, Strided dK, Strided dV) {
        ScalarAttention.backward(s,
                array(q.storage()), q.off(), q.batchStride(), q.rowStride(),
                array(k.storage()), k.off(), k.batchStride(), k.rowStride(),
                array(v.storage()), v.off(), v.batchStride(), v.rowStride(),
                array(out.storage()), out.off(), out.batchStride(), out.rowStride(), array(lse),
                array(dOut.storage()), dOut.off(), dOut.batchStride(), dOut.rowStride(),
                array(dQ.storage()), dQ.off(), dQ.batchStride(), dQ.rowStride(),
                array(dK.storage()), dK.off(), dK.batchStride(), dK.rowStride(),
                array(dV.storage()), dV.off(), dV.batchStride(), dV.rowStride());
    }

    // ---------------------------------------------------------------- loss

    @Override
    public void crossEntropy(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                             int ignoreIndex, Storage losses, Storage lse) {
        ScalarLoss.crossEntropy(N, V, array(logits), logitsOff, targets, weights, ignoreIndex, array(losses),
                array(lse));
    }

    @Override
    public void crossEntropyBackward(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                                     int ignoreIndex, Storage lse, Storage dLosses, Storage dLogits,
                                     int dLogitsOff) {
        ScalarLoss.crossEntropyBackward(N, V, array(logits), logitsOff, targets, weights, ignoreIndex,
                array(lse), array(dLosses), array(dLogits), dLogitsOff);
    }

    // ---------------------------------------------------------------- regularisation and optimisation

    @Override
    public void dropout(int n, float p, long seedKey, long offset, Storage x, int xOff, Storage y, int yOff,
                        Storage mask) {
        ScalarOptim.dropout(n, p, seedKey, offset, array(x), xOff, array(y), yOff, array(mask));
    }

    @Override
    public void adamW(int n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                      float eps, float weightDecay, int step, float gradScale) {
        ScalarOptim.adamW(n, array(param), array(grad), array(m), array(v), lr, beta1, beta2, eps, weightDecay,
                step, gradScale);
    }
}
