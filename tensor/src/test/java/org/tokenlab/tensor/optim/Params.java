package org.tokenlab.tensor.optim;

import java.util.List;
import java.util.SplittableRandom;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;

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

    /** Names of the backends that can run here (for parameterized tests). */
    static List<String> backends() {
        return Backends.providers().stream().filter(p -> p.availability().available())
                .map(BackendProvider::name).toList();
    }

    /** Runs {@code body} with backend {@code name} current, then restores the previous one. */
    static void onBackend(String name, Runnable body) {
        Backend previous = Engine.backend();
        Engine.setBackend(Backends.create(name));
        try {
            body.run();
        } finally {
            Engine.setBackend(previous);
        }
    }
}
