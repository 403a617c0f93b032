package org.tokenlab.tensor.backend.scalar;

import org.tokenlab.tensor.rng.RandomStream;

/** Reference dropout (counter-based masks) and the fused AdamW step. */
public final class ScalarOptim {
    private ScalarOptim() {
    }

    // x (n) -> y (n), mask (n): element i kept iff uniform(seedKey, offset + i) >= p
    public static void dropout(int n, float p, long seedKey, long offset, float[] x, int xOff,
                               float[] y, int yOff, float[] mask) {
        RandomStream rng = RandomStream.ofKey(seedKey, 0);
        float keepScale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            float m = rng.uniformAt(offset + i) >= p ? keepScale : 0f;
            mask[i] = m;
            y[yOff + i] = x[xOff + i] * m;
        }
    }

    // param, grad, m, v (n): one AdamW step (PyTorch semantics, decoupled weight decay)
    public static void adamW(int n, float[] param, float[] grad, float[] m, float[] v, float lr, float beta1,
                             float beta2, float eps, float weightDecay, int step, float gradScale) {
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        for (int i = 0; i < n; i++) {
            float g = grad[i] * gradScale;
            m[i] = beta1 * m[i] + (1f - beta1) * g;
            v[i] = beta2 * v[i] + (1f - beta2) * g * g;
            double mHat = m[i] / bc1;
            double vHat = v[i] / bc2;
            param[i] -= (float) (lr * (mHat / (Math.sqrt(vHat) + eps) + weightDecay * param[i]));
        }
    }
}
