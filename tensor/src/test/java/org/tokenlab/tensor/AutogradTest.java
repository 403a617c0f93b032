package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tape semantics: accumulation, no-grad scopes, leaves vs intermediates, graph release, seeds. */
class AutogradTest {

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).setRequiresGrad(true);
        w.mul(w).sum().backward(); // d/dw Σ w² = 2w
        assertArrayEquals(new float[] {2, 4, 6}, w.grad().toArray());
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, w.grad().toArray());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor x = Tensor.of(new float[] {2}, 1).setRequiresGrad(true);
        Tensor y = x.mul(x).add(x.exp()).add(x); // 2x + eˣ + 1
        y.sum().backward();
        assertEquals(4 + Math.exp(2) + 1, x.grad().item(), 1e-5);
    }

    @Test
    void noGradScopeRecordsNothingAndNests() {
        Tensor w = Tensor.ones(3).setRequiresGrad(true);
        try (var outer = Engine.noGrad()) {
            try (var inner = Engine.noGrad()) {
                assertFalse(Engine.isGradEnabled());
            }
            assertFalse(Engine.isGradEnabled());
            Tensor y = w.mul(2f);
            assertFalse(y.requiresGrad());
            assertNull(y.node());
        }
        assertTrue(Engine.isGradEnabled());
        assertTrue(w.mul(2f).requiresGrad());
    }

    @Test
    void intermediateGradientsAreNotKeptAndTheGraphIsReleased() {
        Tensor w = Tensor.ones(2, 2).setRequiresGrad(true);
        Tensor h = w.mul(3f);
        Tensor loss = h.sum();
        loss.backward();
        assertNull(h.grad());
        assertNull(h.node());
        assertNull(loss.node());
        assertArrayEquals(new float[] {3, 3, 3, 3}, w.grad().toArray());
    }

    @Test
    void inputsWithoutGradGetNoGradient() {
        Tensor w = Tensor.ones(3).setRequiresGrad(true);
        Tensor c = Tensor.ones(3);
        w.mul(c).sum().backward();
        assertNull(c.grad());
        assertFalse(c.mul(2f).requiresGrad());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor w = Tensor.of(new float[] {1, 2}, 2).setRequiresGrad(true);
        Tensor d = w.mul(2f).detach();
        assertFalse(d.requiresGrad());
        w.mul(d).sum().backward(); // d is a constant here: grad = d = 2w
        assertArrayEquals(new float[] {2, 4}, w.grad().toArray());
    }

    @Test
    void backwardWithASeed() {
        Tensor w = Tensor.of(new float[] {1, 2, 3}, 3).setRequiresGrad(true);
        w.mul(w).backward(Tensor.of(new float[] {1, 0, -1}, 3));
        assertArrayEquals(new float[] {2, 0, -6}, w.grad().toArray());
    }

    @Test
    void misuseFailsClearly() {
        Tensor w = Tensor.ones(3).setRequiresGrad(true);
        Tensor y = w.mul(2f);
        assertTrue(assertThrows(IllegalStateException.class, y::backward).getMessage().contains("not a scalar"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Tensor.ones(1).backward()).getMessage()
                .contains("does not require grad"));
        assertThrows(IllegalStateException.class, () -> y.setRequiresGrad(false));
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(4)));
    }

    @Test
    void broadcastGradientsAreSummedBackToTheInputShape() {
        Tensor b = Tensor.zeros(1, 3).setRequiresGrad(true);
        Tensor x = Tensor.ones(4, 3);
        x.add(b).sum().backward();
        assertArrayEquals(new int[] {1, 3}, b.grad().shape());
        assertArrayEquals(new float[] {4, 4, 4}, b.grad().toArray());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor w = Tensor.ones(1).setRequiresGrad(true);
        Tensor y = w;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(0f);
        }
        y.sum().backward();
        assertEquals(1f, w.grad().item());
    }

    @Test
    void aSecondBackwardThroughAReleasedGraphFails() {
        Tensor w = Tensor.ones(2).setRequiresGrad(true);
        Tensor shared = w.mul(2f);
        shared.sum().backward();
        Tensor again = shared.mul(3f).sum();
        String msg = assertThrows(IllegalStateException.class, again::backward).getMessage();
        assertTrue(msg.contains("already released"), msg);
    }
}
