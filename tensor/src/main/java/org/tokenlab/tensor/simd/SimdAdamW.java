package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;

/**
 * One fused AdamW step (PyTorch semantics, decoupled weight decay) in a single pass over param, grad,
 * m and v. Elements are independent, so any chunking gives identical results.
 *
 * <p>Scalar reference: {@code g = gradScale·grad; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * p −= lr·((m/(1−β1^t)) / (√(v/(1−β2^t)) + eps) + wd·p)}.
 */
final class SimdAdamW {
    private SimdAdamW() {
    }

    // param, grad, m, v (n)
    static void step(int n, float[] p, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                     float eps, float wd, int step, float gradScale) {
        float bc1 = (float) (1.0 - Math.pow(beta1, step));
        float bc2 = (float) (1.0 - Math.pow(beta2, step));
        float a1 = 1f - beta1, a2 = 1f - beta2;
        SimdOps.chunks(n, 12, (i0, i1) -> {
            int i = i0;
            for (int bound = i0 + F.loopBound(i1 - i0); i < bound; i += L) {
                FloatVector gv = FloatVector.fromArray(F, g, i).mul(gradScale);
                FloatVector mv = FloatVector.fromArray(F, m, i).mul(beta1).add(gv.mul(a1));
                FloatVector vv = FloatVector.fromArray(F, v, i).mul(beta2).add(gv.mul(gv).mul(a2));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector pv = FloatVector.fromArray(F, p, i);
                FloatVector upd = mv.div(bc1).div(vv.div(bc2).sqrt().add(eps)).add(pv.mul(wd));
                pv.sub(upd.mul(lr)).intoArray(p, i);
            }
            for (; i < i1; i++) {
                float gi = g[i] * gradScale;
                m[i] = beta1 * m[i] + a1 * gi;
                v[i] = beta2 * v[i] + a2 * gi * gi;
                float mhat = m[i] / bc1, vhat = v[i] / bc2;
                p[i] -= lr * (mhat / ((float) Math.sqrt(vhat) + eps) + wd * p[i]);
            }
        });
    }
}
