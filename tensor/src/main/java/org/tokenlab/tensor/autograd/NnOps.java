package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.Strided;

/**
 * Fused layer primitives, each one backend kernel forward and one backward: layer norm, RMS norm,
 * embedding, dropout, attention, cross-entropy. {@link org.tokenlab.tensor.nn.F} is the public face.
 */
public final class NnOps {
    private NnOps() {
    }

    static void checkVector(String op, String what, Tensor t, int C) {
        if (t.dim() != 1 || t.size(0) != C) {
            throw new IllegalArgumentException(op + ": " + what + " shape " + Shapes.str(t.shape())
                    + " does not match the last axis (" + C + ")");
        }
    }

    // x (…, C), weight (C), bias (C) or null -> y (…, C)
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int C = x.size(-1);
        checkVector("layerNorm", "weight", weight, C);
        if (bias != null) {
            checkVector("layerNorm", "bias", bias, C);
        }
        Tensor xc = x.contiguous();
        Tensor w = ViewOps.packed(weight);
        Tensor b = bias == null ? null : ViewOps.packed(bias);
        int N = C == 0 ? 0 : xc.numel() / C;
        Backend be = Engine.backend();
        Tensor y = Tensor.empty(x.shape()); // the norm kernels write every element
        Storage mean = be.allocate(N);
        Storage rstd = be.allocate(N);
        be.layerNorm(N, C, eps, xc.storage(), xc.offset(), w.storage(), b == null ? null : b.storage(),
                y.storage(), 0, mean, rstd);
        Tensor[] inputs = b == null ? new Tensor[] {xc, w} : new Tensor[] {xc, w, b};
        return Node.record(Rule.LAYER_NORM, y, inputs, (g, grads) -> {
            // the kernel accumulates into all three; inputs that need no gradient get scratch buffers
            Tensor dX = orScratch(grads.of(0), xc);
            Tensor dW = orScratch(grads.of(1), w);
            Tensor dB = b == null ? null : orScratch(grads.of(2), b);
            Engine.backend().layerNormBackward(N, C, xc.storage(), xc.offset(), w.storage(), mean, rstd,
                    g.storage(), g.offset(), dX.storage(), 0, dW.storage(), dB == null ? null : dB.storage());
        });
    }

    private static Tensor orScratch(Tensor grad, Tensor like) {
        return grad != null ? grad : Tensor.zeros(like.shape());
    }

    // x (…, C), weight (C) -> y (…, C)
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        int C = x.size(-1);
        checkVector("rmsNorm", "weight", weight, C);
        Tensor xc = x.contiguous();
        Tensor w = ViewOps.packed(weight);
        int N = C == 0 ? 0 : xc.numel() / C;
        Backend be = Engine.backend();
        Tensor y = Tensor.empty(x.shape());
        Storage rstd = be.allocate(N);
        be.rmsNorm(N, C, eps, xc.storage(), xc.offset(), w.storage(), y.storage(), 0, rstd);
        return Node.record(Rule.RMS_NORM, y, new Tensor[] {xc, w}, (g, grads) -> {
            Tensor dX = orScratch(grads.of(0), xc);
            Tensor dW = orScratch(grads.of(1), w);
            Engine.backend().rmsNormBackward(N, C, xc.storage(), xc.offset(), w.storage(), rstd,
                    g.storage(), g.offset(), dX.storage(), 0, dW.storage());
        });
    }

    // table (V,C), idx (N) -> out (leading…, C)
    public static Tensor embedding(Tensor table, int[] idx, int[] leadingShape) {
        if (table.dim() != 2) {
            throw new IllegalArgumentException("embedding: table must be (V, C), got " + Shapes.str(table.shape()));
        }
        int V = table.size(0);
        int C = table.size(1);
        int[] lead = leadingShape.length == 0 ? new int[] {idx.length} : leadingShape;
        if (Shapes.numel(lead) != idx.length) {
            throw new IllegalArgumentException("embedding: " + idx.length + " indices do not fill leading shape "
                    + Shapes.str(lead));
        }
        for (int n = 0; n < idx.length; n++) {
            if (idx[n] < 0 || idx[n] >= V) {
                throw new IndexOutOfBoundsException("embedding: index " + idx[n] + " at position " + n
                        + " is outside [0, " + V + ")");
            }
        }
        int[] outShape = java.util.Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = C;
        Tensor t = ViewOps.packed(table);
        int[] ids = idx.clone();
        Tensor out = Tensor.empty(outShape); // every row is copied
        Engine.backend().embedding(ids.length, C, ids, t.storage(), out.storage(), 0);
        return Node.record(Rule.EMBEDDING, out, new Tensor[] {t}, (g, grads) -> {
            Tensor dT = grads.of(0);
            Engine.backend().embeddingBackward(ids.length, C, ids, g.storage(), g.offset(), dT.storage());
        });
    }

    // x (n) -> y (n); mask from the counter-based stream (seedKey, offset + i)
    public static Tensor dropout(Tensor x, float p, long seedKey, long offset) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        Tensor xc = x.contiguous();
        int n = xc.numel();
        Tensor y = Tensor.empty(x.shape()); // dropout writes y and mask in full
        Tensor mask = Tensor.empty(x.shape());
        Engine.backend().dropout(n, p, seedKey, offset, xc.storage(), xc.offset(), y.storage(), 0, mask.storage());
        return Node.record(Rule.DROPOUT, y, new Tensor[] {xc}, (g, grads) -> {
            Tensor gm = ElementwiseOps.forwardBinary(BinaryOp.MUL, g, mask, g.shape());
            Engine.backend().axpy(n, 1f, gm.storage(), 0, grads.of(0).storage(), 0);
        });
    }

    /** A (B, T, C) tensor as a (B, T, NH, HS) attention operand; the last axis must have unit stride. */
    static Strided strided(Tensor t, int extraOff) {
        int[] st = t.strides();
        return new Strided(t.storage(), t.offset() + extraOff, st[0], st[1]);
    }

    static Tensor rowMajorLastAxis(Tensor t) {
        return t.strides()[2] == 1 ? t : ViewOps.copy(t);
    }

    // q (B,Tq,C), k, v (B,Tk,C) -> out (B,Tq,C), C = NH·HS
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int NH, boolean causal) {
        if (q.dim() != 3 || k.dim() != 3 || v.dim() != 3 || !java.util.Arrays.equals(k.shape(), v.shape())
                || q.size(0) != k.size(0) || q.size(2) != k.size(2)) {
            throw new IllegalArgumentException("attention: shapes " + Shapes.str(q.shape()) + ", "
                    + Shapes.str(k.shape()) + " and " + Shapes.str(v.shape()) + " do not match (B,Tq,C), (B,Tk,C), (B,Tk,C)");
        }
        int B = q.size(0);
        int Tq = q.size(1);
        int Tk = k.size(1);
        int C = q.size(2);
        if (NH < 1 || C % NH != 0) {
            throw new IllegalArgumentException("attention: C=" + C + " is not divisible by NH=" + NH);
        }
        int HS = C / NH;
        AttentionShape s = new AttentionShape(B, NH, Tq, Tk, HS, (float) (1.0 / Math.sqrt(HS)), causal);
        Tensor qc = rowMajorLastAxis(q);
        Tensor kc = rowMajorLastAxis(k);
        Tensor vc = rowMajorLastAxis(v);
        Tensor out = Tensor.empty(B, Tq, C); // attention writes every output row
        Storage lse = Engine.backend().allocate(B * NH * Tq);
        Strided so = strided(out, 0);
        Engine.backend().attention(s, strided(qc, 0), strided(kc, 0), strided(vc, 0), so, lse);
        return Node.record(Rule.ATTENTION, out, new Tensor[] {qc, kc, vc}, (g, grads) -> {
            Tensor dQ = orScratch(grads.of(0), qc);
            Tensor dK = orScratch(grads.of(1), kc);
            Tensor dV = orScratch(grads.of(2), vc);
            Engine.backend().attentionBackward(s, strided(qc, 0), strided(kc, 0), strided(vc, 0), so, lse,
                    strided(g, 0), strided(dQ, 0), strided(dK, 0), strided(dV, 0));
        });
    }

    // qkv (B,T,3C) -> out (B,T,C): q, k, v read in place from the fused projection
    public static Tensor causalSelfAttention(Tensor qkv, int NH) {
        return causalSelfAttention(qkv, NH, 0f, 0L, 0L);
    }

    /**
     * {@link #causalSelfAttention(Tensor, int)} with dropout p on the attention probabilities, mask drawn
     * at positions {@code offset + ((b·NH + h)·T + i)·T + j} of the counter-based stream {@code seedKey}
     * (see {@link AttentionShape}); p = 0 is exactly the undropped operation.
     */
    public static Tensor causalSelfAttention(Tensor qkv, int NH, float p, long seedKey, long offset) {
        if (qkv.dim() != 3 || qkv.size(2) % 3 != 0) {
            throw new IllegalArgumentException("causalSelfAttention: qkv must be (B, T, 3C), got "
                    + Shapes.str(qkv.shape()));
        }
        int B = qkv.size(0);
        int T = qkv.size(1);
        int C = qkv.size(2) / 3;
        if (NH < 1 || C % NH != 0) {
            throw new IllegalArgumentException("causalSelfAttention: C=" + C + " is not divisible by NH=" + NH);
        }
        int HS = C / NH;
        AttentionShape s = new AttentionShape(B, NH, T, T, HS, (float) (1.0 / Math.sqrt(HS)), true, p, seedKey, offset);
        Tensor x = qkv.contiguous();
        Tensor out = Tensor.empty(B, T, C);
        Storage lse = Engine.backend().allocate(B * NH * T);
        Strided so = strided(out, 0);
        Engine.backend().attention(s, strided(x, 0), strided(x, C), strided(x, 2 * C), so, lse);
        return Node.record(Rule.ATTENTION, out, new Tensor[] {x}, (g, grads) -> {
            Grads.Target target = grads.target(0);
            Tensor d = target.buffer();
            if (target.overwrite()) { // d is exactly dQ, dK, dV
                Engine.backend().attentionBackwardStore(s, strided(x, 0), strided(x, C), strided(x, 2 * C), so, lse,
                        strided(g, 0), strided(d, 0), strided(d, C), strided(d, 2 * C), d.storage(), d.offset(), d.numel());
            } else {
                Engine.backend().attentionBackward(s, strided(x, 0), strided(x, C), strided(x, 2 * C), so, lse,
                        strided(g, 0), strided(d, 0), strided(d, C), strided(d, 2 * C));
            }
        });
    }

    // logits (N,V), targets (N), weights (N) or null -> losses (N)
    public static Tensor crossEntropy(Tensor logits, int[] targets, float[] weights, int ignoreIndex) {
        if (logits.dim() != 2 || targets.length != logits.size(0)
                || (weights != null && weights.length != targets.length)) {
            throw new IllegalArgumentException("crossEntropy: logits " + Shapes.str(logits.shape()) + ", "
                    + targets.length + " targets and " + (weights == null ? "no" : weights.length)
                    + " weights do not match (N, V), N, N");
        }
        int N = logits.size(0);
        int V = logits.size(1);
        for (int n = 0; n < N; n++) {
            if (targets[n] != ignoreIndex && (targets[n] < 0 || targets[n] >= V)) {
                throw new IllegalArgumentException("crossEntropy: target " + targets[n] + " at position " + n
                        + " is outside [0, " + V + ")");
            }
        }
        Tensor z = logits.contiguous();
        int[] t = targets.clone();
        float[] w = weights == null ? null : weights.clone();
        Backend be = Engine.backend();
        Tensor losses = Tensor.zeros(N);
        Storage lse = be.allocate(N);
        be.crossEntropy(N, V, z.storage(), z.offset(), t, w, ignoreIndex, losses.storage(), lse);
        return Node.record(Rule.CROSS_ENTROPY, losses, new Tensor[] {z}, (g, grads) -> {
            Tensor dZ = grads.of(0);
            Engine.backend().crossEntropyBackward(N, V, z.storage(), z.offset(), t, w, ignoreIndex, lse,
                    g.storage(), dZ.storage(), dZ.offset());
        });
    }
}
