package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;

/**
 * Fused log-softmax + cross-entropy with per-row weights and an ignore index, forward and backward.
 * The softmax is never materialised: the forward keeps lse per row, the backward recomputes
 * exp(logit − lse) on the fly.
 *
 * <p>Scalar reference per row n with target t: {@code lse = m + log Σ exp(x − m)},
 * {@code loss = w·(lse − x[t])}; {@code dx += dL·w·(exp(x − lse) − [v == t])}.
 */
final class SimdLoss {
    private SimdLoss() {
    }

    /** Fails naming the first target outside [0, V) that is not the ignore index. */
    static void checkTargets(int N, int V, int[] targets, int ignoreIndex) {
        if (targets.length < N) {
            throw new IllegalArgumentException("crossEntropy: targets has " + targets.length + " entries, need N=" + N);
        }
        for (int n = 0; n < N; n++) {
            int t = targets[n];
            if (t != ignoreIndex && (t < 0 || t >= V)) {
                throw new IllegalArgumentException("crossEntropy: target " + t + " at position " + n
                        + " is outside [0, " + V + ")");
            }
        }
    }

    // logits (N,V), targets (N), weights (N) -> losses (N), lse (N)
    static void forward(int N, int V, float[] logits, int off, int[] targets, float[] weights, int ignoreIndex,
                        float[] losses, float[] lse) {
        SimdOps.rows(N, 8L * V, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int xi = off + n * V;
                float max = SimdOps.max(logits, xi, V);
                float l = max + (float) Math.log(SimdSoftmax.expSum(logits, xi, V, max, null, 0));
                lse[n] = l;
                int t = targets[n];
                losses[n] = t == ignoreIndex ? 0f : (weights == null ? 1f : weights[n]) * (l - logits[xi + t]);
            }
        });
    }

    // logits (N,V), lse (N), dLosses (N) -> dLogits (N,V) +=
    static void backward(int N, int V, float[] logits, int off, int[] targets, float[] weights, int ignoreIndex,
                         float[] lse, float[] dLosses, float[] dLogits, int dOff) {
        SimdOps.rows(N, 8L * V, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int t = targets[n];
                if (t == ignoreIndex) {
                    continue;
                }
                float g = dLosses[n] * (weights == null ? 1f : weights[n]);
                float l = lse[n];
                int xi = off + n * V, di = dOff + n * V;
                float[] p = SimdMath.scratch(V);
                SimdMath.expOnly(logits, xi, 1f, -l, p, 0, V); // softmax row, recomputed
                int j = 0;
                for (int bound = F.loopBound(V); j < bound; j += L) {
                    FloatVector.fromArray(F, p, j).mul(g).add(FloatVector.fromArray(F, dLogits, di + j)).intoArray(dLogits, di + j);
                }
                for (; j < V; j++) {
                    dLogits[di + j] += g * p[j];
                }
                dLogits[di + t] -= g;
            }
        });
    }
}
