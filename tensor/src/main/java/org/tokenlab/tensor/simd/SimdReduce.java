package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Reductions over the middle axis of (outer, R, inner), and the double-precision sum of squares.
 *
 * <p>Scalar reference: {@code out[o, j] = Σ_r x[o, r, j]} (or max, with the first arg-max).
 * With inner = 1 a row is summed by {@link SimdOps#sum} (vector lanes, then the tail); with inner &gt; 1
 * each column is summed over r in order in float, the same adds whatever the column grouping or the
 * thread split ({@link #sumColumns}).
 */
final class SimdReduce {
    /** Columns per task of a SUM with inner &gt; 1 (a multiple of every vector length up to 512 bits). */
    static final int COLS = 64;
    /** Elements per partial sum of {@link #sumOfSquares}: the block grid depends on n only. */
    static final int SSQ_BLOCK = 1 << 16;
    /** Doubles in a vector of the float species' shape: half the float lanes. */
    private static final VectorSpecies<Double> DS = F.vectorShape().withLanes(double.class);
    /** Floats in half a vector of F: as many lanes as DS, so widening one to DS keeps the lane count. */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    private SimdReduce() {
    }

    // x (outer, R, inner) -> out (outer, inner), argmax (outer, inner) for MAX
    static void reduce(ReduceOp op, int outer, int R, int inner, float[] x, int xOff, float[] out, int outOff, int[] argmax) {
        if (op == ReduceOp.SUM && inner > 1) {
            // tasks of (o, COLS columns): a bias gradient is one (N, OC) sum with outer = 1, which one task
            // per o would leave to a single thread; each column's sum is the same in any task split
            int chunks = (inner + COLS - 1) / COLS;
            SimdOps.rows(outer * chunks, (long) R * COLS, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int o = t / chunks, j0 = (t % chunks) * COLS;
                    sumColumns(R, inner, x, xOff + o * R * inner, out, outOff + o * inner, j0, Math.min(inner, j0 + COLS));
                }
            });
            return;
        }
        SimdOps.rows(outer, (long) R * inner, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int base = xOff + o * R * inner, ob = outOff + o * inner;
                if (op == ReduceOp.SUM) {
                    out[ob] = SimdOps.sum(x, base, R); // inner = 1: one row (inner > 1 went to sumColumns)
                } else {
                    maxRow(R, inner, x, base, out, ob, argmax, o * inner);
                }
            }
        });
    }

    /**
     * out[ob + j] = Σ_r x[base + r·inner + j] for j in [j0, j1), r from 0 up in float: every column is
     * the plain float loop {@code s = 0; for r: s += x} (a vector lane adds exactly as a scalar does), so
     * the result does not depend on how columns are grouped or split. Four vectors of columns per pass over
     * the rows (two cache lines of each row, four independent add chains), then one vector, then single
     * columns. j0 is a multiple of COLS.
     */
    private static void sumColumns(int R, int inner, float[] x, int base, float[] out, int ob, int j0, int j1) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int r = 0, at = base + j; r < R; r++, at += inner) {
                a0 = a0.add(FloatVector.fromArray(F, x, at));
                a1 = a1.add(FloatVector.fromArray(F, x, at + L));
                a2 = a2.add(FloatVector.fromArray(F, x, at + 2 * L));
                a3 = a3.add(FloatVector.fromArray(F, x, at + 3 * L));
            }
            a0.intoArray(out, ob + j);
            a1.intoArray(out, ob + j + L);
            a2.intoArray(out, ob + j + 2 * L);
            a3.intoArray(out, ob + j + 3 * L);
        }
        for (; j + L <= j1; j += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int r = 0; r < R; r++) {
                acc = acc.add(FloatVector.fromArray(F, x, base + r * inner + j));
            }
            acc.intoArray(out, ob + j);
        }
        for (; j < j1; j++) {
            float s = 0f;
            for (int r = 0; r < R; r++) {
                s += x[base + r * inner + j];
            }
            out[ob + j] = s;
        }
    }

    // first index of the maximum; a NaN wins (the first one), so that it propagates
    private static void maxRow(int R, int inner, float[] x, int base, float[] out, int ob, int[] argmax, int ai) {
        for (int j = 0; j < inner; j++) {
            int best = 0;
            float bv;
            if (inner == 1) {
                bv = SimdOps.max(x, base, R); // vector max (NaN-propagating), then the first index holding it
                for (int r = 0; r < R; r++) {
                    float v = x[base + r];
                    if (v == bv || (Float.isNaN(bv) && Float.isNaN(v))) {
                        best = r;
                        bv = v; // -0.0 where the first maximum is -0.0, as with '>'
                        break;
                    }
                }
            } else {
                bv = Float.NEGATIVE_INFINITY;
                for (int r = 0; r < R; r++) {
                    float v = x[base + r * inner + j];
                    if (v > bv || (Float.isNaN(v) && !Float.isNaN(bv))) {
                        bv = v;
                        best = r;
                    }
                }
            }
            out[ob + j] = bv;
            if (argmax != null) {
                argmax[ai + j] = best;
            }
        }
    }

    // Σ x[i]², i < n: blocks of SSQ_BLOCK summed in double (2 vector accumulators), partials added in block order
    static double sumOfSquares(float[] x, int off, int n) {
        int blocks = (n + SSQ_BLOCK - 1) / SSQ_BLOCK;
        double[] partial = new double[blocks];
        Parallel.get().forBlocks(blocks, n, blk -> {
            int from = off + blk * SSQ_BLOCK, len = Math.min(SSQ_BLOCK, n - blk * SSQ_BLOCK);
            partial[blk] = blockSumOfSquares(x, from, len);
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    private static double blockSumOfSquares(float[] x, int from, int n) {
        DoubleVector a0 = DoubleVector.zero(DS), a1 = DoubleVector.zero(DS);
        int i = 0;
        // the two halves of each L floats loaded as half vectors and widened lane for lane (one vcvtps2pd each),
        // the same lanes and bits as widening parts 0 and 1 of a whole vector; over 4.87 M floats (the medium
        // model's gradients) 1.1 → 1.0 ms with 256-bit vectors, 1.7 → 1.0 ms with 128, 449 → 37 ms with 512
        // (emulated on AVX2), in one JVM with the old loop alongside
        for (int bound = F.loopBound(n); i < bound; i += L) {
            DoubleVector lo = (DoubleVector) FloatVector.fromArray(FH, x, from + i).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector hi = (DoubleVector) FloatVector.fromArray(FH, x, from + i + L / 2).convertShape(VectorOperators.F2D, DS, 0);
            a0 = SimdSpecies.FMA ? lo.fma(lo, a0) : lo.mul(lo).add(a0);
            a1 = SimdSpecies.FMA ? hi.fma(hi, a1) : hi.mul(hi).add(a1);
        }
        DoubleVector all = a0.add(a1);
        double s = 0;
        for (int l = 0; l < all.length(); l++) { // lane order, not reduceLanes: the same bits in every JIT tier
            s += all.lane(l);
        }
        for (; i < n; i++) {
            double v = x[from + i];
            s += v * v;
        }
        return s;
    }
}
