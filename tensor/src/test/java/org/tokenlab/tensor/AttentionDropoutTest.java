package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Dropout on the attention probabilities (F.causalSelfAttention with p &gt; 0): forward and gradients
 * against the same function composed from primitives with the mask applied explicitly
 * ({@code (softmax(q·kᵀ/√HS + causal) ⊙ M)·v}, M from {@link AttentionShape#dropKeep}); the mask's
 * statistics and reproducibility; and p = 0 being bitwise the operation without dropout. The finite-
 * difference check of the fused backward is in {@link GradCheckTest}. Tolerances as
 * {@link FusedVsComposedTest} (1e-5 absolute + 1e-4 relative).
 */
class AttentionDropoutTest {
    private static final int B = 2, T = 17, NH = 3, HS = 4, C = NH * HS;

    /** The mask (B, NH, T, T) the kernel draws for this stream position. */
    static Tensor mask(float p, RandomStream stream) {
        AttentionShape s = new AttentionShape(B, NH, T, T, HS, 1f, true, p, stream.key(), stream.position());
        float[] m = new float[B * NH * T * T];
        for (int bh = 0; bh < B * NH; bh++) {
            for (int i = 0; i < T; i++) {
                for (int j = 0; j < T; j++) {
                    m[(bh * T + i) * T + j] = s.dropKeep(bh, i, j);
                }
            }
        }
        return Tensor.of(m, B, NH, T, T);
    }

    // qkv (B,T,3C) -> (B,T,C), composed from matmul, softmax and an explicit mask multiply
    static Tensor composed(Tensor qkv, Tensor mask) {
        Tensor qh = qkv.slice(2, 0, C).reshape(B, T, NH, HS).permute(0, 2, 1, 3);
        Tensor kh = qkv.slice(2, C, 2 * C).reshape(B, T, NH, HS).permute(0, 2, 1, 3);
        Tensor vh = qkv.slice(2, 2 * C, 3 * C).reshape(B, T, NH, HS).permute(0, 2, 1, 3);
        float[] causal = new float[T * T];
        for (int i = 0; i < T; i++) {
            for (int j = i + 1; j < T; j++) {
                causal[i * T + j] = -1e30f;
            }
        }
        Tensor scores = qh.matmul(kh.transpose(2, 3)).mul((float) (1.0 / Math.sqrt(HS))).add(Tensor.of(causal, T, T));
        return scores.softmax().mul(mask).matmul(vh).permute(0, 2, 1, 3).reshape(B, T, C);
    }

    static Tensor qkv() {
        return GradCheckTest.rnd("attn-drop", B, T, 3 * C).mul(2f).detach();
    }

    @Test
    void forwardAndGradientsMatchTheComposition() {
        RandomStream stream = RandomStream.root(21).child("attn");
        stream.advance(1000); // a stream part-way through a run
        Tensor m = mask(0.25f, stream);
        Tensor r = GradCheckTest.rnd("attn-drop-proj", B, T, C).detach();

        Tensor x1 = qkv().setRequiresGrad(true);
        Tensor fused = F.causalSelfAttention(x1, NH, 0.25f, stream, true);
        fused.mul(r).sum().backward();
        Tensor x2 = qkv().setRequiresGrad(true);
        Tensor comp = composed(x2, m);
        comp.mul(r).sum().backward();

        FusedVsComposedTest.assertClose(comp.detach(), fused.detach());
        FusedVsComposedTest.assertClose(x2.grad(), x1.grad());
        assertEquals(1000 + (long) B * NH * T * T, stream.position(), "the stream advances by B·NH·T·T");
    }

    @Test
    void maskKeepsAboutOneMinusPScaledAndIsReproducible() {
        float p = 0.25f;
        float[] m = mask(p, RandomStream.root(5).child("a")).toArray();
        assertArrayEquals(m, mask(p, RandomStream.root(5).child("a")).toArray());
        int kept = 0;
        for (float v : m) {
            if (v != 0f) {
                assertEquals(1f / (1f - p), v, 0f);
                kept++;
            }
        }
        // 1734 Bernoulli(0.75) draws: mean 1300.5, sd ≈ 18; ±6 sd
        assertEquals(1300.5, kept, 108);
        Tensor x = qkv();
        RandomStream s = RandomStream.root(5).child("a");
        float[] first = F.causalSelfAttention(x, NH, p, s, true).toArray();
        float[] second = F.causalSelfAttention(x, NH, p, s, true).toArray();
        assertEquals(false, java.util.Arrays.equals(first, second), "the next call draws a fresh mask");
    }

    @Test
    void noDropoutIsBitwiseThePlainOperation() {
        Tensor x = qkv();
        float[] plain = F.causalSelfAttention(x, NH).toArray();
        RandomStream s = RandomStream.root(5).child("b");
        assertArrayEquals(plain, F.causalSelfAttention(x, NH, 0f, s, true).toArray());
        assertArrayEquals(plain, F.causalSelfAttention(x, NH, 0.5f, s, false).toArray());
        assertEquals(0, s.position(), "no draw without dropout");
    }

    @Test
    void badProbabilityIsRefused() {
        Tensor x = qkv();
        RandomStream s = RandomStream.root(5);
        assertThrows(IllegalArgumentException.class, () -> F.causalSelfAttention(x, NH, 1f, s, true));
        assertThrows(IllegalArgumentException.class, () -> F.causalSelfAttention(x, NH, -0.1f, s, true));
    }
}
