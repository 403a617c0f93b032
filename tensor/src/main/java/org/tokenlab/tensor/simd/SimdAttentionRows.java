package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The row-wise steps of attention's softmax on a query block of scores (qb rows, row stride ld), each row r holding
 * {@code visible(r) = v0 + step·r} keys (step 1 under the causal mask, 0 without it): the forward's row maxima,
 * exps and sums, the backward's recomputed probabilities and dS = P ⊙ (dP − D)·scale.
 *
 * <p>Why not one row at a time: a row is short (1 to T keys, 4 vectors on average at T = 128), and a row's steps
 * are short loops whose trip counts change from row to row, ending in a lane reduction. Row by row, each row paid
 * its loops' mispredicted exits and its reductions' latency, and the exps of a 128-row block took twice as long as
 * the same number of exps in one long loop (6.5 against 3.4 µs, Xeon). Here the block is walked in groups of
 * {@link #GROUP} rows, vector column by vector column, the rows of a group inside: consecutive steps are in different
 * rows, so they do not wait on each other, and the loops' trip counts change once per group. A row's running max
 * and sum live in a scratch row of L lanes ({@code work}) between its steps.
 *
 * <p>Same bits as the row-by-row loops (SimdAttentionRowsTest): every element gets the same lane arithmetic
 * ({@link SimdMath#expColumn}), a row's sum adds its vectors in index order, the last one masked, as {@link SimdMath#exp}
 * does, and a max does not depend on the order it is taken in.
 *
 * <p>Scalar reference per row r (n = visible(r)): {@code max_r = scale·max_{j<n} s_j}; {@code s_j = e^(scale·s_j − max_r)},
 * {@code sum_r = Σ s_j}; backward {@code p_j = e^(scale·s_j − lse_r)}, {@code ds_j = p_j·(ds_j − D_r)·scale}.
 */
final class SimdAttentionRows {
    /** Rows walked together: their 16 × 2 cache lines per vector column fit L1's sets at a row stride of 2^k floats. */
    static final int GROUP = 16;

    private SimdAttentionRows() {
    }

    /** First row of [g0, g1) that has vector column c (keys c·L …): row r has it when c·L &lt; v0 + step·r. */
    private static int firstRow(int c, int v0, int step, int g0, int g1) {
        int need = c * L - v0 + 1; // step·r ≥ need
        if (need <= 0) {
            return g0;
        }
        return step == 0 ? g1 : Math.min(g1, Math.max(g0, need));
    }

    /**
     * Forward: row r's max over its visible scores times scale goes to {@code max[r]}, its scores become
     * {@code e^(scale·s − max[r])} (in place), and their sum goes to {@code sum[r]}. Entries past a row's visible
     * keys are not touched. work: at least GROUP·L floats.
     */
    static void expWithSums(float[] S, int ld, int qb, int v0, int step, float scale, float[] max, float[] sum, float[] work) {
        for (int g0 = 0; g0 < qb; g0 += GROUP) {
            int g1 = Math.min(qb, g0 + GROUP);
            int columns = (v0 + step * (g1 - 1) + L - 1) / L; // of the group's longest row
            Arrays.fill(work, 0, (g1 - g0) * L, Float.NEGATIVE_INFINITY);
            for (int c = 0; c < columns; c++) {
                int j = c * L;
                for (int r = firstRow(c, v0, step, g0, g1); r < g1; r++) {
                    VectorMask<Float> m = F.indexInRange(j, v0 + step * r);
                    int w = (r - g0) * L;
                    FloatVector.fromArray(F, work, w).lanewise(VectorOperators.MAX, FloatVector.fromArray(F, S, r * ld + j, m), m)
                            .intoArray(work, w);
                }
            }
            for (int r = g0; r < g1; r++) {
                max[r] = scale * FloatVector.fromArray(F, work, (r - g0) * L).reduceLanes(VectorOperators.MAX);
            }
            Arrays.fill(work, 0, (g1 - g0) * L, 0f);
            for (int c = 0; c < columns; c++) {
                SimdMath.expColumn(S, 0, S, 0, ld, c * L, firstRow(c, v0, step, g0, g1), g1, v0, step, scale, max, 0, work, -g0 * L);
            }
            for (int r = g0; r < g1; r++) {
                sum[r] = SimdOps.laneSum(FloatVector.fromArray(F, work, (r - g0) * L));
            }
        }
    }

    /** Backward: row r's visible scores become {@code e^(scale·s − lse[lseOff + r])} (in place). */
    static void exp(float[] S, int ld, int qb, int v0, int step, float scale, float[] lse, int lseOff) {
        for (int g0 = 0; g0 < qb; g0 += GROUP) {
            int g1 = Math.min(qb, g0 + GROUP);
            int columns = (v0 + step * (g1 - 1) + L - 1) / L;
            for (int c = 0; c < columns; c++) {
                SimdMath.expColumn(S, 0, S, 0, ld, c * L, firstRow(c, v0, step, g0, g1), g1, v0, step, scale, lse, lseOff, null, 0);
            }
        }
    }

    /** Backward: {@code dS[j] = P[j]·(dS[j] − D[dOff + r])·scale} over row r's visible keys (P and dS share ld). */
    static void softmaxGrad(float[] P, float[] dS, int ld, int qb, int v0, int step, float[] D, int dOff, float scale) {
        for (int g0 = 0; g0 < qb; g0 += GROUP) {
            int g1 = Math.min(qb, g0 + GROUP);
            int columns = (v0 + step * (g1 - 1) + L - 1) / L;
            for (int c = 0; c < columns; c++) {
                int j = c * L;
                for (int r = firstRow(c, v0, step, g0, g1); r < g1; r++) {
                    VectorMask<Float> m = F.indexInRange(j, v0 + step * r);
                    int i = r * ld + j;
                    FloatVector p = FloatVector.fromArray(F, P, i, m);
                    p.mul(FloatVector.fromArray(F, dS, i, m).sub(D[dOff + r])).mul(scale).intoArray(dS, i, m);
                }
            }
        }
    }
}
