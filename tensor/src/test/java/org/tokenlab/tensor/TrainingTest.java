package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * End to end: small models trained with optimisers written here (plain SGD; AdamW through the backend
 * kernel) reach their targets. Budgets (steps, learning rates) were fixed before the first run.
 */
class TrainingTest {

    /** The XOR-like quadrant task: label 1 iff x·y > 0; 64 points with |x|, |y| ≥ 0.2. */
    record Data(Tensor x, int[] labels) {
    }

    static Data quadrants(RandomStream rng, int n) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float a = (0.2f + 0.8f * rng.nextFloat()) * (rng.nextFloat() < 0.5f ? -1 : 1);
            float b = (0.2f + 0.8f * rng.nextFloat()) * (rng.nextFloat() < 0.5f ? -1 : 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = a * b > 0 ? 1 : 0;
        }
        return new Data(Tensor.of(x, n, 2), y);
    }

    static Tensor param(RandomStream rng, float std, int... shape) {
        return Tensor.randn(rng, std, shape).setRequiresGrad(true);
    }

    static void sgd(List<Tensor> params, float lr) {
        Backend be = Engine.backend();
        for (Tensor p : params) {
            be.axpy(p.numel(), -lr, p.grad().storage(), 0, p.storage(), p.offset());
            p.zeroGrad();
        }
    }

    static float accuracy(Tensor logits, int[] labels) {
        float[] z = logits.toArray();
        int V = logits.size(1);
        int right = 0;
        for (int n = 0; n < labels.length; n++) {
            int best = 0;
            for (int c = 1; c < V; c++) {
                if (z[n * V + c] > z[n * V + best]) {
                    best = c;
                }
            }
            right += best == labels[n] ? 1 : 0;
        }
        return (float) right / labels.length;
    }

    void mlpLearnsQuadrants(UnaryOperator<Tensor> act) {
        RandomStream rng = RandomStream.root(2024);
        Data d = quadrants(rng.child("data"), 64);
        RandomStream init = rng.child("init");
        Tensor w1 = param(init, 0.7f, 32, 2);
        Tensor b1 = Tensor.zeros(32).setRequiresGrad(true);
        Tensor w2 = param(init, 0.2f, 2, 32);
        Tensor b2 = Tensor.zeros(2).setRequiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);
        for (int step = 0; step < 1500; step++) {
            Tensor logits = F.linear(act.apply(F.linear(d.x(), w1, b1)), w2, b2);
            F.crossEntropyMean(logits, d.labels(), null, -1).backward();
            sgd(params, 0.5f);
        }
        try (var ng = Engine.noGrad()) {
            Tensor logits = F.linear(act.apply(F.linear(d.x(), w1, b1)), w2, b2);
            assertEquals(1f, accuracy(logits, d.labels()), "training accuracy");
        }
    }

    @Test
    void mlpWithGeluLearnsXorLikeTask() {
        mlpLearnsQuadrants(Tensor::gelu);
    }

    @Test
    void mlpWithReluLearnsXorLikeTask() {
        mlpLearnsQuadrants(Tensor::relu);
    }

    /** One AdamW step per parameter through the backend kernel; m and v live in the lists. */
    static void adamW(List<Tensor> params, List<Tensor> m, List<Tensor> v, int step, float lr) {
        Backend be = Engine.backend();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            be.adamW(p.numel(), p.storage(), p.grad().storage(), m.get(i).storage(), v.get(i).storage(),
                    lr, 0.9f, 0.999f, 1e-8f, 0f, step, 1f);
            p.zeroGrad();
        }
    }

    /** Token + position embedding, one causal attention layer with a residual, a linear head. */
    static final class TinyAttention {
        final int V = 7;
        final int T = 12;
        final int C = 16;
        final int NH = 2;
        final Tensor wte;
        final Tensor wpe;
        final Tensor wQkv;
        final Tensor wHead;

        TinyAttention(RandomStream rng) {
            wte = param(rng, 0.3f, V, C);
            wpe = param(rng, 0.3f, T, C);
            wQkv = param(rng, 0.3f, 3 * C, C);
            wHead = param(rng, 0.3f, V, C);
        }

        List<Tensor> params() {
            return List.of(wte, wpe, wQkv, wHead);
        }

        Tensor logits(int[] tokens) {
            int[] pos = new int[T];
            for (int t = 0; t < T; t++) {
                pos[t] = t;
            }
            Tensor h = F.embedding(wte, tokens, 1, T).add(F.embedding(wpe, pos, 1, T));
            Tensor att = F.causalSelfAttention(F.linear(h, wQkv, null), NH);
            return F.linear(h.add(att), wHead, null).reshape(T, V);
        }
    }

    @Test
    void tinyAttentionModelMemorisesASequence() {
        int[] seq = {3, 1, 4, 1, 5, 6, 2, 6, 5, 3, 5, 0, 2};
        int[] input = java.util.Arrays.copyOfRange(seq, 0, 12);
        int[] target = java.util.Arrays.copyOfRange(seq, 1, 13);
        TinyAttention model = new TinyAttention(RandomStream.root(7).child("init"));
        List<Tensor> params = model.params();
        List<Tensor> m = params.stream().map(p -> Tensor.zeros(p.shape())).toList();
        List<Tensor> v = params.stream().map(p -> Tensor.zeros(p.shape())).toList();
        float loss = Float.NaN;
        for (int step = 1; step <= 400; step++) {
            Tensor l = F.crossEntropyMean(model.logits(input), target, null, -1);
            loss = l.item();
            l.backward();
            adamW(params, m, v, step, 0.02f);
        }
        assertTrue(loss < 0.01f, "final loss " + loss);
    }
}
