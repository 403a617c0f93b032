package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * The GEMM's exact arithmetic is frozen: experiments' long runs were produced with it and must stay
 * reproducible, so a faster packing, blocking or micro-kernel may not change a single bit of C.
 *
 * <p>Two checks. {@link #matchesTheSummationOrderModel} compares C bitwise with a scalar model of the
 * order every element is summed in (k in slabs of {@link SimdGemm#KC}, each slab a chain of fused
 * multiply-adds from zero over {@code (alpha·A(i,k))·B(k,j)} in k order, the slab sums added one by one
 * to {@code beta·C}). {@link #pinnedBitsOfFixedProducts} pins a hash of the float bits of C for fixed
 * inputs at the benchmark and transformer shapes; the hashes were computed with main at 89b6c47, before
 * any change to the kernel (256-bit species, FMA on; the model test shows the lane count does not matter,
 * and these hashes are the same with {@code -Dtokenlab.simd.bits=128}).
 */
class SimdGemmBitsTest {
    private final SimdBackend simd = new SimdBackend();
    private final int defaultThreads = Parallel.get().threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(defaultThreads);
    }

    /** A product and the seed of its inputs. */
    private record Case(GemmProblem p, long seed) {
        Case(int batch, int M, int N, int K, boolean tA, boolean tB, float alpha, float beta, int pad, long seed) {
            this(new GemmProblem(batch, M, N, K, tA, tB, alpha, beta, pad), seed);
        }
    }

    /** The operands of one case: A at offset 3, B at 5, C at 7 (so no array starts at an aligned index). */
    private record Operands(float[] a, float[] b, float[] c) {
        static Operands of(Case cs) {
            GemmProblem p = cs.p();
            SplittableRandom r = new SplittableRandom(cs.seed());
            return new Operands(uniform(r, 3 + p.batch() * p.sizeA()), uniform(r, 5 + p.batch() * p.sizeB()),
                    uniform(r, 7 + p.batch() * p.sizeC()));
        }
    }

    private static float[] uniform(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    private float[] simd(GemmProblem p, Operands o) {
        HeapStorage c = new HeapStorage(o.c.clone());
        simd.matmul(p.batch(), p.M(), p.N(), p.K(), p.alpha(), new HeapStorage(o.a), 3, p.lda(), p.sizeA(), p.tA(),
                new HeapStorage(o.b), 5, p.ldb(), p.sizeB(), p.tB(), p.beta(), c, 7, p.ldc(), p.sizeC());
        return c.data;
    }

    /**
     * The summation order of SimdGemm, one element at a time: {@code C = beta·C} (beta = 0 writes 0, beta = 1
     * leaves C), then for each KC slab {@code C += s} with {@code s = fma(alpha·A(i,k), B(k,j), s)} from s = 0
     * over the slab's k in order (with FMA off: {@code s = (alpha·A)·B + s}).
     */
    private static float[] model(GemmProblem p, Operands o) {
        float[] a = o.a, b = o.b, c = o.c.clone();
        for (int bt = 0; bt < p.batch(); bt++) {
            int ao = 3 + bt * p.sizeA(), bo = 5 + bt * p.sizeB(), co = 7 + bt * p.sizeC();
            for (int i = 0; i < p.M(); i++) {
                for (int j = 0; j < p.N(); j++) {
                    int ci = co + i * p.ldc() + j;
                    float acc = p.beta() == 0f ? 0f : p.beta() == 1f ? c[ci] : c[ci] * p.beta();
                    for (int pc = 0; p.alpha() != 0f && pc < p.K(); pc += SimdGemm.KC) {
                        float s = 0f;
                        for (int k = pc; k < Math.min(p.K(), pc + SimdGemm.KC); k++) {
                            float av = p.alpha() * (p.tA() ? a[ao + k * p.lda() + i] : a[ao + i * p.lda() + k]);
                            float bv = p.tB() ? b[bo + j * p.ldb() + k] : b[bo + k * p.ldb() + j];
                            s = SimdSpecies.FMA ? Math.fma(av, bv, s) : av * bv + s;
                        }
                        acc += s;
                    }
                    c[ci] = acc;
                }
            }
        }
        return c;
    }

    @Test
    void matchesTheSummationOrderModel() {
        SimdTesting t = new SimdTesting();
        Case[] cases = {
            new Case(1, 131, 77, 700, false, false, 1f, 0f, 0, t.rnd.nextLong()),
            new Case(1, 131, 77, 700, false, true, 0.75f, 0.5f, 1, t.rnd.nextLong()),
            new Case(1, 131, 77, 700, true, false, -1.5f, 1f, 2, t.rnd.nextLong()),
            new Case(1, 131, 77, 703, true, true, 1f, 0.25f, 3, t.rnd.nextLong()),  // k tails of the 4 × 4 transposes
            new Case(1, 64, 48, 512, true, false, 1f, 1f, 0, t.rnd.nextLong()),     // full tiles, whole slabs
            new Case(1, 7, 2100, 300, false, false, 1f, 0f, 0, t.rnd.nextLong()),    // short and wide: columns split
            new Case(5, 9, 21, 40, true, true, 2f, 0f, 2, t.rnd.nextLong()),         // batch-parallel path
            new Case(1, 5, 7, 9, false, false, 0f, 2f, 0, t.rnd.nextLong()),         // alpha = 0 only scales C
            new Case(1, 131, 32, 700, false, false, 1f, 1f, 1, t.rnd.nextLong()),    // A read in place, last panel packed
            new Case(1, 64, 17, 300, false, true, 1f, 0f, 2, t.rnd.nextLong()),      // A in place, edge columns
            new Case(1, 131, 32, 700, true, false, 1f, 1f, 1, t.rnd.nextLong()),     // Aᵀ read in place (columns), last panel packed
            new Case(1, 67, 17, 300, true, true, 1f, 0f, 2, t.rnd.nextLong()),       // Aᵀ in place, edge rows and columns
            new Case(1, 131, 300, 64, false, true, 1f, 0f, 1, t.rnd.nextLong()),     // K ≤ 64: A in place whatever N
            new Case(1, 67, 200, 33, true, false, 1f, 1f, 2, t.rnd.nextLong()),      // K ≤ 64, Aᵀ in place, ragged k
            new Case(1, 67, 200, 65, false, false, 1f, 0f, 0, t.rnd.nextLong()),     // K just past it: packed
        };
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (Case cs : cases) {
                Operands o = Operands.of(cs);
                t.assertBitwise(cs + " with " + threads + " threads vs the order model", model(cs.p(), o), simd(cs.p(), o));
            }
        }
    }

    @Test
    void serialPathMatchesTheModel() {
        Case cs = new Case(1, 70, 90, 300, false, true, 0.5f, 0f, 1, 11);
        GemmProblem p = cs.p();
        Operands o = Operands.of(cs);
        float[] c = o.c.clone();
        SimdGemm.serial(p.M(), p.N(), p.K(), p.alpha(), o.a, 3, p.lda(), p.tA(), o.b, 5, p.ldb(), p.tB(), p.beta(), c, 7, p.ldc());
        new SimdTesting(0).assertBitwise("serial " + p, model(p, o), c);
    }

    /** Shapes and the hash of C's float bits computed with main at 89b6c47 (seeded inputs, FMA on). */
    private static final Object[][] PINNED = {
        {new Case(1, 1024, 1024, 1024, false, false, 1f, 0f, 0, 1), 0x0c44fce4ea664b66L},
        {new Case(1, 2048, 512, 512, false, true, 1f, 0f, 0, 2), 0x39d8e232460b15e5L},      // Linear forward, C = 512
        {new Case(1, 2048, 2048, 512, false, false, 1f, 0f, 0, 3), 0xc538a9e9f2b55c08L},    // input gradient of 4C → C
        {new Case(1, 512, 2048, 2048, true, false, 1f, 1f, 0, 4), 0x794ca2a2f66463c3L},     // weight gradient, accumulated
        {new Case(1, 512, 128, 2048, true, false, 1f, 1f, 0, 5), 0xd3f5334a43e168a9L},      // weight gradient, C = 128
        {new Case(1, 2048, 128, 512, false, true, 1f, 0f, 0, 6), 0x0054b324d10531a4L},      // Linear forward 4C → C, C = 128
        {new Case(1, 300, 260, 600, false, true, 0.75f, 0.5f, 3, 7), 0xeddaca689bd45a97L},
        {new Case(1, 131, 77, 700, true, true, -1.5f, 0.25f, 1, 8), 0xe905061ddf3a6110L},
        {new Case(1, 40, 2100, 2100, false, false, 1f, 0f, 0, 9), 0xe4f82ef4d555451cL},     // two column slices of packed B
        {new Case(16, 64, 64, 64, true, false, 1f, 0f, 0, 10), 0x9d15cb7e240e620aL},        // batch of small products
    };

    @Test
    void pinnedBitsOfFixedProducts() {
        assumeTrue(SimdSpecies.FMA, "the pinned bits are those of fused multiply-add");
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (Object[] pin : PINNED) {
                Case p = (Case) pin[0];
                long hash = hash(simd(p.p(), Operands.of(p)));
                assertEquals((long) pin[1], hash, () -> String.format(
                        "%s with %d threads: C's bits changed (hash 0x%016x)", p, threads, hash));
            }
        }
    }

    private static long hash(float[] c) {
        long h = 1125899906842597L;
        for (float x : c) {
            h = 31 * h + Float.floatToRawIntBits(x);
        }
        return h;
    }
}
