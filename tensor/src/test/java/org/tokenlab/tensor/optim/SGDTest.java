package org.tokenlab.tensor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenlab.tensor.optim.Params.gaussian;
import static org.tokenlab.tensor.optim.Params.param;
import static org.tokenlab.tensor.optim.Params.setGrad;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tokenlab.tensor.Tensor;

class SGDTest {

    /** PyTorch's SGD (dampening 0) in double precision. */
    private static void referenceStep(double[] p, double[] buf, float[] g, double lr, double mu, double wd,
                                      boolean nesterov, boolean first) {
        for (int i = 0; i < p.length; i++) {
            double d = g[i] + wd * p[i];
            if (mu > 0) {
                buf[i] = first ? d : mu * buf[i] + d;
                d = nesterov ? d + mu * buf[i] : buf[i];
            }
            p[i] -= lr * d;
        }
    }

    private static void compareWithReference(float mu, float wd, boolean nesterov) {
        SplittableRandom r = new SplittableRandom(5);
        float[] init = gaussian(r, 8, 1.0);
        Tensor p = param("p", init, 2, 4);
        SGD opt = new SGD(List.of(p), 0.05f, mu, wd, nesterov);
        double[] ref = new double[8];
        double[] buf = new double[8];
        for (int i = 0; i < 8; i++) {
            ref[i] = init[i];
        }
        for (int t = 0; t < 6; t++) {
            float[] g = gaussian(r, 8, 1.0);
            setGrad(p, g);
            opt.step();
            referenceStep(ref, buf, g, 0.05, mu, wd, nesterov, t == 0);
            float[] got = p.toArray();
            for (int i = 0; i < 8; i++) {
                double err = Math.abs(ref[i] - got[i]);
                assertTrue(err <= 1e-6 * (1 + Math.abs(ref[i])), "mu=" + mu + " wd=" + wd + " nesterov=" + nesterov
                        + " step " + (t + 1) + " [" + i + "]: expected " + ref[i] + ", got " + got[i]);
            }
        }
        assertEquals(6, opt.stepCount());
    }

    @ParameterizedTest
    @MethodSource("org.tokenlab.tensor.optim.Params#backends")
    void matchesTheDoubleReference(String backend) {
        Params.onBackend(backend, () -> {
            compareWithReference(0f, 0f, false);
            compareWithReference(0f, 0.1f, false);
            compareWithReference(0.9f, 0f, false);
            compareWithReference(0.9f, 0.01f, false);
            compareWithReference(0.9f, 0.01f, true);
        });
    }

    @Test
    void momentumByHand() {
        // p = 1, g = 1 every step, lr 0.1, μ 0.9: buf = 1, 1.9, 2.71 and p = 0.9, 0.71, 0.439
        Tensor p = param("p", new float[] {1f}, 1);
        SGD opt = new SGD(List.of(p), 0.1f, 0.9f, 0f);
        float[] expected = {0.9f, 0.71f, 0.439f};
        for (float e : expected) {
            setGrad(p, new float[] {1f});
            opt.step();
            assertEquals(e, p.toArray()[0], 1e-6f);
        }
        assertArrayEquals(new float[] {2.71f}, opt.exportState().buffers().get("momentum.0"), 1e-6f);
    }

    @Test
    void resumeIsBitwiseExact() {
        SplittableRandom r = new SplittableRandom(9);
        float[] init = gaussian(r, 6, 1.0);
        float[][] grads = {gaussian(r, 6, 1), gaussian(r, 6, 1), gaussian(r, 6, 1), gaussian(r, 6, 1)};
        Tensor a = param("a", init, 6);
        SGD straight = new SGD(List.of(a), 0.1f, 0.9f, 0.01f, true);
        for (float[] g : grads) {
            setGrad(a, g);
            straight.step();
        }
        Tensor b = param("b", init, 6);
        SGD first = new SGD(List.of(b), 0.1f, 0.9f, 0.01f, true);
        for (int t = 0; t < 2; t++) {
            setGrad(b, grads[t]);
            first.step();
        }
        Tensor c = param("c", b.toArray(), 6);
        SGD second = new SGD(List.of(c), 0.1f, 0.9f, 0.01f, true);
        second.loadState(first.exportState());
        for (int t = 2; t < 4; t++) {
            setGrad(c, grads[t]);
            second.step();
        }
        assertArrayEquals(a.toArray(), c.toArray());
        assertEquals(4, second.stepCount());
    }

    @Test
    void withoutMomentumThereIsNoState() {
        Tensor p = param("p", new float[] {1f}, 1);
        SGD opt = new SGD(List.of(p), 0.1f, 0f, 0f);
        assertEquals(0, opt.exportState().buffers().size());
    }

    @Test
    void rejectsBadConfiguration() {
        Tensor p = param("p", new float[] {1f}, 1);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1f, 1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1f, -0.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1f, 0f, 0f, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1f, 0.9f, -1f));
    }
}
