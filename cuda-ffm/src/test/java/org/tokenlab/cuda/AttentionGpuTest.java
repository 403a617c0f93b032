package org.tokenlab.cuda;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Strided;

/**
 * Attention forward and backward against ScalarBackend, with q, k, v inside one fused (B,T,3C)
 * buffer (as the GPT's QKV projection writes them) and with a KV-cache-like Tq < Tk; head sizes 8–64
 * run the tiled kernels (attention_tiled.cu, padded to 32 or 64), 80 the untiled ones (attention.cu); with
 * and without dropout on the probabilities. Tolerance
 * 1e-4 relative + 1e-5 absolute (different dot-product and softmax summation orders).
 */
@Tag("gpu")
class AttentionGpuTest {
    private static void check(GpuPair p, int B, int NH, int Tq, int Tk, int HS, boolean causal) {
        check(p, B, NH, Tq, Tk, HS, causal, 0f);
    }

    private static void check(GpuPair p, int B, int NH, int Tq, int Tk, int HS, boolean causal, float dropout) {
        int C = NH * HS;
        String what = "B=" + B + " NH=" + NH + " Tq=" + Tq + " Tk=" + Tk + " HS=" + HS + " causal=" + causal
                + " dropout=" + dropout;
        AttentionShape s = new AttentionShape(B, NH, Tq, Tk, HS, (float) (1 / Math.sqrt(HS)), causal, dropout,
                0x5EED_0000_0000_0007L ^ Tq, 12_345L * HS);
        // q rows live in a (B,Tq,C) buffer; k and v interleaved in one (B,Tk,2C) buffer
        GpuPair.Both q = p.up(p.random(B * Tq * C, -1, 1));
        GpuPair.Both kv = p.up(p.random(B * Tk * 2 * C, -1, 1));
        GpuPair.Both out = p.zeros(B * Tq * C), lse = p.zeros(B * NH * Tq);
        GpuPair.Both dOut = p.up(p.random(B * Tq * C, -1, 1));
        GpuPair.Both dq = p.zeros(B * Tq * C), dkv = p.up(p.random(B * Tk * 2 * C, -0.1, 0.1));
        for (boolean gpu : new boolean[] {false, true}) {
            var be = gpu ? p.gpu : p.cpu;
            Strided sq = new Strided(gpu ? q.g() : q.c(), 0, Tq * C, C);
            Strided sk = new Strided(gpu ? kv.g() : kv.c(), 0, Tk * 2 * C, 2 * C);
            Strided sv = new Strided(gpu ? kv.g() : kv.c(), C, Tk * 2 * C, 2 * C);
            Strided so = new Strided(gpu ? out.g() : out.c(), 0, Tq * C, C);
            Strided sdo = new Strided(gpu ? dOut.g() : dOut.c(), 0, Tq * C, C);
            Strided sdq = new Strided(gpu ? dq.g() : dq.c(), 0, Tq * C, C);
            Strided sdk = new Strided(gpu ? dkv.g() : dkv.c(), 0, Tk * 2 * C, 2 * C);
            Strided sdv = new Strided(gpu ? dkv.g() : dkv.c(), C, Tk * 2 * C, 2 * C);
            be.attention(s, sq, sk, sv, so, gpu ? lse.g() : lse.c());
            be.attentionBackward(s, sq, sk, sv, so, gpu ? lse.g() : lse.c(), sdo, sdq, sdk, sdv);
        }
        p.assertClose("attention out " + what, out, 1e-4, 1e-5);
        p.assertClose("attention lse " + what, lse, 1e-5, 1e-5);
        p.assertClose("attention dQ " + what, dq, 1e-4, 1e-5);
        p.assertClose("attention dK,dV " + what, dkv, 1e-4, 1e-5);
    }

    @Test
    void causalSelfAttention() {
        try (GpuPair p = new GpuPair(11)) {
            check(p, 2, 3, 37, 37, 16, true);
            check(p, 1, 2, 200, 200, 64, true);
            check(p, 2, 2, 256, 256, 32, true);  // the medium preset's head: four tiles of 64 rows
            check(p, 1, 2, 70, 70, 80, true);    // a head above 64: the untiled kernels
        }
    }

    @Test
    void fullAttentionAndQueriesBehindACache() {
        try (GpuPair p = new GpuPair(12)) {
            check(p, 2, 2, 19, 19, 8, false);
            check(p, 2, 2, 5, 23, 32, true); // the last 5 positions of 23 (KV cache)
        }
    }

    /** Attention dropout: the kernels draw ScalarBackend's mask (AttentionShape.dropKeep), so the results agree. */
    @Test
    void dropoutOnTheProbabilities() {
        try (GpuPair p = new GpuPair(13)) {
            check(p, 2, 3, 37, 37, 16, true, 0.1f);
            check(p, 2, 2, 256, 256, 32, true, 0.2f);
            check(p, 1, 2, 130, 130, 64, true, 0.5f);
            check(p, 1, 2, 70, 70, 80, true, 0.2f);   // untiled
            check(p, 2, 2, 5, 23, 32, true, 0.3f);    // Tq < Tk
            check(p, 2, 2, 19, 19, 8, false, 0.3f);   // full attention
        }
    }
}
