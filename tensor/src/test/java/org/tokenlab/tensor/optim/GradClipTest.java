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

class GradClipTest {

    private static double referenceNorm(float[]... grads) {
        double s = 0;
        for (float[] g : grads) {
            for (float x : g) {
                s += (double) x * x;
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void normIsTheGlobalL2NormAndNullGradsCountAsZero() {
        SplittableRandom r = new SplittableRandom(1);
        Tensor a = param("a", new float[12], 3, 4);
        Tensor b = param("b", new float[5], 5);
        Tensor c = param("c", new float[2], 2);
        float[] ga = gaussian(r, 12, 2.0);
        float[] gb = gaussian(r, 5, 2.0);
        setGrad(a, ga);
        setGrad(b, gb);
        assertEquals(referenceNorm(ga, gb), GradClip.globalNorm(List.of(a, b, c)), 1e-12 * referenceNorm(ga, gb));
    }

    @ParameterizedTest
    @MethodSource("org.tokenlab.tensor.optim.Params#backends")
    void clippingScalesToExactlyMaxNorm(String backend) {
        Params.onBackend(backend, GradClipTest::clipAndCheck);
    }

    private static void clipAndCheck() {
        SplittableRandom r = new SplittableRandom(2);
        Tensor a = param("a", new float[100], 10, 10);
        Tensor b = param("b", new float[10], 10);
        float[] ga = gaussian(r, 100, 1.0);
        float[] gb = gaussian(r, 10, 1.0);
        setGrad(a, ga);
        setGrad(b, gb);
        double before = GradClip.clipGlobalNorm(List.of(a, b), 1.0f);
        assertEquals(referenceNorm(ga, gb), before, 1e-9 * before);
        assertTrue(before > 5, "the test needs a norm well above maxNorm, got " + before);
        double after = GradClip.globalNorm(List.of(a, b));
        assertEquals(1.0, after, 1e-6, "clipped norm");
        // the direction is kept: every component scaled by the same factor
        float s = (float) (1.0 / before);
        float[] got = a.grad().toArray();
        for (int i = 0; i < ga.length; i++) {
            assertEquals(ga[i] * s, got[i], 1e-7f * Math.abs(ga[i] * s) + 1e-12f);
        }
    }

    @Test
    void belowMaxNormNothingChanges() {
        Tensor a = param("a", new float[3], 3);
        setGrad(a, new float[] {0.1f, -0.2f, 0.3f});
        double norm = GradClip.clipGlobalNorm(List.of(a), 1.0f);
        assertEquals(Math.sqrt(0.14), norm, 1e-7);
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.3f}, a.grad().toArray());
        assertEquals(1f, GradClip.scale(norm, 1.0f));
        assertEquals(0.5f, GradClip.scale(2.0, 1.0f));
    }

    @Test
    void nonFiniteNormLeavesGradientsAlone() {
        Tensor a = param("a", new float[2], 2);
        setGrad(a, new float[] {Float.NaN, 1f});
        assertTrue(Double.isNaN(GradClip.clipGlobalNorm(List.of(a), 1.0f)));
        assertEquals(1f, a.grad().toArray()[1]);
        assertThrows(IllegalArgumentException.class, () -> GradClip.scale(1.0, 0f));
    }

    @Test
    void aGradientSharedByTwoParametersIsScaledOnce() {
        Tensor a = param("a", new float[2], 2);
        Tensor b = param("b", new float[2], 2);
        Tensor shared = Tensor.of(new float[] {3f, 4f}, 2);
        a.zeroGrad();
        b.zeroGrad();
        a.accumulateGrad(shared);
        b.accumulateGrad(shared);
        double norm = GradClip.clipGlobalNorm(List.of(a, b), 1.0f);
        assertEquals(Math.sqrt(50), norm, 1e-12);
        float s = (float) (1.0 / Math.sqrt(50));
        assertArrayEquals(new float[] {3f * s, 4f * s}, a.grad().toArray(), 1e-7f);
        assertArrayEquals(new float[] {3f * s, 4f * s}, b.grad().toArray(), 1e-7f);
    }

    @Test
    void passingTheScaleToTheOptimizerEqualsClippingInPlace() {
        SplittableRandom r = new SplittableRandom(4);
        float[] init = gaussian(r, 8, 1.0);
        float[] g = gaussian(r, 8, 10.0);
        Tensor p1 = param("p", init, 8);
        Tensor p2 = param("p", init, 8);
        AdamW o1 = new AdamW(ParamGroup.single(List.of(p1)), 1e-2f, 0.9f, 0.95f, 1e-8f);
        AdamW o2 = new AdamW(ParamGroup.single(List.of(p2)), 1e-2f, 0.9f, 0.95f, 1e-8f);
        setGrad(p1, g);
        setGrad(p2, g);
        GradClip.clipGlobalNorm(List.of(p1), 1.0f);
        o1.step();
        o2.step(GradClip.scale(GradClip.globalNorm(List.of(p2)), 1.0f));
        assertArrayEquals(p1.toArray(), p2.toArray(), 1e-6f);
        assertArrayEquals(g, p2.grad().toArray(), "step(scale) leaves the gradient untouched");
    }
}
