package org.tokenlab.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenlab.tensor.optim.Params.gaussian;
import static org.tokenlab.tensor.optim.Params.param;
import static org.tokenlab.tensor.optim.Params.setGrad;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.io.SafeTensors;

class AdamWTest {

    /** The textbook AdamW (PyTorch semantics) in double precision, one parameter array. */
    static final class ReferenceAdamW {
        final double[] p;
        final double[] m;
        final double[] v;
        final double beta1;
        final double beta2;
        final double eps;
        final double wd;

        ReferenceAdamW(float[] p, double beta1, double beta2, double eps, double wd) {
            this.p = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                this.p[i] = p[i];
            }
            this.m = new double[p.length];
            this.v = new double[p.length];
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.wd = wd;
        }

        void step(int t, double lr, float[] grad, double gradScale) {
            for (int i = 0; i < p.length; i++) {
                double g = grad[i] * gradScale;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                p[i] = p[i] * (1 - lr * wd);               // decoupled decay, PyTorch order
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tol * (1 + Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (err " + err + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("org.tokenlab.tensor.optim.Params#backends")
    void matchesTheDoubleReferenceOverSeveralSteps(String backend) {
        Params.onBackend(backend, AdamWTest::checkAgainstReference);
    }

    private static void checkAgainstReference() {
        SplittableRandom r = new SplittableRandom(7);
        float[] w0 = gaussian(r, 12, 1.0);
        float[] b0 = gaussian(r, 4, 1.0);
        Tensor w = param("w", w0, 3, 4);
        Tensor b = param("b", b0, 4);
        float beta1 = 0.9f, beta2 = 0.95f, eps = 1e-8f, wd = 0.1f;
        AdamW opt = new AdamW(ParamGroup.decayMatrices(List.of(w, b), wd), 0f, beta1, beta2, eps);
        ReferenceAdamW refW = new ReferenceAdamW(w0, beta1, beta2, eps, wd);
        ReferenceAdamW refB = new ReferenceAdamW(b0, beta1, beta2, eps, 0);
        LrSchedule schedule = LrSchedule.cosine(1e-2f, 2, 8, 1e-3f);
        for (int t = 0; t < 8; t++) {
            float[] gw = gaussian(r, 12, 0.5);
            float[] gb = gaussian(r, 4, 0.5);
            setGrad(w, gw);
            setGrad(b, gb);
            float lr = schedule.lr(t);
            opt.setLr(lr);
            float scale = t == 5 ? 0.25f : 1f; // one clipped step
            opt.step(scale);
            refW.step(t + 1, lr, gw, scale);
            refB.step(t + 1, lr, gb, scale);
            assertClose(refW.p, w.toArray(), 2e-6, "w after step " + (t + 1));
            assertClose(refB.p, b.toArray(), 2e-6, "b after step " + (t + 1));
        }
        assertEquals(8, opt.stepCount());
        OptimizerState s = opt.exportState();
        assertClose(refW.m, s.buffers().get("m.0"), 1e-6, "m of w");
        assertClose(refB.v, s.buffers().get("v.1"), 1e-6, "v of b");
    }

    @Test
    void decayTouchesMatricesOnly() {
        // With zero gradients m = v = 0 and the Adam term vanishes: only the decay moves a parameter.
        float[] ones = {1, 2, 3, 4, 5, 6};
        Tensor w = param("h.weight", ones, 2, 3);
        Tensor emb = param("wte.emb", ones, 3, 2);
        Tensor bias = param("h.bias", new float[] {1, 2, 3}, 3);
        Tensor gain = param("ln.weight", new float[] {1, 1, 1}, 3);
        List<ParamGroup> groups = ParamGroup.decayMatrices(List.of(w, emb, bias, gain), 0.5f,
                t -> t.name().contains("emb"));
        assertEquals(List.of(w), groups.get(0).params());
        assertEquals(List.of(emb, bias, gain), groups.get(1).params());
        AdamW opt = new AdamW(groups, 0.1f, 0.9f, 0.999f, 1e-8f);
        for (Tensor p : opt.params()) {
            setGrad(p, new float[p.numel()]);
        }
        opt.step();
        float[] got = w.toArray();
        for (int i = 0; i < ones.length; i++) {
            assertEquals(ones[i] * (1 - 0.1f * 0.5f), got[i], 1e-6f, "decayed by (1 − lr·λ)");
        }
        assertArrayEquals(ones, emb.toArray(), "exempt embedding untouched");
        assertArrayEquals(new float[] {1, 2, 3}, bias.toArray(), "bias untouched");
        assertArrayEquals(new float[] {1, 1, 1}, gain.toArray(), "norm gain untouched");
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = param("a", new float[] {1, 2}, 2);
        Tensor b = param("b", new float[] {3, 4}, 2);
        AdamW opt = new AdamW(List.of(new ParamGroup(List.of(a, b), 0.1f)), 0.1f, 0.9f, 0.999f, 1e-8f);
        setGrad(a, new float[] {1, 1});
        opt.step();
        assertArrayEquals(new float[] {3, 4}, b.toArray());
        assertNotEquals(1f, a.toArray()[0]);
        assertArrayEquals(new float[2], opt.exportState().buffers().get("m.1"));
    }

    @Test
    void resumingFromExportedStateIsBitwiseExact(@TempDir Path dir) throws IOException {
        SplittableRandom data = new SplittableRandom(11);
        float[][] grads = new float[6][];
        for (int t = 0; t < grads.length; t++) {
            grads[t] = gaussian(data, 10, 1.0);
        }
        float[] init = gaussian(new SplittableRandom(3), 10, 1.0);

        // uninterrupted: 6 steps
        Tensor p = param("p", init, 2, 5);
        AdamW straight = new AdamW(ParamGroup.decayMatrices(List.of(p), 0.01f), 3e-3f, 0.9f, 0.95f, 1e-8f);
        for (float[] g : grads) {
            setGrad(p, g);
            straight.step();
        }

        // interrupted after 3 steps; state goes through a safetensors file
        Tensor q = param("p", init, 2, 5);
        AdamW first = new AdamW(ParamGroup.decayMatrices(List.of(q), 0.01f), 3e-3f, 0.9f, 0.95f, 1e-8f);
        for (int t = 0; t < 3; t++) {
            setGrad(q, grads[t]);
            first.step();
        }
        OptimizerState saved = first.exportState();
        Path f = dir.resolve("opt.safetensors");
        SafeTensors.write(f, saved.toTensorData("optim."), Map.of("step", Integer.toString(saved.step())));
        SafeTensors.Contents c = SafeTensors.read(f);
        OptimizerState loaded = OptimizerState.fromTensorData(Integer.parseInt(c.metadata().get("step")),
                c.tensors(), "optim.");

        Tensor resumed = param("p", q.toArray(), 2, 5);
        AdamW second = new AdamW(ParamGroup.decayMatrices(List.of(resumed), 0.01f), 3e-3f, 0.9f, 0.95f, 1e-8f);
        second.loadState(loaded);
        assertEquals(3, second.stepCount());
        for (int t = 3; t < 6; t++) {
            setGrad(resumed, grads[t]);
            second.step();
        }
        assertArrayEquals(p.toArray(), resumed.toArray(), "bitwise equal weights");
        assertEquals(straight.exportState().buffers().keySet(), second.exportState().buffers().keySet());
        for (String k : straight.exportState().buffers().keySet()) {
            assertArrayEquals(straight.exportState().buffers().get(k), second.exportState().buffers().get(k), k);
        }
    }

    @Test
    void rejectsBadConfiguration() {
        Tensor a = param("a", new float[] {1, 2}, 2);
        List<ParamGroup> g = ParamGroup.single(List.of(a));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(g, 1e-3f, 1f, 0.999f, 1e-8f));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(g, 1e-3f, 0.9f, -0.1f, 1e-8f));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(g, -1f, 0.9f, 0.999f, 1e-8f));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(g, 1e-3f, 0.9f, 0.999f, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ParamGroup(List.of(a), -0.1f));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> new AdamW(List.of(new ParamGroup(List.of(a), 0.1f), new ParamGroup(List.of(a), 0f)),
                        1e-3f, 0.9f, 0.999f, 1e-8f));
        assertTrue(dup.getMessage().contains("more than once"), dup.getMessage());
        Tensor frozen = Tensor.of(new float[] {1}, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new AdamW(ParamGroup.single(List.of(frozen)), 1e-3f, 0.9f, 0.999f, 1e-8f));
        AdamW opt = new AdamW(g, 1e-3f, 0.9f, 0.999f, 1e-8f);
        assertThrows(IllegalArgumentException.class, () -> opt.step(Float.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> opt.loadState(new OptimizerState(1, Map.of("m.0", new float[2]))), "v.0 missing");
        assertThrows(IllegalArgumentException.class,
                () -> opt.loadState(new OptimizerState(1, Map.of("m.0", new float[3], "v.0", new float[2]))),
                "wrong length");
        assertEquals(0, opt.stepCount(), "failed loads change nothing");
    }
}
