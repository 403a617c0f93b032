package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.nn.F;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * Forward values of the fused ops against the same function built from primitives (and of the
 * primitives against plain double loops), so a kernel cannot be wrong in the same way in both
 * directions of the gradient check. Tolerance: 1e-5 absolute + 1e-4 relative (float32 of values ≲ 10).
 */
class FusedVsComposedTest {
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-4;

    static Tensor rnd(String label, int... shape) {
        return GradCheckTest.rnd(label, shape);
    }

    static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(Shapes.str(expected.shape()), Shapes.str(actual.shape()));
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], ATOL + RTOL * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void matmulMatchesDoubleLoop() {
        Tensor a = rnd("ma", 2, 17, 33);
        Tensor b = rnd("mb", 33, 3);
        float[] av = a.toArray();
        float[] bv = b.toArray();
        float[] got = a.matmul(b).toArray();
        for (int bt = 0; bt < 2; bt++) {
            for (int i = 0; i < 17; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int k = 0; k < 33; k++) {
                        s += (double) av[(bt * 17 + i) * 33 + k] * bv[k * 3 + j];
                    }
                    assertEquals(s, got[(bt * 17 + i) * 3 + j], 1e-5);
                }
            }
        }
    }

    @Test
    void softmaxMatchesExpOverSum() {
        Tensor x = rnd("sx", 3, 129).mul(4f);
        Tensor e = x.exp();
        assertClose(e.div(e.sum(-1, true)), x.softmax());
        assertClose(e.div(e.sum(-1, true)).log(), x.logSoftmax());
    }

    @Test
    void layerNormMatchesComposition() {
        Tensor x = rnd("lx", 3, 17, 33);
        Tensor w = rnd("lw", 33);
        Tensor b = rnd("lb", 33);
        float eps = 1e-5f;
        Tensor mean = x.mean(-1, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.mul(centered).mean(-1, true);
        Tensor composed = centered.div(var.add(eps).sqrt()).mul(w).add(b);
        assertClose(composed, F.layerNorm(x, w, b, eps));
    }

    @Test
    void rmsNormMatchesComposition() {
        Tensor x = rnd("rx", 17, 129);
        Tensor w = rnd("rw", 129);
        float eps = 1e-6f;
        Tensor composed = x.div(x.mul(x).mean(-1, true).add(eps).sqrt()).mul(w);
        assertClose(composed, F.rmsNorm(x, w, eps));
    }

    /** softmax(q·kᵀ/√HS + mask)·v per head, with heads split by reshape/permute. */
    static Tensor composedAttention(Tensor q, Tensor k, Tensor v, int NH, boolean causal) {
        int B = q.size(0);
        int Tq = q.size(1);
        int Tk = k.size(1);
        int C = q.size(2);
        int HS = C / NH;
        Tensor qh = q.reshape(B, Tq, NH, HS).permute(0, 2, 1, 3);
        Tensor kh = k.reshape(B, Tk, NH, HS).permute(0, 2, 1, 3);
        Tensor vh = v.reshape(B, Tk, NH, HS).permute(0, 2, 1, 3);
        Tensor scores = qh.matmul(kh.transpose(2, 3)).mul((float) (1.0 / Math.sqrt(HS)));
        if (causal) {
            float[] mask = new float[Tq * Tk];
            for (int i = 0; i < Tq; i++) {
                for (int j = 0; j < Tk; j++) {
                    mask[i * Tk + j] = j <= Tk - Tq + i ? 0f : -1e30f;
                }
            }
            scores = scores.add(Tensor.of(mask, Tq, Tk));
        }
        return scores.softmax().matmul(vh).permute(0, 2, 1, 3).reshape(B, Tq, C);
    }

    @Test
    void causalSelfAttentionMatchesComposition() {
        Tensor qkv = rnd("qkv", 2, 17, 18);
        Tensor q = qkv.slice(2, 0, 6);
        Tensor k = qkv.slice(2, 6, 12);
        Tensor v = qkv.slice(2, 12, 18);
        assertClose(composedAttention(q, k, v, 3, true), F.causalSelfAttention(qkv, 3));
    }

    @Test
    void kvCacheAttentionMatchesComposition() {
        Tensor q = rnd("aq", 2, 3, 8);
        Tensor cacheK = rnd("ak", 2, 33, 8);
        Tensor cacheV = rnd("av", 2, 33, 8);
        Tensor k = cacheK.slice(1, 0, 17);
        Tensor v = cacheV.slice(1, 0, 17);
        assertClose(composedAttention(q, k, v, 2, true), F.attention(q, k, v, 2, true));
        assertClose(composedAttention(q, k, v, 4, false), F.attention(q, k, v, 4, false));
    }

    @Test
    void crossEntropyMatchesNegativeLogSoftmax() {
        Tensor z = rnd("cz", 17, 33).mul(3f);
        int[] t = GradCheckTest.targets(17, 33, 5);
        float[] w = GradCheckTest.weights(17);
        float[] ls = z.logSoftmax().toArray();
        float[] losses = F.crossEntropy(z, t, w, -1).toArray();
        double sum = 0;
        double denom = 0;
        for (int n = 0; n < 17; n++) {
            double expected = t[n] == -1 ? 0 : -w[n] * ls[n * 33 + t[n]];
            assertEquals(expected, losses[n], 1e-5);
            sum += expected;
            denom += t[n] == -1 ? 0 : w[n];
        }
        assertEquals(sum / denom, F.crossEntropyMean(z, t, w, -1).item(), 1e-5);
        int[] allIgnored = new int[17];
        java.util.Arrays.fill(allIgnored, -1);
        assertEquals(0f, F.crossEntropyMean(z, allIgnored, null, -1).item());
    }

    @Test
    void linearMatchesMatmulPlusBias() {
        Tensor x = rnd("lx2", 2, 3, 17);
        Tensor w = rnd("lw2", 5, 17);
        Tensor b = rnd("lb2", 5);
        Tensor composed = x.matmul(w.transpose(0, 1).contiguous()).add(b);
        assertClose(composed, F.linear(x, w, b));
    }

    @Test
    void embeddingPicksRows() {
        Tensor table = rnd("et", 5, 3);
        Tensor out = F.embedding(table, new int[] {4, 0, 4, 2}, 2, 2);
        assertEquals(Shapes.str(new int[] {2, 2, 3}), Shapes.str(out.shape()));
        assertClose(Tensor.concat(0, table.slice(0, 4, 5), table.slice(0, 0, 1), table.slice(0, 4, 5),
                table.slice(0, 2, 3)).reshape(2, 2, 3), out);
    }

    @Test
    void dropoutIsReproducibleScaledAndAdvancesTheStream() {
        Tensor x = Tensor.ones(4, 129);
        RandomStream s1 = RandomStream.root(11).child("dropout");
        RandomStream s2 = RandomStream.root(11).child("dropout");
        float[] a = F.dropout(x, 0.25f, s1, true).toArray();
        float[] b = F.dropout(x, 0.25f, s2, true).toArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertEquals(4 * 129, s1.position());
        int kept = 0;
        for (float v : a) {
            if (v != 0f) {
                assertEquals(1f / 0.75f, v, 1e-6);
                kept++;
            }
        }
        // 516 Bernoulli(0.75) draws: mean 387, sd ≈ 9.8; ±6 sd
        assertEquals(387, kept, 60);
        float[] next = F.dropout(x, 0.25f, s1, true).toArray();
        assertEquals(false, java.util.Arrays.equals(a, next), "the second mask must differ");
        assertEquals(x, F.dropout(x, 0.25f, s1, false));
    }

    @Test
    void maxAndSumValues() {
        Tensor x = Tensor.of(new float[] {1, 5, 3, 7, 2, 0}, 2, 3);
        assertEquals("[5.0, 7.0]", java.util.Arrays.toString(x.max(1, false).toArray()));
        assertEquals("[7.0, 5.0, 3.0]", java.util.Arrays.toString(x.max(0, false).toArray()));
        assertEquals("[9.0, 9.0]", java.util.Arrays.toString(x.sum(1, false).toArray()));
        assertEquals(18f, x.sum().item());
        assertEquals(3f, x.mean().item());
    }
}
