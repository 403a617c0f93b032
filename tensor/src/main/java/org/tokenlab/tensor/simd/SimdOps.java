package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.FMA;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Vector building blocks shared by the kernels: dot, sum, max, axpy, scale over contiguous runs, each
 * with {@code loopBound} and a scalar tail, and the row-block loop that parallelises row-wise kernels.
 * Helpers take arrays and offsets, not vectors (a vector argument boxes when C2 does not inline), except
 * {@link #laneSum}, a few operations long, small enough for C2 to inline.
 *
 * <p>Every reduction here has a fixed order for a given n (vector accumulators, their lanes combined by
 * {@link #laneSum}'s fixed pairwise tree, then the tail), so results depend neither on who calls it nor on the JIT
 * tier running it.
 */
final class SimdOps {
    /** Rough scalar operations per parallel block of row-wise kernels. */
    static final long BLOCK_COST = 1L << 15;

    /**
     * Lane i ↔ lane i ^ k (k = L/2, L/4, …, 1): the partners of each level of {@link #laneSum}'s tree (k mod L keeps the
     * shuffles that a narrower species never uses valid).
     */
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);

    private SimdOps() {
    }

    private static VectorShuffle<Float> swap(int k) {
        return VectorShuffle.fromOp(F, i -> i ^ (k % L));
    }

    /**
     * The sum of v's lanes in a fixed pairwise tree: each level adds lane i and lane i ^ k for k = L/2, …, 2, 1 (with
     * L = 16: ((v0 + v8) + (v4 + v12)) + ((v2 + v10) + (v6 + v14)) + … for lane 0). Every step is a lanewise IEEE add
     * or an exact lane move, so the bits are the same in every JIT tier, unlike {@code reduceLanes(ADD)}, whose
     * compiled and interpreted orders differ. log2 L dependent adds (16 cycles with L = 16) instead of the L of a
     * sum in lane order (64 cycles): a row kernel pays it once per row (attention's softmax rows, layer norm's
     * statistics), and with short rows it was as costly as the row's vectors. Small: C2 inlines it, so v is not boxed.
     */
    static float laneSum(FloatVector v) {
        if (L >= 16) {
            v = v.add(v.rearrange(SWAP8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(SWAP4));
        }
        v = v.add(v.rearrange(SWAP2)); // L ≥ 4: the backend refuses narrower species (SimdBackendProvider.MIN_LANES)
        v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }

    /**
     * Runs {@code body} for every unit in [0, units), each claimed by whichever thread comes for it next (one shared
     * counter, one claiming loop per thread), for work in a few large independent units (attention's heads, a
     * GEMM's tiles of C): a thread that runs slower, or is descheduled, holds up at most the unit it is in, where
     * {@link #rows}' one range per thread leaves the others waiting for its whole range. What a unit computes does
     * not depend on who claims it (determinism).
     */
    static void claimEach(int units, long work, IntConsumer body) {
        AtomicInteger next = new AtomicInteger();
        Parallel.get().forBlocks(Math.min(units, Parallel.get().threads()), work, w -> {
            for (int u = next.getAndIncrement(); u < units; u = next.getAndIncrement()) {
                body.accept(u);
            }
        });
    }

    /** A range of rows [r0, r1). */
    @FunctionalInterface
    interface RowRange {
        void run(int r0, int r1);
    }

    /**
     * Runs {@code body} over [0, rows) in blocks whose size depends only on rows and costPerRow, in
     * parallel when the total is large. Rows must be independent (each writes only its own output).
     */
    static void rows(int rows, long costPerRow, RowRange body) {
        if (rows <= 0) {
            return;
        }
        long cost = Math.max(1, costPerRow);
        int perBlock = (int) Math.max(1, Math.min(rows, BLOCK_COST / cost));
        int blocks = (rows + perBlock - 1) / perBlock;
        if (blocks == 1) {
            body.run(0, rows);
            return;
        }
        Parallel.get().forBlocks(blocks, rows * cost, blk -> body.run(blk * perBlock, Math.min(rows, (blk + 1) * perBlock)));
    }

    /** Runs {@code body(from, to)} over [0, n) in chunks of 4096 elements, in parallel when large. */
    static void chunks(int n, long costPerElement, RowRange body) {
        final int ch = 4096;
        rows((n + ch - 1) / ch, ch * costPerElement, (c0, c1) -> body.run(c0 * ch, Math.min(n, c1 * ch)));
    }

    // Σ a[ai+i]·b[bi+i], i < n
    static float dot(float[] a, int ai, float[] b, int bi, int n) {
        int i = 0;
        float s = 0f;
        if (n >= 4 * L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
                FloatVector x0 = FloatVector.fromArray(F, a, ai + i), y0 = FloatVector.fromArray(F, b, bi + i);
                FloatVector x1 = FloatVector.fromArray(F, a, ai + i + L), y1 = FloatVector.fromArray(F, b, bi + i + L);
                FloatVector x2 = FloatVector.fromArray(F, a, ai + i + 2 * L), y2 = FloatVector.fromArray(F, b, bi + i + 2 * L);
                FloatVector x3 = FloatVector.fromArray(F, a, ai + i + 3 * L), y3 = FloatVector.fromArray(F, b, bi + i + 3 * L);
                s0 = FMA ? x0.fma(y0, s0) : x0.mul(y0).add(s0);
                s1 = FMA ? x1.fma(y1, s1) : x1.mul(y1).add(s1);
                s2 = FMA ? x2.fma(y2, s2) : x2.mul(y2).add(s2);
                s3 = FMA ? x3.fma(y3, s3) : x3.mul(y3).add(s3);
            }
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector x0 = FloatVector.fromArray(F, a, ai + i), y0 = FloatVector.fromArray(F, b, bi + i);
                s0 = FMA ? x0.fma(y0, s0) : x0.mul(y0).add(s0);
            }
            s = laneSum(s0.add(s1).add(s2.add(s3)));
        } else if (n >= L) {
            FloatVector s0 = FloatVector.zero(F);
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector x0 = FloatVector.fromArray(F, a, ai + i), y0 = FloatVector.fromArray(F, b, bi + i);
                s0 = FMA ? x0.fma(y0, s0) : x0.mul(y0).add(s0);
            }
            s = laneSum(s0);
        }
        for (; i < n; i++) {
            s += a[ai + i] * b[bi + i];
        }
        return s;
    }

    // Σ x[xi+i], i < n
    static float sum(float[] x, int xi, int n) {
        int i = 0;
        float s = 0f;
        if (n >= 2 * L) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
                s0 = s0.add(FloatVector.fromArray(F, x, xi + i));
                s1 = s1.add(FloatVector.fromArray(F, x, xi + i + L));
            }
            s = laneSum(s0.add(s1));
        }
        for (; i < n; i++) {
            s += x[xi + i];
        }
        return s;
    }

    // max x[xi+i], i < n (n ≥ 1)
    static float max(float[] x, int xi, int n) {
        if (n <= 0) {
            return Float.NEGATIVE_INFINITY;
        }
        int i = 0;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int bound = F.loopBound(n); i < bound; i += L) {
            mv = mv.max(FloatVector.fromArray(F, x, xi + i));
        }
        if (i < n) { // the last n − i < L elements: a masked step, the other lanes keep their maxima
            VectorMask<Float> m = F.indexInRange(i, n);
            mv = mv.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, x, xi + i, m), m);
        }
        return mv.reduceLanes(VectorOperators.MAX); // max is exact, so the lanes' order does not matter
    }

    // y[yi+i] += alpha·x[xi+i]
    static void axpy(int n, float alpha, float[] x, int xi, float[] y, int yi) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, alpha);
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xi + i);
            FloatVector yv = FloatVector.fromArray(F, y, yi + i);
            (FMA ? xv.fma(av, yv) : xv.mul(av).add(yv)).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] += alpha * x[xi + i];
        }
    }

    // y[yi+i] = alpha·x[xi+i]
    static void scale(int n, float alpha, float[] x, int xi, float[] y, int yi) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, xi + i).mul(alpha).intoArray(y, yi + i);
        }
        if (i < n) { // the last n − i < L elements, masked (the product's bits are the scalar one's)
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, xi + i, m).mul(alpha).intoArray(y, yi + i, m);
        }
    }

    // y[yi+i] += x[xi+i]
    static void add(int n, float[] x, int xi, float[] y, int yi) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, y, yi + i).add(FloatVector.fromArray(F, x, xi + i)).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] += x[xi + i];
        }
    }
}
