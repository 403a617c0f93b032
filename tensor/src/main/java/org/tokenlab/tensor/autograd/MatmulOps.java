package org.tokenlab.tensor.autograd;

import java.util.Arrays;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.ReduceOp;

/**
 * The batched matrix product, and the fused linear layer. Each operand is described to the GEMM kernel as (offset, leading
 * dimension, batch stride, transposed?) straight from its strides, so transposed views and broadcast
 * batch axes cost no copy; only layouts the kernel cannot address are made contiguous first.
 */
public final class MatmulOps {
    private MatmulOps() {
    }

    /**
     * How the kernel reads one operand X (…, R, Cc): element (i, k) of X is at
     * {@code off + b·stride + (trans ? k·ld + i : i·ld + k)}.
     */
    record Operand(Tensor t, int off, int ld, int stride, boolean trans) {
        /** The same memory read as Xᵀ (the flag flips, nothing moves). */
        Operand transposed() {
            return new Operand(t, off, ld, stride, !trans);
        }
    }

    // A (…, M, K) · B (…, K, N) -> C (…, M, N)
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2 || a.size(-1) != b.size(-2)) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " and "
                    + Shapes.str(b.shape()) + " do not match");
        }
        int M = a.size(-2);
        int K = a.size(-1);
        int N = b.size(-1);
        int[] aBatch = Arrays.copyOf(a.shape(), a.dim() - 2);
        int[] bBatch = Arrays.copyOf(b.shape(), b.dim() - 2);
        int[] batchShape;
        try {
            batchShape = Shapes.broadcast("matmul", aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: shapes " + Shapes.str(a.shape()) + " and "
                    + Shapes.str(b.shape()) + " do not broadcast", e);
        }
        int batch = Shapes.numel(batchShape);
        // Operands whose batch axes cannot be flattened into one stride are expanded and copied; the
        // copies are recorded, so gradients still reach the originals.
        Tensor ae = batchable(a, batchShape);
        Tensor be = batchable(b, batchShape);
        Operand opA = operand(ae, batchShape);
        Operand opB = operand(be, batchShape);
        int[] outShape = Arrays.copyOf(batchShape, batchShape.length + 2);
        outShape[batchShape.length] = M;
        outShape[batchShape.length + 1] = N;
        Tensor out = Tensor.empty(outShape); // beta 0: the GEMM writes every element
        gemm(batch, M, N, K, opA, opB, 0f, out);
        return Node.record(Rule.MATMUL, out, new Tensor[] {ae, be}, (g, grads) -> {
            Operand dC = operand(g, batchShape);
            Tensor dA = grads.of(0);
            if (dA != null) {
                // dA = dC · Bᵀ : (M,N)·(N,K)
                accumulateProduct(dA, ae, batch, M, K, N, dC, opB.transposed(), outShapeOf(batchShape, M, K));
            }
            Tensor dB = grads.of(1);
            if (dB != null) {
                // dB = Aᵀ · dC : (K,M)·(M,N)
                accumulateProduct(dB, be, batch, K, N, M, opA.transposed(), dC, outShapeOf(batchShape, K, N));
            }
        });
    }

    // x (N,C), weight (OC,C), bias (OC) or null -> out (N,OC)
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int N = x.size(0);
        int C = x.size(1);
        int OC = weight.size(0);
        Tensor xc = x.contiguous();
        Tensor w = weight.contiguous();
        Tensor b = bias == null ? null : bias.contiguous();
        Backend be = Engine.backend();
        Tensor out = Tensor.empty(N, OC); // every element written by the GEMM
        // out (N,OC) = bias in every row + x (N,C) · Wᵀ : W is read as transposed in place (transB), no copy
        if (b != null) {
            be.matmulBias(N, OC, C, xc.storage(), xc.offset(), C, w.storage(), w.offset(), C, true,
                    b.storage(), b.offset(), out.storage(), 0);
        } else {
            be.matmul(1, N, OC, C, 1f, xc.storage(), xc.offset(), C, 0, false,
                    w.storage(), w.offset(), C, 0, true, 0f, out.storage(), 0, OC, 0);
        }
        Tensor[] inputs = b == null ? new Tensor[] {xc, w} : new Tensor[] {xc, w, b};
        return Node.record(Rule.LINEAR, out, inputs, (g, grads) -> {
            Backend k = Engine.backend();
            // each product stores into a gradient buffer nobody has written yet (beta 0), adds to one otherwise
            Grads.Target dX = grads.target(0);
            if (dX != null) {
                // dX (N,C) (+)= g (N,OC) · W (OC,C)
                k.matmul(1, N, C, OC, 1f, g.storage(), g.offset(), OC, 0, false,
                        w.storage(), w.offset(), C, 0, false, dX.beta(), dX.buffer().storage(), 0, C, 0);
            }
            Grads.Target dW = grads.target(1);
            Tensor dB = b == null ? null : grads.of(2);
            // dBias (OC) += Σ_n g[n, :], the column sums of g, taken while the weight gradient reads g when there is one
            // (both kernels write every sum, so the buffer is not zero-filled first)
            Tensor colSum = dB == null ? null : Tensor.empty(OC);
            if (dW != null && dB != null) {
                // dW (OC,C) (+)= gᵀ (OC,N) · x (N,C) (in W's own layout, llm.c matmul_backward), and colSum
                k.matmulWeightGrad(OC, C, N, g.storage(), g.offset(), xc.storage(), xc.offset(), C,
                        dW.beta(), dW.buffer().storage(), 0, colSum.storage(), 0);
            } else if (dW != null) {
                k.matmul(1, OC, C, N, 1f, g.storage(), g.offset(), OC, 0, true,
                        xc.storage(), xc.offset(), C, 0, false, dW.beta(), dW.buffer().storage(), 0, C, 0);
            } else if (dB != null) {
                k.reduce(ReduceOp.SUM, 1, N, OC, g.storage(), g.offset(), colSum.storage(), 0, null);
            }
            if (dB != null) {
                k.axpy(OC, 1f, colSum.storage(), 0, dB.storage(), 0);
            }
        });
    }

    private static int[] outShapeOf(int[] batchShape, int rows, int cols) {
        int[] s = Arrays.copyOf(batchShape, batchShape.length + 2);
        s[batchShape.length] = rows;
        s[batchShape.length + 1] = cols;
        return s;
    }

    /** dX += x·y, summing over broadcast batch axes when X was broadcast. */
    private static void accumulateProduct(Tensor dX, Tensor x, int batch, int M, int N, int K,
                                          Operand l, Operand r, int[] fullShape) {
        if (Arrays.equals(x.shape(), fullShape)) {
            // gradient buffers are contiguous at offset 0: the kernel accumulates straight into them
            gemm(batch, M, N, K, l, r, 1f, dX);
        } else {
            Tensor full = Tensor.zeros(fullShape);
            gemm(batch, M, N, K, l, r, 0f, full);
            Grads.accumulate(dX, full, 1f);
        }
    }

    private static void gemm(int batch, int M, int N, int K, Operand a, Operand b, float beta, Tensor c) {
        Engine.backend().matmul(batch, M, N, K, 1f,
                a.t.storage(), a.off, a.ld, a.stride, a.trans,
                b.t.storage(), b.off, b.ld, b.stride, b.trans,
                beta, c.storage(), c.offset(), N, M * N);
    }

    /** x itself when its batch axes (broadcast to batchShape) flatten to one stride, else a copy. */
    static Tensor batchable(Tensor x, int[] batchShape) {
        if (batchStride(x, batchShape) != null && matrixLayout(x) != null) {
            return x;
        }
        int[] full = Arrays.copyOf(batchShape, batchShape.length + 2);
        full[batchShape.length] = x.size(-2);
        full[batchShape.length + 1] = x.size(-1);
        return x.expand(full).contiguous();
    }

    static Operand operand(Tensor x, int[] batchShape) {
        int[] layout = matrixLayout(x);
        return new Operand(x, x.offset(), layout[0], batchStride(x, batchShape), layout[1] == 1);
    }

    /** {ld, transposed} for the last two axes, or null when neither axis has unit stride. */
    static int[] matrixLayout(Tensor x) {
        int R = x.size(-2);
        int Cc = x.size(-1);
        int[] st = x.strides();
        int sr = st[st.length - 2];
        int sc = st[st.length - 1];
        if (sc == 1 || Cc == 1) {
            int ld = R == 1 ? Math.max(Cc, 1) : sr;
            if (R == 1 || ld >= Cc) {
                return new int[] {ld, 0};
            }
        }
        if (sr == 1 || R == 1) {
            int ld = Cc == 1 ? Math.max(R, 1) : sc;
            if (Cc == 1 || ld >= R) {
                return new int[] {ld, 1};
            }
        }
        return null;
    }

    /** One stride s with address(b) = b·s over the flattened batch index, or null if none exists. */
    static Integer batchStride(Tensor x, int[] batchShape) {
        int lead = batchShape.length - (x.dim() - 2);
        int[] st = x.strides();
        int[] sh = x.shape();
        // strides of x's batch axes as seen from batchShape (0 where x is broadcast)
        int[] bs = new int[batchShape.length];
        for (int i = 0; i < batchShape.length; i++) {
            int xi = i - lead;
            bs[i] = xi < 0 || sh[xi] != batchShape[i] ? 0 : st[xi];
        }
        Integer s = null;
        long inner = 1;
        for (int i = batchShape.length - 1; i >= 0; i--) {
            if (batchShape[i] != 1) {
                if (s == null) {
                    s = (int) (bs[i] / inner);
                    if ((long) s * inner != bs[i]) {
                        return null;
                    }
                } else if ((long) s * inner != bs[i]) {
                    return null;
                }
            }
            inner *= batchShape[i];
        }
        return s == null ? 0 : s;
    }
}
