package org.tokenlab.tensor.backend.scalar;

/** Reference fused log-softmax + cross-entropy with per-row weights and an ignore index. */
public final class ScalarLoss {
    private ScalarLoss() {
    }

    static void checkTarget(int n, int t, int V, int ignoreIndex) {
        if (t != ignoreIndex && (t < 0 || t >= V)) {
            throw new IllegalArgumentException("crossEntropy: target " + t + " at position " + n
                    + " is outside [0, " + V + ")");
        }
    }

    // logits (N,V), targets (N), weights (N) or null -> losses (N), lse (N)
    public static void crossEntropy(int N, int V, float[] logits, int off, int[] targets, float[] weights,
                                    int ignoreIndex, float[] losses, float[] lse) {
        for (int n = 0; n < N; n++) {
            int t = targets[n];
            checkTarget(n, t, V, ignoreIndex);
            int row = off + n * V;
            double l = ScalarNorms.logSumExp(logits, row, V);
            lse[n] = (float) l;
            if (t == ignoreIndex) {
                losses[n] = 0f;
            } else {
                double w = weights == null ? 1.0 : weights[n];
                losses[n] = (float) (w * (l - logits[row + t]));
            }
        }
    }

    // logits (N,V), lse (N), dLosses (N) -> dLogits (N,V) +=
    public static void crossEntropyBackward(int N, int V, float[] logits, int off, int[] targets,
                                            float[] weights, int ignoreIndex, float[] lse, float[] dLosses,
                                            float[] dLogits, int dOff) {
        for (int n = 0; n < N; n++) {
            int t = targets[n];
            checkTarget(n, t, V, ignoreIndex);
            if (t == ignoreIndex) {
                continue;
            }
            double g = dLosses[n] * (weights == null ? 1.0 : weights[n]);
            int row = off + n * V;
            for (int c = 0; c < V; c++) {
                double p = Math.exp(logits[row + c] - lse[n]);
                dLogits[dOff + n * V + c] += (float) (g * (p - (c == t ? 1.0 : 0.0)));
            }
        }
    }
}
