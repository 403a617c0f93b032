package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Same seed, same weights, bit for bit, whatever the thread count. Written against
 * {@link Engine#backend()} so it covers whichever backend is current; the sizes are large enough that
 * a parallel backend actually splits the work (above {@link Parallel#MIN_PARALLEL_WORK}).
 */
class DeterminismTest {
    private final int savedThreads = Parallel.get().threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Five SGD steps of a 2-layer MLP with layer norm, attention and dropout; returns all weights. */
    static List<float[]> train() {
        RandomStream rng = RandomStream.root(31);
        int B = 2;
        int T = 32;
        int C = 64;
        int V = 33;
        Tensor wte = Tensor.randn(rng.child("wte"), 0.1f, V, C).setRequiresGrad(true);
        Tensor wQkv = Tensor.randn(rng.child("qkv"), 0.1f, 3 * C, C).setRequiresGrad(true);
        Tensor lnW = Tensor.ones(C).setRequiresGrad(true);
        Tensor lnB = Tensor.zeros(C).setRequiresGrad(true);
        Tensor w1 = Tensor.randn(rng.child("w1"), 0.1f, 129, C).setRequiresGrad(true);
        Tensor w2 = Tensor.randn(rng.child("w2"), 0.1f, V, 129).setRequiresGrad(true);
        List<Tensor> params = List.of(wte, wQkv, lnW, lnB, w1, w2);
        RandomStream data = rng.child("data");
        RandomStream drop = rng.child("dropout");
        for (int step = 0; step < 5; step++) {
            int[] tokens = new int[B * T];
            int[] targets = new int[B * T];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = data.nextInt(V);
                targets[i] = data.nextInt(V);
            }
            Tensor h = F.embedding(wte, tokens, B, T);
            h = h.add(F.causalSelfAttention(F.linear(h, wQkv, null), 4));
            h = F.layerNorm(h, lnW, lnB, 1e-5f);
            h = F.dropout(F.linear(h, w1, null).gelu(), 0.1f, drop, true);
            Tensor logits = F.linear(h, w2, null).reshape(B * T, V).softmax().add(1e-3f).log();
            logits.mul(-1f).mean().add(F.crossEntropyMean(logits, targets, null, -1)).backward();
            for (Tensor p : params) {
                Engine.backend().axpy(p.numel(), -0.1f, p.grad().storage(), 0, p.storage(), 0);
                p.zeroGrad();
            }
        }
        List<float[]> out = new ArrayList<>();
        for (Tensor p : params) {
            out.add(p.toArray());
        }
        return out;
    }

    @Test
    void weightsAreBitwiseIdenticalFor1And2And3Threads() {
        Parallel.setThreads(1);
        List<float[]> one = train();
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            List<float[]> other = train();
            assertEquals(one.size(), other.size());
            for (int i = 0; i < one.size(); i++) {
                // assertArrayEquals on float[] compares bit patterns (floatToIntBits)
                assertArrayEquals(one.get(i), other.get(i), "parameter " + i + " with " + threads + " threads");
            }
        }
    }
}
