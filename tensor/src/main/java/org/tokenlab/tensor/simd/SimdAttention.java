package org.tokenlab.tensor.simd;

import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Fused causal attention, forward and backward, in the llm.c scheme: per query row, scores against
 * the visible keys, a stable softmax (max first), the weighted sum of values, and lse saved for the
 * backward, which recomputes the probabilities instead of storing the (T, T) matrix.
 *
 * <p>Query i of Tq sits at absolute position Tk − Tq + i (a KV cache holds the earlier keys) and,
 * when causal, sees keys j ≤ that position. Dot products and axpys over HS are the vector loops of
 * {@link SimdOps}.
 *
 * <p>Threads: the forward splits query rows (independent); the backward splits (b, h) pairs, each of
 * which owns its slices of dQ, dK, dV and walks i, j in a fixed order, so the gradients are
 * bitwise-identical for any thread count.
 *
 * <p>Scalar reference for one (b, h, i): {@code s_j = scale·q_i·k_j; p = softmax(s); o_i = Σ_j p_j v_j;
 * lse_i = log Σ_j exp(s_j)}; backward {@code D_i = dO_i·o_i; dv_j += p_j dO_i;
 * ds_j = p_j (dO_i·v_j − D_i); dq_i += scale Σ_j ds_j k_j; dk_j += scale ds_j q_i}.
 */
final class SimdAttention {
    private SimdAttention() {
    }

    private static int base(Strided s, int b, int t, int h, int HS) {
        return s.off() + b * s.batchStride() + t * s.rowStride() + h * HS;
    }

    // q (B,Tq,NH,HS), k, v (B,Tk,NH,HS) -> out (B,Tq,NH,HS), lse (B,NH,Tq)
    static void forward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, float[] lse) {
        int B = s.B(), NH = s.NH(), Tq = s.Tq(), Tk = s.Tk(), HS = s.HS();
        float[] qa = HeapStorage.array(q.storage()), ka = HeapStorage.array(k.storage());
        float[] va = HeapStorage.array(v.storage()), oa = HeapStorage.array(out.storage());
        SimdOps.rows(B * NH * Tq, 4L * Tk * HS, (r0, r1) -> {
            float[] scores = new float[Tk];
            for (int r = r0; r < r1; r++) {
                int i = r % Tq, bh = r / Tq, h = bh % NH, b = bh / NH;
                int visible = s.causal() ? Tk - Tq + i + 1 : Tk;
                int qi = base(q, b, i, h, HS), oi = base(out, b, i, h, HS);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    float sc = s.scale() * SimdOps.dot(qa, qi, ka, base(k, b, j, h, HS), HS);
                    scores[j] = sc;
                    max = Math.max(max, sc);
                }
                float sum = SimdSoftmax.expSum(scores, 0, visible, max, scores, 0);
                java.util.Arrays.fill(oa, oi, oi + HS, 0f);
                float inv = 1f / sum;
                for (int j = 0; j < visible; j++) {
                    SimdOps.axpy(HS, scores[j] * inv, va, base(v, b, j, h, HS), oa, oi);
                }
                lse[bh * Tq + i] = max + (float) Math.log(sum);
            }
        });
    }

    // dOut (B,Tq,NH,HS) -> dQ, dK, dV +=
    static void backward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, float[] lse,
                         Strided dOut, Strided dQ, Strided dK, Strided dV) {
        int B = s.B(), NH = s.NH(), Tq = s.Tq(), Tk = s.Tk(), HS = s.HS();
        float scale = s.scale();
        float[] qa = HeapStorage.array(q.storage()), ka = HeapStorage.array(k.storage());
        float[] va = HeapStorage.array(v.storage()), oa = HeapStorage.array(out.storage());
        float[] ga = HeapStorage.array(dOut.storage()), dqa = HeapStorage.array(dQ.storage());
        float[] dka = HeapStorage.array(dK.storage()), dva = HeapStorage.array(dV.storage());
        Parallel.get().forBlocks(B * NH, 10L * B * NH * Tq * Tk * HS, bh -> {
            int b = bh / NH, h = bh % NH;
            for (int i = 0; i < Tq; i++) {
                int visible = s.causal() ? Tk - Tq + i + 1 : Tk;
                int qi = base(q, b, i, h, HS), gi = base(dOut, b, i, h, HS), dqi = base(dQ, b, i, h, HS);
                float dRow = SimdOps.dot(ga, gi, oa, base(out, b, i, h, HS), HS);
                float l = lse[bh * Tq + i];
                for (int j = 0; j < visible; j++) {
                    int kj = base(k, b, j, h, HS), vj = base(v, b, j, h, HS);
                    float p = (float) Math.exp(scale * SimdOps.dot(qa, qi, ka, kj, HS) - l);
                    SimdOps.axpy(HS, p, ga, gi, dva, base(dV, b, j, h, HS));
                    float ds = p * (SimdOps.dot(ga, gi, va, vj, HS) - dRow) * scale;
                    SimdOps.axpy(HS, ds, ka, kj, dqa, dqi);
                    SimdOps.axpy(HS, ds, qa, qi, dka, base(dK, b, j, h, HS));
                }
            }
        });
    }
}
