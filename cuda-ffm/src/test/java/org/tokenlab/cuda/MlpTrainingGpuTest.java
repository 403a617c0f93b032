package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * A few AdamW steps of a small MLP classifier built from raw Backend kernels
 * (x (N,C) → GELU(x·W1ᵀ + b1) (N,H) → ·W2ᵀ + b2 (N,V) → cross-entropy), on the CPU reference and on
 * the GPU from the same initial weights: the losses must agree to 1e-4 relative at every step.
 */
@Tag("gpu")
class MlpTrainingGpuTest {
    static final int N = 64, C = 32, H = 48, V = 10, STEPS = 8;

    /** The model's state on one backend. */
    static final class Mlp {
        final Backend be;
        final Storage x, w1, b1, w2, b2;
        final Storage[] params, grads, m, v;
        final int[] targets;

        Mlp(Backend be, float[] x, float[] w1, float[] w2, int[] targets) {
            this.be = be;
            this.x = be.upload(x);
            this.w1 = be.upload(w1);
            this.b1 = be.allocate(H);
            this.w2 = be.upload(w2);
            this.b2 = be.allocate(V);
            this.targets = targets;
            params = new Storage[] {this.w1, b1, this.w2, b2};
            grads = new Storage[4];
            m = new Storage[4];
            v = new Storage[4];
            for (int i = 0; i < 4; i++) {
                grads[i] = be.allocate(params[i].size());
                m[i] = be.allocate(params[i].size());
                v[i] = be.allocate(params[i].size());
            }
        }

        /** One training step; returns the mean loss before the update. */
        double step(int step) {
            Storage pre = be.allocate(N * H), h = be.allocate(N * H), logits = be.allocate(N * V);
            // pre = x·W1ᵀ + b1 (bias broadcast over rows), h = GELU(pre), logits = h·W2ᵀ + b2
            be.matmul(1, N, H, C, 1f, x, 0, C, 0, false, w1, 0, C, 0, true, 0f, pre, 0, H, 0);
            be.binary(org.tokenlab.tensor.backend.BinaryOp.ADD, new int[] {N, H}, pre, 0, new int[] {H, 1}, b1, 0,
                    new int[] {0, 1}, pre, 0);
            be.unary(UnaryOp.GELU, 0f, pre, 0, h, 0, N * H);
            be.matmul(1, N, V, H, 1f, h, 0, H, 0, false, w2, 0, H, 0, true, 0f, logits, 0, V, 0);
            be.binary(org.tokenlab.tensor.backend.BinaryOp.ADD, new int[] {N, V}, logits, 0, new int[] {V, 1}, b2, 0,
                    new int[] {0, 1}, logits, 0);
            Storage losses = be.allocate(N), lse = be.allocate(N);
            be.crossEntropy(N, V, logits, 0, targets, null, -1, losses, lse);
            float[] l = new float[N];
            be.download(losses, 0, l, 0, N);
            double mean = 0;
            for (float f : l) {
                mean += f;
            }
            mean /= N;
            // backward: dLosses = 1/N
            for (Storage g : grads) {
                be.fill(g, 0, g.size(), 0f);
            }
            Storage dLosses = be.allocate(N);
            be.fill(dLosses, 0, N, 1f / N);
            Storage dLogits = be.allocate(N * V);
            be.crossEntropyBackward(N, V, logits, 0, targets, null, -1, lse, dLosses, dLogits, 0);
            be.matmul(1, V, H, N, 1f, dLogits, 0, V, 0, true, h, 0, H, 0, false, 1f, grads[2], 0, H, 0); // dW2 = dLogitsᵀ·h
            be.reduce(ReduceOp.SUM, 1, N, V, dLogits, 0, grads[3], 0, null);                                   // db2
            Storage dh = be.allocate(N * H), dPre = be.allocate(N * H);
            be.matmul(1, N, H, V, 1f, dLogits, 0, V, 0, false, w2, 0, H, 0, false, 0f, dh, 0, H, 0);         // dh = dLogits·W2
            be.unaryBackward(UnaryOp.GELU, 0f, pre, 0, h, 0, dh, 0, dPre, 0, N * H);
            be.matmul(1, H, C, N, 1f, dPre, 0, H, 0, true, x, 0, C, 0, false, 1f, grads[0], 0, C, 0);        // dW1 = dPreᵀ·x
            be.reduce(ReduceOp.SUM, 1, N, H, dPre, 0, grads[1], 0, null);                                      // db1
            double norm2 = 0;
            for (Storage g : grads) {
                norm2 += be.sumOfSquares(g, 0, g.size());
            }
            float scale = (float) Math.min(1.0, 1.0 / Math.sqrt(norm2)); // clip the global norm at 1
            for (int i = 0; i < 4; i++) {
                be.adamW(params[i].size(), params[i], grads[i], m[i], v[i], 1e-2f, 0.9f, 0.95f, 1e-8f, 0.01f, step, scale);
            }
            return mean;
        }
    }

    @Test
    void lossesMatchTheCpuStepForStep() {
        try (GpuPair p = new GpuPair(30)) {
            float[] x = p.random(N * C, -1, 1);
            float[] w1 = p.random(H * C, -0.3, 0.3);
            float[] w2 = p.random(V * H, -0.3, 0.3);
            int[] t = new int[N];
            for (int n = 0; n < N; n++) {
                t[n] = p.rnd.nextInt(V);
            }
            Mlp cpu = new Mlp(p.cpu, x, w1, w2, t);
            Mlp gpu = new Mlp(p.gpu, x, w1, w2, t);
            double first = 0, last = 0;
            for (int step = 1; step <= STEPS; step++) {
                double lc = cpu.step(step), lg = gpu.step(step);
                assertEquals(lc, lg, 1e-4 * Math.abs(lc), "loss at step " + step);
                first = step == 1 ? lc : first;
                last = lc;
            }
            assertTrue(last < first, "training should lower the loss: " + first + " -> " + last);
        }
    }
}
