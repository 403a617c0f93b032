package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.autograd.StepMemory;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * {@link StepMemory}: training steps inside a scope give bitwise the gradients of steps without one
 * (recycled storages carry old values, so a kernel that failed to overwrite its output, or a storage
 * handed back while still read, would show here); op outputs and gradient buffers are actually reused;
 * views and leaves are never handed back; scopes do not nest.
 */
class StepMemoryTest {
    private static final int N = 24, C = 16, NH = 2, V = 11;

    /** A one-block attention + MLP model over (2, 12, C) with every op a GPT step uses. */
    static final class Model {
        final List<Tensor> params = new ArrayList<>();
        final Tensor wqkv, bqkv, wfc, bfc, wout, lnW, lnB;

        Model() {
            RandomStream r = RandomStream.root(3);
            wqkv = p(Tensor.randn(r.child("qkv"), 0.3f, 3 * C, C));
            bqkv = p(Tensor.randn(r.child("bqkv"), 0.1f, 3 * C));
            wfc = p(Tensor.randn(r.child("fc"), 0.3f, 4 * C, C));
            bfc = p(Tensor.randn(r.child("bfc"), 0.1f, 4 * C));
            wout = p(Tensor.randn(r.child("out"), 0.3f, V, 4 * C));
            lnW = p(Tensor.ones(C));
            lnB = p(Tensor.zeros(C));
        }

        private Tensor p(Tensor t) {
            params.add(t.setRequiresGrad(true));
            return t;
        }

        Tensor loss(Tensor x, int[] targets) {
            Tensor h = F.layerNorm(x, lnW, lnB, 1e-5f);
            Tensor a = F.causalSelfAttention(F.linear(h, wqkv, bqkv), NH).add(x);
            Tensor m = F.linear(a, wfc, bfc).gelu();
            return F.crossEntropyMean(F.linear(m, wout, null).reshape(N, V), targets, null, -1);
        }
    }

    static Tensor input() {
        return Tensor.randn(RandomStream.root(4), 1f, 2, N / 2, C);
    }

    static int[] targets() {
        int[] t = new int[N];
        RandomStream r = RandomStream.root(5);
        for (int i = 0; i < N; i++) {
            t[i] = r.nextInt(V);
        }
        return t;
    }

    /** Gradients of three steps (each step: zero grads, loss, backward, an SGD update). */
    static List<float[]> threeSteps(StepMemory memory) {
        return threeSteps(memory, false);
    }

    /** As above; with {@code reclaim}, the pool takes back the last step's gradients instead of zeroGrad. */
    static List<float[]> threeSteps(StepMemory memory, boolean reclaim) {
        Model model = new Model();
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            if (reclaim) {
                memory.reclaimGradients(model.params);
            } else {
                model.params.forEach(Tensor::zeroGrad);
            }
            if (memory == null) {
                lossAndBackward(model, out);
            } else {
                try (var s = memory.open()) {
                    lossAndBackward(model, out);
                }
            }
            for (Tensor p : model.params) {
                out.add(p.grad().toArray());
                Engine.backend().axpy(p.numel(), -0.1f, p.grad().storage(), 0, p.storage(), p.offset());
            }
        }
        return out;
    }

    private static void lossAndBackward(Model model, List<float[]> out) {
        Tensor loss = model.loss(input(), targets());
        out.add(new float[] {loss.item()}); // read before backward: afterwards it is dead in a scope
        loss.backward();
    }

    @Test
    void stepsInsideAScopeGiveBitwiseTheSameLossesAndGradients() {
        List<float[]> plain = threeSteps(null);
        List<float[]> pooled = threeSteps(new StepMemory());
        assertEquals(plain.size(), pooled.size());
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), pooled.get(i), "entry " + i);
        }
    }

    @Test
    void reclaimedGradientsChangeNoBits() {
        List<float[]> plain = threeSteps(null);
        List<float[]> reclaimed = threeSteps(new StepMemory(), true);
        assertEquals(plain.size(), reclaimed.size());
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), reclaimed.get(i), "entry " + i);
        }
    }

    @Test
    void reclaimGradientsForgetsThemAndTheNextStepReusesTheirStorages() {
        Model model = new Model();
        StepMemory memory = new StepMemory();
        try (var s = memory.open()) {
            lossAndBackward(model, new ArrayList<>());
        }
        Set<Storage> old = Collections.newSetFromMap(new IdentityHashMap<>());
        model.params.forEach(p -> old.add(p.grad().storage()));
        memory.reclaimGradients(model.params);
        model.params.forEach(p -> assertNull(p.grad()));
        Set<Storage> used = Collections.newSetFromMap(new IdentityHashMap<>());
        try (var s = memory.open()) {
            lossAndBackward(model, new ArrayList<>());
            model.params.forEach(p -> used.add(p.grad().storage()));
        }
        used.retainAll(old);
        assertFalse(used.isEmpty(), "a gradient of the second step lives in a storage of the first's");
    }

    @Test
    void theNextStepReusesTheStoragesOfTheLast() {
        Model model = new Model();
        StepMemory memory = new StepMemory();
        Set<Storage> first = Collections.newSetFromMap(new IdentityHashMap<>());
        try (var s = memory.open()) {
            Tensor h = F.layerNorm(input(), model.lnW, model.lnB, 1e-5f);
            Tensor y = F.linear(h, model.wfc, model.bfc).gelu();
            first.add(h.storage());
            first.add(y.storage());
            y.sum().backward();
        }
        try (var s = memory.open()) {
            Tensor h = F.layerNorm(input(), model.lnW, model.lnB, 1e-5f);
            Tensor y = F.linear(h, model.wfc, model.bfc).gelu();
            assertTrue(first.contains(h.storage()) || first.contains(y.storage()), "an op output was recycled");
            Tensor z = Tensor.zeros(y.shape());
            assertArrayEquals(new float[z.numel()], z.toArray(), "zeros() is zero-filled even when recycled");
        }
    }

    @Test
    void viewsOfLeavesAndLeafGradientsAreNeverHandedBack() {
        Tensor w = Tensor.randn(RandomStream.root(9), 1f, 6, 8).setRequiresGrad(true);
        float[] before = w.toArray();
        StepMemory memory = new StepMemory();
        try (var s = memory.open()) {
            // reshape and slice are views of w's storage: their nodes own nothing
            w.reshape(8, 6).slice(0, 2, 6).mul(3f).sum().backward();
        }
        float[] grad = w.grad().toArray();
        try (var s = memory.open()) {
            for (int i = 0; i < 20; i++) { // drain the pool and scribble on whatever it hands out
                Tensor t = Tensor.empty(6, 8);
                Engine.backend().fill(t.storage(), 0, t.numel(), 7f);
                assertTrue(t.storage() != w.storage() && t.storage() != w.grad().storage());
            }
        }
        assertArrayEquals(before, w.toArray());
        assertArrayEquals(grad, w.grad().toArray());
    }

    @Test
    void withoutAScopeIntermediatesStayValidAfterBackward() {
        Tensor x = input().setRequiresGrad(true);
        Tensor y = x.gelu();
        float[] values = y.toArray();
        y.sum().backward();
        Tensor other = x.tanh();
        assertArrayEquals(values, y.toArray());
        assertTrue(other.storage() != y.storage());
    }

    @Test
    void scopesDoNotNest() {
        StepMemory memory = new StepMemory();
        try (var s = memory.open()) {
            assertThrows(IllegalStateException.class, memory::open);
            assertThrows(IllegalStateException.class, () -> new StepMemory().open());
        }
        try (var s = memory.open()) {
            assertSame(s.getClass(), StepMemory.Scope.class); // reopening after close works
        }
    }
}
