package org.tokenlab.transformer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.tensor.simd.SimdSpecies;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;

/**
 * Pins the exact bits of training without dropout: the SHA-256 of every parameter (in name order, float
 * bits little-endian) after three optimiser steps of small GPTs from a fixed seed, per backend. The
 * expected digests were computed on main at commit 89b6c47, before the training-throughput work
 * (buffer reuse, fused epilogues, attention dropout) touched the step. Long experiment runs are produced
 * with that code, so a speed-up that moves a single bit of a dropout-free run fails here: it would make
 * those runs irreproducible. The SIMD digest must also not depend on the thread count; it does depend on
 * the vector width (row sums and norms reduce lane by lane), so each width has its own pins, and the
 * transformer module's build runs this class a second time with {@code -Dtokenlab.simd.bits=256} so
 * that an AVX-512 machine checks the AVX2 digests too.
 *
 * <p>The shapes cover the kernels' tails and tiles: "aligned" has C and HS multiples of the vector
 * (8 or 16 lanes); "ragged" has C = 36, HS = 12 and T = 72, more than one 64-row attention query
 * block; "rope-rms" is the untied, bias-free RoPE + RMSNorm variant the experiments also use.
 */
class TrainingBitsTest {
    private static final int THREADS = Parallel.get().threads();
    private static final Backend BACKEND = Engine.backend();

    @AfterEach
    void restore() {
        Parallel.setThreads(THREADS);
        Engine.setBackend(BACKEND);
    }

    static GptConfig model(String name) {
        return switch (name) {
            case "aligned" -> GptConfig.standard(64, 64, 2, 4, 64);
            case "ragged" -> GptConfig.standard(37, 72, 2, 3, 36);
            case "rope-rms" -> GptConfig.standard(29, 40, 2, 2, 32).withTiedHead(false)
                    .withPositionsAndNorm(GptConfig.Positions.ROPE, GptConfig.Norm.RMS);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** SHA-256 of all parameters after {@code steps} steps (2 micro-batches of 2 sequences each). */
    static String digestAfter(GptConfig m, int steps) {
        TrainConfig cfg = TrainConfig.defaults(2, steps).withBatch(2, 2)
                .withOptim(3e-3f, 3e-4f, 1, TrainConfig.Schedule.COSINE, 0.1f, 1.0f)
                .withCadence(0, 0, 100).withSeed(7);
        RandomStream r = RandomStream.root(11);
        int[] corpus = new int[4096];
        for (int i = 0; i < corpus.length; i++) {
            corpus[i] = r.nextInt(m.vocabSize());
        }
        Gpt gpt = new Gpt(m, cfg.seed());
        TokenWindows data = new TokenWindows(corpus, cfg.batchSize(), m.blockSize(), r.child("data"), 0);
        new Trainer(gpt, cfg, data, new Batch[0], null, null).run();
        return sha256(gpt.params().all());
    }

    static String sha256(Map<String, Tensor> params) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] w = e.getValue().toArray();
                ByteBuffer bb = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(w);
                md.update(bb.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The pinned digests: model, backend, vector width in bits (SIMD only: the row kernels' reductions
     * sum in lanes, so their bits depend on the species; 0 for scalar), threads, SHA-256. Computed on an
     * AVX-512 Intel Xeon, the 256-bit ones with {@code -Dtokenlab.simd.bits=256}, after session 15 changed the
     * order in which the SIMD row kernels add a vector's lanes (SimdOps.laneSum: a pairwise tree instead of lane
     * order; exp's sums, dot, sum, layer norm); session 14 had changed SIMD attention's softmax (scores unscaled, the scale applied inside exp's multiply-add; O's rows divided by
     * the row sums after P·V instead of P's rows before it); session 13 had changed the SIMD GELU's formula
     * (x·σ(2u) instead of ½x(1 + tanh u)) and the last elements of exp (a masked vector step instead of
     * Math.exp). The 256-bit digests before those were computed
     * on AVX2 (AMD EPYC) and matched the Xeon's 256-bit runs, so the narrowed species gives an AVX2 machine's bits.
     */
    private static final String[][] PINNED = {
            {"aligned", "simd", "256", "1", "f3eda6c2e7d873292da24eaac87214527dcd947d77fadbed34e96846c6eb57f0"},
            {"aligned", "simd", "256", "2", "f3eda6c2e7d873292da24eaac87214527dcd947d77fadbed34e96846c6eb57f0"},
            {"aligned", "simd", "512", "1", "5e5787b3819e4ed20b7f098cb3ae470fb066d05efd4bcd51953255b1a3699680"},
            {"aligned", "simd", "512", "2", "5e5787b3819e4ed20b7f098cb3ae470fb066d05efd4bcd51953255b1a3699680"},
            {"aligned", "scalar", "0", "1", "a5c4d5dd23bebf92db0e1583c8630246f0ecc229b8cba264c7e7653a6a5ac9dc"},
            {"ragged", "simd", "256", "1", "a370759bda4c35042c4179dd9ddf1cf1e6f025b306b7ad89891cba9d4c8ee87d"},
            {"ragged", "simd", "256", "2", "a370759bda4c35042c4179dd9ddf1cf1e6f025b306b7ad89891cba9d4c8ee87d"},
            {"ragged", "simd", "512", "1", "a529ba21b183fa9032452decebd7cd3ffbe0e38780ab62a75f5c5bd57135821f"},
            {"ragged", "simd", "512", "2", "a529ba21b183fa9032452decebd7cd3ffbe0e38780ab62a75f5c5bd57135821f"},
            {"ragged", "scalar", "0", "1", "8630165e54544083712af3bcc7f01962ae02cb1cf3ee78118720454ff818e1e3"},
            {"rope-rms", "simd", "256", "1", "9e1e28d02b99618a0b1e9e7b9c81ae8481f9695b83f12167944cef322fed9a65"},
            {"rope-rms", "simd", "256", "2", "9e1e28d02b99618a0b1e9e7b9c81ae8481f9695b83f12167944cef322fed9a65"},
            {"rope-rms", "simd", "512", "1", "ece49d917dcdfc913c121408b82e1f8cb6e52cd942ae8fc109a1c747084041a6"},
            {"rope-rms", "simd", "512", "2", "ece49d917dcdfc913c121408b82e1f8cb6e52cd942ae8fc109a1c747084041a6"},
            {"rope-rms", "scalar", "0", "1", "d80e7c6f07f243de3903947a42d3db9b857477a35839582b1687c2f982d71efd"},
    };

    /** The rows this JVM can check: scalar always, SIMD those of the species in use. */
    static Stream<Arguments> pinnedForThisSpecies() {
        String bits = Integer.toString(SimdSpecies.F.vectorBitSize());
        return Arrays.stream(PINNED)
                .filter(row -> row[1].equals("scalar") || row[2].equals(bits))
                .map(row -> Arguments.of(row[0], row[1], Integer.parseInt(row[3]), row[4]));
    }

    @ParameterizedTest(name = "{0} on {1} with {2} thread(s)")
    @MethodSource("pinnedForThisSpecies")
    void threeStepsWithoutDropoutKeepTheirBits(String model, String backend, int threads, String expected) {
        Engine.setBackend(Backends.create(backend));
        Parallel.setThreads(threads);
        String got = digestAfter(model(model), 3);
        assertEquals(expected, got, model + " on " + backend + " (" + SimdSpecies.describe() + ") with "
                + threads + " thread(s)");
    }

    @Test
    void everyModelHasSimdDigestsForThisSpecies() {
        String bits = Integer.toString(SimdSpecies.F.vectorBitSize());
        long simdRows = Arrays.stream(PINNED).filter(row -> row[1].equals("simd") && row[2].equals(bits)).count();
        assumeTrue(simdRows > 0, "no SIMD digests pinned for " + bits + "-bit vectors (only 256 and 512)");
        assertEquals(3 * 2, simdRows, "each of the three models, with 1 and 2 threads");
    }
}
