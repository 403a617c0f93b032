package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.HeapStorage;

/**
 * SIMD GEMM against an exact (double) loop. Tolerance per element: the float error bound of a
 * K-term dot product plus the alpha and beta roundings, (K + 3)·u·(|alpha|·Σ_k|a·b| + |beta·c|) with
 * u = 2^-24; the blocked kernel's error is usually far smaller, never larger.
 */
class SimdGemmTest {
    private final SimdTesting t = new SimdTesting();
    private final SimdBackend simd = new SimdBackend();

    private void check(GemmProblem p) {
        float[] a = t.uniform(p.batch() * p.sizeA() + 3, -1, 1);
        float[] b = t.uniform(p.batch() * p.sizeB() + 5, -1, 1);
        float[] c = t.uniform(p.batch() * p.sizeC() + 7, -1, 1);
        if (p.beta() == 0f) {
            java.util.Arrays.fill(c, Float.NaN); // beta = 0 must ignore the old C, NaNs included
        }
        float[] c0 = c.clone();
        HeapStorage cs = new HeapStorage(c);
        simd.matmul(p.batch(), p.M(), p.N(), p.K(), p.alpha(), new HeapStorage(a), 3, p.lda(), p.sizeA(), p.tA(),
                new HeapStorage(b), 5, p.ldb(), p.sizeB(), p.tB(), p.beta(), cs, 7, p.ldc(), p.sizeC());
        for (int bt = 0; bt < p.batch(); bt++) {
            for (int i = 0; i < p.M(); i++) {
                for (int j = 0; j < p.N(); j++) {
                    double exact = 0, mag = 0;
                    for (int k = 0; k < p.K(); k++) {
                        float av = p.tA() ? a[3 + bt * p.sizeA() + k * p.lda() + i] : a[3 + bt * p.sizeA() + i * p.lda() + k];
                        float bv = p.tB() ? b[5 + bt * p.sizeB() + j * p.ldb() + k] : b[5 + bt * p.sizeB() + k * p.ldb() + j];
                        exact += (double) av * bv;
                        mag += Math.abs((double) av * bv);
                    }
                    int ci = 7 + bt * p.sizeC() + i * p.ldc() + j;
                    double old = p.beta() == 0f ? 0 : c0[ci];
                    double expected = p.alpha() * exact + p.beta() * old;
                    double tol = (p.K() + 3) * SimdTesting.U * (Math.abs(p.alpha()) * mag + Math.abs(p.beta() * old)) + 1e-30;
                    if (!(Math.abs(c[ci] - expected) <= tol)) {
                        fail(t.where(p + " C[" + bt + "][" + i + "][" + j + "]") + ": expected " + expected
                                + " got " + c[ci] + ", tolerance " + tol);
                    }
                }
                // padding columns of C are never written
                for (int j = p.N(); j < p.ldc(); j++) {
                    int ci = 7 + bt * p.sizeC() + i * p.ldc() + j;
                    assertTrue(Float.floatToRawIntBits(c[ci]) == Float.floatToRawIntBits(c0[ci]), t.where(p + " wrote padding"));
                }
            }
        }
    }

    @Test
    void oddShapesAllTransposes() {
        int[] sizes = {1, 3, 17, 33, 129};
        for (int M : sizes) {
            for (int N : sizes) {
                int K = sizes[t.rnd.nextInt(sizes.length)];
                boolean tA = t.rnd.nextBoolean(), tB = t.rnd.nextBoolean();
                check(new GemmProblem(1, M, N, K, tA, tB, 1f, 0f, t.rnd.nextInt(3)));
            }
        }
    }

    @Test
    void everyTransposeWithAlphaBetaAndBatches() {
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                check(new GemmProblem(3, 17, 33, 129, tA, tB, 0.75f, 0.5f, 1));
                check(new GemmProblem(2, 129, 17, 3, tA, tB, -1.5f, 1f, 0));
                check(new GemmProblem(1, 4, 16, 8, tA, tB, 1f, 0f, 0)); // exactly one tile
            }
        }
    }

    @Test
    void blockBoundaries() {
        // K across several KC slabs, M across several task blocks, N across the NC slab width
        check(new GemmProblem(1, 181, 47, SimdGemm.KC * 2 + 7, false, true, 1f, 0f, 0));
        check(new GemmProblem(1, 2, SimdGemm.NC + 37, 3, true, false, 1f, 0.25f, 1));
        check(new GemmProblem(5, 9, 21, 40, false, false, 1f, 0f, 2)); // batch-parallel path
    }

    @Test
    void kZeroAndAlphaZeroScaleC() {
        check(new GemmProblem(1, 5, 7, 0, false, false, 1f, 0.5f, 0));
        check(new GemmProblem(1, 5, 7, 9, false, false, 0f, 2f, 0));
    }

    @Test
    void badArgumentsNameTheOperand() {
        HeapStorage small = new HeapStorage(10), big = new HeapStorage(1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                simd.matmul(1, 4, 4, 4, 1f, small, 0, 4, 0, false, big, 0, 4, 0, false, 0f, big, 0, 4, 0));
        assertTrue(e.getMessage().contains("A"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                simd.matmul(1, 4, 4, 4, 1f, big, 0, 3, 0, false, big, 0, 4, 0, false, 0f, big, 0, 4, 0));
        assertTrue(e.getMessage().contains("leading dimension of A"), e.getMessage());
    }
}
