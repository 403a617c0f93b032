package org.tokenlab.tensor.simd;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;

/**
 * Fused attention against the reference: causal and not, Tq = Tk and Tq &lt; Tk (a KV cache), q/k/v
 * inside one fused (B, T, 3C) buffer, with and without dropout on the probabilities. Scores are float
 * dot products of HS terms on the SIMD side and double on the reference side; tolerance 1e-5 absolute
 * + 1e-4 relative on values of order 1.
 */
class SimdAttentionTest {
    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();
    private final Backend ref = Backends.create("scalar");

    private void check(int B, int NH, int Tq, int Tk, int HS, boolean causal) {
        check(B, NH, Tq, Tk, HS, causal, 0f);
    }

    private void check(int B, int NH, int Tq, int Tk, int HS, boolean causal, float dropout) {
        int C = NH * HS;
        AttentionShape s = new AttentionShape(B, NH, Tq, Tk, HS, (float) (1 / Math.sqrt(HS)), causal, dropout, 99L, 5L);
        // k and v live in one fused (B, Tk, 2C) buffer; q, out, dOut are plain (B, Tq, C) + an offset
        float[] kv = t.uniform(B * Tk * 2 * C, -2, 2), q = t.uniform(B * Tq * C + 1, -2, 2);
        float[] dOut = t.uniform(B * Tq * C, -1, 1);
        HeapStorage kvs = new HeapStorage(kv), qs = new HeapStorage(q);
        Strided qv = new Strided(qs, 1, Tq * C, C);
        Strided kView = new Strided(kvs, 0, Tk * 2 * C, 2 * C), vView = new Strided(kvs, C, Tk * 2 * C, 2 * C);
        HeapStorage o1 = new HeapStorage(B * Tq * C), o2 = new HeapStorage(B * Tq * C);
        HeapStorage l1 = new HeapStorage(B * NH * Tq), l2 = new HeapStorage(B * NH * Tq);
        Strided out1 = new Strided(o1, 0, Tq * C, C), out2 = new Strided(o2, 0, Tq * C, C);
        simd.attention(s, qv, kView, vView, out1, l1);
        ref.attention(s, qv, kView, vView, out2, l2);
        String what = "attention B=" + B + " NH=" + NH + " Tq=" + Tq + " Tk=" + Tk + " HS=" + HS + " causal=" + causal
                + " dropout=" + dropout;
        t.assertClose(what + " out", o2.data, o1.data, 1e-5, 1e-4);
        t.assertClose(what + " lse", l2.data, l1.data, 1e-5, 1e-5);

        float[] dq0 = t.uniform(B * Tq * C, -1, 1), dkv0 = t.uniform(B * Tk * 2 * C, -1, 1);
        HeapStorage dq1 = new HeapStorage(dq0.clone()), dq2 = new HeapStorage(dq0.clone());
        HeapStorage dkv1 = new HeapStorage(dkv0.clone()), dkv2 = new HeapStorage(dkv0.clone());
        Strided g = new Strided(new HeapStorage(dOut), 0, Tq * C, C);
        simd.attentionBackward(s, qv, kView, vView, out2, l2, g, new Strided(dq1, 0, Tq * C, C),
                new Strided(dkv1, 0, Tk * 2 * C, 2 * C), new Strided(dkv1, C, Tk * 2 * C, 2 * C));
        ref.attentionBackward(s, qv, kView, vView, out2, l2, g, new Strided(dq2, 0, Tq * C, C),
                new Strided(dkv2, 0, Tk * 2 * C, 2 * C), new Strided(dkv2, C, Tk * 2 * C, 2 * C));
        t.assertClose(what + " dQ", dq2.data, dq1.data, 1e-5, 1e-4);
        t.assertClose(what + " dK, dV", dkv2.data, dkv1.data, 1e-5, 1e-4);
        if (Tq == Tk) {
            storeEqualsFillThenAdd(what, s, qv, kView, vView, out2, l2, g);
        }
    }

    /**
     * attentionBackwardStore into one fused (B, T, 3C) gradient buffer holding NaN gives the bits of
     * attentionBackward into the same buffer zero-filled, on both backends.
     */
    private void storeEqualsFillThenAdd(String what, AttentionShape s, Strided q, Strided k, Strided v, Strided out,
                                        HeapStorage lse, Strided g) {
        int C = s.NH() * s.HS(), n = s.B() * s.Tq() * 3 * C, batch = s.Tq() * 3 * C;
        for (Backend be : new Backend[] {simd, ref}) {
            HeapStorage added = new HeapStorage(n), stored = new HeapStorage(n);
            java.util.Arrays.fill(stored.data, Float.NaN);
            be.attentionBackward(s, q, k, v, out, lse, g, new Strided(added, 0, batch, 3 * C),
                    new Strided(added, C, batch, 3 * C), new Strided(added, 2 * C, batch, 3 * C));
            be.attentionBackwardStore(s, q, k, v, out, lse, g, new Strided(stored, 0, batch, 3 * C),
                    new Strided(stored, C, batch, 3 * C), new Strided(stored, 2 * C, batch, 3 * C), stored, 0, n);
            t.assertBitwise(be.name() + " " + what + " attentionBackwardStore", added.data, stored.data);
        }
    }

    @Test
    void causalSelfAttention() {
        check(2, 3, 17, 17, 8, true);
        check(1, 2, 33, 33, 33, true);
        check(1, 1, 1, 1, 3, true);
        check(1, 2, 150, 150, 16, true); // several query blocks of SimdAttention.QB rows
    }

    @Test
    void kvCacheQueriesSeeEarlierKeys() {
        check(2, 2, 5, 33, 16, true);
        check(1, 3, 1, 129, 17, true); // one decode step against a long cache
        check(1, 2, 70, 100, 8, true);  // a prefill chunk after 30 cached positions, two query blocks
    }

    @Test
    void dropoutOnTheProbabilities() {
        check(2, 3, 17, 17, 8, true, 0.3f);
        check(1, 2, 150, 150, 16, true, 0.1f); // several query blocks
        check(1, 2, 70, 100, 8, true, 0.5f);   // Tq < Tk
        check(2, 2, 17, 17, 16, false, 0.2f);
    }

    @Test
    void nonCausal() {
        check(2, 2, 17, 17, 16, false);
        check(1, 2, 3, 17, 8, false);
    }
}
