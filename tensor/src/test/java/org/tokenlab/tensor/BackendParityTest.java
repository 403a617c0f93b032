package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.ScalarBackend;

/**
 * Every gradient-check case (all primitives and F ops, through the tensor layer) gives the same
 * outputs and input gradients on the current backend as on the scalar reference, within
 * {@code |fast − ref| ≤ 1e-4 + 1e-3·|ref|} (stated before running: float32 kernels with different
 * summation orders and vector exp/tanh, on values of magnitude ≲ 10). Skipped when the current backend
 * is the scalar one.
 */
class BackendParityTest {
    static final double ATOL = 1e-4;
    static final double RTOL = 1e-3;

    static java.util.stream.Stream<GradCheckTest.Case> allCases() {
        return GradCheckTest.allCases();
    }

    /** Output values followed by each input's gradient, computed on backend {@code be}. */
    static List<float[]> run(Backend be, GradCheckTest.Case cs) {
        Backend saved = Engine.backend();
        Engine.setBackend(be);
        try {
            Tensor[] inputs = cs.inputs().get();
            for (Tensor t : inputs) {
                t.setRequiresGrad(true);
            }
            Tensor y = cs.f().apply(inputs);
            List<float[]> out = new ArrayList<>();
            out.add(y.toArray());
            // a fixed, non-uniform seed so every output element's gradient path is exercised
            float[] seed = new float[y.numel()];
            for (int i = 0; i < seed.length; i++) {
                seed[i] = (float) Math.sin(1.0 + i);
            }
            y.backward(Tensor.of(seed, y.shape()));
            for (Tensor t : inputs) {
                out.add(t.grad().toArray());
            }
            return out;
        } finally {
            Engine.setBackend(saved);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void currentBackendMatchesTheScalarReference(GradCheckTest.Case cs) {
        Backend current = Engine.backend();
        assumeFalse(current.name().equals("scalar"), "the current backend is the reference itself");
        List<float[]> ref = run(new ScalarBackend(), cs);
        List<float[]> fast = run(current, cs);
        for (int k = 0; k < ref.size(); k++) {
            String what = k == 0 ? "output" : "gradient of input " + (k - 1);
            float[] r = ref.get(k);
            float[] f = fast.get(k);
            assertEquals(r.length, f.length, cs.name() + " " + what + " size");
            for (int i = 0; i < r.length; i++) {
                assertEquals(r[i], f[i], ATOL + RTOL * Math.abs(r[i]),
                        cs.name() + " " + what + " element " + i + " on " + current.name());
            }
        }
    }
}
