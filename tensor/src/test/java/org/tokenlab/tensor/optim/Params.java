package org.tokenlab.tensor.optim;

import java.util.SplittableRandom;
import org.tokenlab.tensor.Tensor;

/** Test helpers: parameters with given values and gradients, and seeded random arrays. */
final class Params {
    private Params() {
    }

    static Tensor param(String name, float[] values, int... shape) {
        return Tensor.of(values.clone(), shape).setRequiresGrad(true).setName(name);
    }

    /** Replaces p's gradient by a fresh tensor holding {@code g}. */
    static void setGrad(Tensor p, float[] g) {
        p.zeroGrad();
        p.accumulateGrad(Tensor.of(g.clone(), p.shape()));
    }

    static float[] gaussian(SplittableRandom r, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }
}
