package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.tokenlab.tensor.autograd.Node;
import org.tokenlab.tensor.autograd.Rule;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Central-difference gradient checking.
 *
 * <p>Method: the scalar loss is {@code L = Σ_i f(x)_i · r_i} with a fixed random projection r, so every
 * output element's gradient is exercised. The analytic gradient comes from {@link Tensor#backward()}.
 * The numerical gradient of each checked coordinate is {@code (L(x + ε) − L(x − ε)) / 2ε}, evaluating
 * the float32 op and accumulating L in double (outputs the perturbation does not touch cancel exactly).
 *
 * <p>Stated tolerances (chosen before any run, from float32 rounding ≈ 6e-8 relative and the
 * truncation error ε²·f'''/6 for inputs of magnitude ≲ 3): ε = 1e-2 and
 * {@code |numerical − analytic| ≤ 1e-3 + 1e-2·|analytic|}. Inputs with more than 48 elements are
 * checked at 48 coordinates drawn at random (fixed seed); smaller inputs at every coordinate.
 */
final class GradCheck {
    static final float EPS = 1e-2f;
    static final double ATOL = 1e-3;
    static final double RTOL = 1e-2;
    static final int MAX_COORDS = 48;

    private GradCheck() {
    }

    /** Runs f once and returns the rules in its graph (no backward). */
    static Set<Rule> rulesOf(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.setRequiresGrad(true);
        }
        Tensor y = f.apply(inputs);
        Set<Rule> rules = EnumSet.noneOf(Rule.class);
        Deque<Tensor> todo = new ArrayDeque<>();
        todo.push(y);
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            Node n = t.node();
            if (n != null && seen.add(t)) {
                rules.add(n.rule());
                for (Tensor in : n.inputs()) {
                    todo.push(in);
                }
            }
        }
        return rules;
    }

    /** Checks d(Σ f(inputs)·r)/d(inputs) against central differences; inputs must be fresh contiguous leaves. */
    static void check(String label, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.setRequiresGrad(true);
            t.zeroGrad();
        }
        Tensor y = f.apply(inputs);
        Tensor r = Tensor.uniform(RandomStream.root(99).child(label), -1f, 1f, y.shape());
        y.mul(r).sum().backward();
        float[] proj = r.toArray();
        RandomStream pick = RandomStream.root(5).child(label);
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            if (x.grad() == null) {
                fail(label + ": input " + k + " received no gradient");
            }
            float[] analytic = x.grad().toArray();
            float[] data = HeapStorage.array(x.storage());
            int n = x.numel();
            int coords = Math.min(n, MAX_COORDS);
            for (int c = 0; c < coords; c++) {
                int i = n <= MAX_COORDS ? c : pick.nextInt(n);
                int at = x.offset() + i;
                float old = data[at];
                data[at] = old + EPS;
                double plus = loss(f, inputs, proj);
                data[at] = old - EPS;
                double minus = loss(f, inputs, proj);
                data[at] = old;
                // the perturbation actually applied, in float32
                double h = ((double) (old + EPS) - (double) (old - EPS));
                double numerical = (plus - minus) / h;
                double diff = Math.abs(numerical - analytic[i]);
                if (diff > ATOL + RTOL * Math.abs(analytic[i])) {
                    fail(label + ": input " + k + " " + x.describe() + " element " + i + ": analytic "
                            + analytic[i] + " vs numerical " + numerical + " (|diff| " + diff + ")");
                }
            }
        }
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] proj) {
        try (var ng = Engine.noGrad()) {
            float[] y = f.apply(inputs).toArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += (double) y[i] * proj[i];
            }
            return sum;
        }
    }
}
