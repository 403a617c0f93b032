package org.tokenlab.experiments.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;
import org.tokenlab.transformer.train.TokenWindows;
import org.tokenlab.transformer.train.Trainer;

/**
 * The GPT of transformer/ trains on the CUDA backend (found through ServiceLoader, as in a real run) and
 * its per-step losses match the CPU backend's within tolerance. It lives here because cuda-ffm may import
 * only tensor; experiments has cuda-ffm on its runtime class path. Skipped, with the reason, without CUDA.
 */
@Tag("gpu")
class GptOnCudaGpuTest {
    private static final int STEPS = 8;
    private final Backend before = Engine.backend();

    @AfterEach
    void restore() {
        Engine.setBackend(before);
    }

    @Test
    void smallGptTrainingStepsMatchTheCpu() {
        compareLosses(0f);
    }

    /** With dropout (attention probabilities, residuals, embeddings) both backends draw the same masks. */
    @Test
    void withDropoutTheStepsStillMatchTheCpu() {
        compareLosses(0.1f);
    }

    /**
     * TF32 tensor cores (--matmul tf32) round the GEMMs' inputs to 10-bit mantissas: the losses follow the
     * fp32 CPU run within 1 % (a tolerance fixed before the first GPU run of this test).
     */
    @Test
    void tf32TrainingStaysCloseToFp32() {
        String device = System.getProperty("tokenlab.gpuTests.backend", "cuda");
        assumeTrue(device.equals("cuda"), "TF32 exists on the cuda backend only");
        BackendProvider.Availability cuda = Backends.providers().stream().filter(p -> p.name().equals(device))
                .findFirst().map(BackendProvider::availability)
                .orElse(BackendProvider.Availability.no("no " + device + " provider on the class path"));
        assumeTrue(cuda.available(), cuda.detail());
        double[] cpu = losses(Backends.create("simd"), 0f);
        Backend gpu = Backends.create(device);
        gpu.setMatmulPrecision(MatmulPrecision.TF32);
        double[] tf32 = losses(gpu, 0f);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(cpu[s], tf32[s], 1e-2 * Math.abs(cpu[s]), "loss at step " + (s + 1) + " with TF32");
        }
    }

    private static void compareLosses(float dropout) {
        // -Dtokenlab.gpuTests.backend=scalar dry-runs this test's logic on a CPU backend (as in cuda-ffm's tests).
        String device = System.getProperty("tokenlab.gpuTests.backend", "cuda");
        BackendProvider.Availability cuda = Backends.providers().stream().filter(p -> p.name().equals(device))
                .findFirst().map(BackendProvider::availability)
                .orElse(BackendProvider.Availability.no("no " + device + " provider on the class path"));
        assumeTrue(cuda.available(), cuda.detail());

        double[] cpu = losses(Backends.create("simd"), dropout);
        double[] gpu = losses(Backends.create(device), dropout);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(cpu[s], gpu[s], 2e-3 * Math.abs(cpu[s]), "loss at step " + (s + 1) + ", dropout " + dropout);
        }
        assertTrue(cpu[STEPS - 1] < cpu[0], "training should lower the loss");
    }

    /** Per-step training losses of a small standard GPT on a learnable token pattern. */
    private static double[] losses(Backend backend, float dropout) {
        Engine.setBackend(backend);
        GptConfig model = GptConfig.standard(64, 64, 2, 4, 64).withDropout(dropout);
        int[] tokens = new int[20_000];
        RandomStream r = RandomStream.root(11);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextFloat() < 0.8f ? (i * 7) % 64 : r.nextInt(64);
        }
        TrainConfig cfg = TrainConfig.defaults(8, STEPS)
                .withOptim(3e-3f, 3e-3f, 0, TrainConfig.Schedule.CONSTANT, 0.1f, 1.0f)
                .withCadence(0, 0, 1_000_000);
        Gpt gpt = new Gpt(model, 5);
        Trainer trainer = new Trainer(gpt, cfg, new TokenWindows(tokens, 8, 64, RandomStream.root(6), 0),
                new org.tokenlab.transformer.train.Batch[0], null, null);
        double[] out = new double[STEPS];
        for (int s = 0; s < STEPS; s++) {
            trainer.runUntil(s + 1);
            out[s] = trainer.lastLoss();
        }
        return out;
    }
}
