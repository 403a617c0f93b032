package org.tokenlab.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Row kernels of a GPT step, SimdBackend vs ScalarBackend at 1 and 2 threads. The {@code flop}
 * counter of each benchmark counts: softmax and layer norm, bytes moved (one read of x, one write of
 * y: 8 bytes per element), so it reads as B/s; attention, the floating-point operations of its two
 * products (2·2·B·NH·HS·Σ_i visible(i)), so it reads as FLOP/s; the attention backward, those of its
 * five products (2.5 times the forward's: the recomputed scores, dV, dP, dQ, dK).
 *
 * <p>Sizes: softmax over (B·T, V) = (256, 4096); layer norm (B·T, C) = (2048, 768); causal attention
 * at the {@code medium} training preset's shape, B = 8, NH = 8, T = 256, HS = 32.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsPrepend = {JvmFlags.ADD_MODULES, JvmFlags.NATIVE, JvmFlags.NO_OOB})
public class KernelBenchmark {
    static final int SM_ROWS = 256, SM_COLS = 4096;
    static final int LN_N = 2048, LN_C = 768;
    static final int B = 8, NH = 8, T = 256, HS = 32, C = NH * HS;

    @Param({"simd", "scalar"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private HeapStorage smX, smY, lnX, lnW, lnB, lnY, lnMean, lnRstd, qkv, attOut, lse, dOut, dQkv;
    private AttentionShape att;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.create(impl);
        SplittableRandom r = new SplittableRandom(234);
        smX = new HeapStorage(GemmBenchmark.random(r, SM_ROWS * SM_COLS));
        smY = new HeapStorage(SM_ROWS * SM_COLS);
        lnX = new HeapStorage(GemmBenchmark.random(r, LN_N * LN_C));
        lnW = new HeapStorage(GemmBenchmark.random(r, LN_C));
        lnB = new HeapStorage(GemmBenchmark.random(r, LN_C));
        lnY = new HeapStorage(LN_N * LN_C);
        lnMean = new HeapStorage(LN_N);
        lnRstd = new HeapStorage(LN_N);
        qkv = new HeapStorage(GemmBenchmark.random(r, B * T * 3 * C)); // fused (B, T, 3C) as in the model
        attOut = new HeapStorage(B * T * C);
        lse = new HeapStorage(B * NH * T);
        dOut = new HeapStorage(GemmBenchmark.random(r, B * T * C));
        dQkv = new HeapStorage(B * T * 3 * C);
        att = new AttentionShape(B, NH, T, T, HS, (float) (1 / Math.sqrt(HS)), true);
        backend.attention(att, q(qkv), k(qkv), v(qkv), new Strided(attOut, 0, T * C, C), lse); // for the backward
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallel.setThreads(Parallel.defaultThreads());
    }

    @Benchmark
    public Object softmax(FlopCounter bytes) {
        backend.softmax(SM_ROWS, SM_COLS, smX, 0, smY, 0, false);
        bytes.flop += 8L * SM_ROWS * SM_COLS;
        return smY;
    }

    @Benchmark
    public Object layerNorm(FlopCounter bytes) {
        backend.layerNorm(LN_N, LN_C, 1e-5f, lnX, 0, lnW, lnB, lnY, 0, lnMean, lnRstd);
        bytes.flop += 8L * LN_N * LN_C;
        return lnY;
    }

    @Benchmark
    public Object attention(FlopCounter flops) {
        backend.attention(att, q(qkv), k(qkv), v(qkv), new Strided(attOut, 0, T * C, C), lse);
        flops.flop += forwardFlops();
        return attOut;
    }

    /** The backward of the forward above (out and lse from setUp's forward call). */
    @Benchmark
    public Object attentionBackward(FlopCounter flops) {
        backend.attentionBackward(att, q(qkv), k(qkv), v(qkv), new Strided(attOut, 0, T * C, C), lse,
                new Strided(dOut, 0, T * C, C), q(dQkv), k(dQkv), v(dQkv));
        flops.flop += forwardFlops() * 5 / 2;
        return dQkv;
    }

    // q, k, v of the fused (B, T, 3C) buffer
    private static Strided q(HeapStorage fused) {
        return new Strided(fused, 0, T * 3 * C, 3 * C);
    }

    private static Strided k(HeapStorage fused) {
        return new Strided(fused, C, T * 3 * C, 3 * C);
    }

    private static Strided v(HeapStorage fused) {
        return new Strided(fused, 2 * C, T * 3 * C, 3 * C);
    }

    private static long forwardFlops() {
        return 4L * B * NH * HS * ((long) T * (T + 1) / 2);
    }
}
