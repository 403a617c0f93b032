package org.tokenlab.tensor.nn;

import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.autograd.MatmulOps;
import org.tokenlab.tensor.autograd.NnOps;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Functional layer operations, each differentiable; fused into one kernel pair where the backend has
 * one (norms, embedding, dropout, attention, cross-entropy).
 */
public final class F {
    private F() {
    }

    /**
     * x (…, C) · weightᵀ + bias → (…, OC), with weight (OC, C) and bias (OC) or null. One fused
     * primitive: the GEMM reads W transposed in place (transB) and the backward accumulates dW in W's
     * own (OC, C) layout, so no transposed copy is ever made.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || x.dim() < 1 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: shapes " + Shapes.str(x.shape()) + " and "
                    + Shapes.str(weight.shape()) + " do not match (…, C) and (OC, C)");
        }
        int C = weight.size(1);
        int OC = weight.size(0);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != OC)) {
            throw new IllegalArgumentException("linear: bias shape " + Shapes.str(bias.shape())
                    + " does not match OC=" + OC);
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = OC;
        return MatmulOps.linear(x.reshape(-1, C), weight, bias).reshape(outShape);
    }

    /** Layer norm over the last axis: x (…, C), weight (C), bias (C) or null. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        return NnOps.layerNorm(x, weight, bias, eps);
    }

    /** RMS norm over the last axis: x (…, C), weight (C). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        return NnOps.rmsNorm(x, weight, eps);
    }

    /**
     * Rows of {@code table} (V, C) picked by {@code idx}, shaped (leading…, C); without a leading shape
     * the result is (N, C). Indices out of [0, V) fail naming the position.
     */
    public static Tensor embedding(Tensor table, int[] idx, int... leadingShape) {
        return NnOps.embedding(table, idx, leadingShape);
    }

    /**
     * Inverted dropout. When {@code training} and p > 0, element i is kept iff the counter-based draw
     * {@code uniformAt(stream.position() + i)} of the stream's key is ≥ p, and kept values are scaled by
     * 1/(1 − p); the stream then advances by numel, so the next call draws a fresh mask and a resumed
     * stream reproduces it. Otherwise returns x unchanged (and leaves the stream alone).
     */
    public static Tensor dropout(Tensor x, float p, RandomStream stream, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        Tensor y = NnOps.dropout(x, p, stream.key(), stream.position());
        stream.advance(x.numel());
        return y;
    }

    /**
     * Causal multi-head self-attention on a fused projection: qkv (B, T, 3C) holds q, k, v side by side
     * on its last axis; NH heads of size HS = C/NH; scale 1/√HS. Returns (B, T, C), heads concatenated.
     * The kernel reads q, k and v in place (no split, no permute copies).
     */
    public static Tensor causalSelfAttention(Tensor qkv, int NH) {
        return NnOps.causalSelfAttention(qkv, NH);
    }

    /**
     * {@link #causalSelfAttention(Tensor, int)} with dropout on the attention probabilities (nanoGPT's
     * attn_dropout): when {@code training} and p &gt; 0, probability (b, h, i, j) is kept iff the
     * counter-based draw {@code uniformAt(stream.position() + ((b·NH + h)·T + i)·T + j)} of the stream's key
     * is ≥ p, and kept probabilities are scaled by 1/(1 − p); the stream then advances by B·NH·T·T.
     * Otherwise this is exactly {@link #causalSelfAttention(Tensor, int)} (and leaves the stream alone).
     */
    public static Tensor causalSelfAttention(Tensor qkv, int NH, float p, RandomStream stream, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("causalSelfAttention: dropout p must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return causalSelfAttention(qkv, NH);
        }
        Tensor y = NnOps.causalSelfAttention(qkv, NH, p, stream.key(), stream.position());
        stream.advance((long) qkv.size(0) * NH * qkv.size(1) * qkv.size(1));
        return y;
    }

    /**
     * General multi-head attention: q (B, Tq, C), k and v (B, Tk, C), Tq ≤ Tk, C = NH·HS. With
     * {@code causal}, query i sits at absolute position Tk − Tq + i (the newest rows of a KV cache) and
     * sees keys 0…that position. k and v may be slices of a larger cache (any row and batch strides).
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int NH, boolean causal) {
        return NnOps.attention(q, k, v, NH, causal);
    }

    /**
     * Per-row cross-entropy: logits (N, V), targets (N) → losses (N) with
     * {@code losses[n] = w[n]·(logsumexp(logits[n]) − logits[n, t_n])}; 0 where
     * {@code t_n == ignoreIndex}. {@code weights} may be null (all 1).
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, float[] weights, int ignoreIndex) {
        return NnOps.crossEntropy(logits, targets, weights, ignoreIndex);
    }

    /**
     * The weighted mean of {@link #crossEntropy}: {@code Σ_n losses[n] / Σ_{n not ignored} w[n]} (w = 1
     * when weights are null, so it is the plain mean over non-ignored rows). When every row is ignored
     * (or the weights sum to 0) the result is 0 with zero gradient. Returns a scalar (shape []).
     */
    public static Tensor crossEntropyMean(Tensor logits, int[] targets, float[] weights, int ignoreIndex) {
        Tensor losses = crossEntropy(logits, targets, weights, ignoreIndex);
        double denom = 0;
        for (int n = 0; n < targets.length; n++) {
            if (targets[n] != ignoreIndex) {
                denom += weights == null ? 1.0 : weights[n];
            }
        }
        return losses.sum().mul(denom == 0 ? 0f : (float) (1.0 / denom));
    }
}
