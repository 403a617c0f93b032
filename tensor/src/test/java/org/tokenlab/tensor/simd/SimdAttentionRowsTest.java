package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * SimdAttentionRows walks a block's rows side by side, vector column by vector column; it must give every bit the
 * row-by-row loops gave (a row's max, its exps as SimdMath.expOnly gives them, its sum in SimdMath.exp's order written
 * out with scalars, dS = P·(dS − D)·scale per element), and
 * leave every entry past a row's visible keys as it was: causal blocks (row r sees v0 + r keys) and full ones
 * (step 0), rows and key counts that are not multiples of the group or the vector length, with NaN, ±Inf and large
 * scores among the keys.
 */
class SimdAttentionRowsTest {
    private final SimdTesting t = new SimdTesting();

    private static final int L = SimdSpecies.L;

    /** (qb, ld, v0, step): block rows, row stride, keys of row 0, keys added per row. */
    private static final int[][] BLOCKS = {
        {1, 1, 1, 1}, {5, 7, 3, 1}, {17, 40, 1, 1}, {33, 3 * L + 40, 2 * L + 7, 1}, {40, 64, 25, 1},
        {16, L, L, 0}, {21, 2 * L + 3, 2 * L + 3, 0}, {7, 5, 5, 0}, {64, 128, 65, 1},
    };

    private float[] scores(int qb, int ld) {
        float[] s = t.uniform(qb * ld + L, -6f, 6f);
        if (qb * ld > 40) {
            s[3] = 80f;
            s[ld + 1] = -200f;
            s[2 * ld] = Float.NEGATIVE_INFINITY;
        }
        return s;
    }

    @Test
    void forwardExpsMaximaAndSumsHaveTheRowByRowBits() {
        for (int[] blk : BLOCKS) {
            int qb = blk[0], ld = blk[1], v0 = blk[2], step = blk[3];
            float scale = 0.17f;
            float[] s = scores(qb, ld), rows = s.clone();
            float[] max = new float[qb], sum = new float[qb];
            SimdAttentionRows.expWithSums(s, ld, qb, v0, step, scale, max, sum, new float[SimdAttentionRows.GROUP * L]);
            for (int r = 0; r < qb; r++) {
                // the row on its own: its max element by element, its exps by SimdMath.expOnly, and its sum in the order
                // SimdMath.exp adds (each lane through the row's vectors in index order, then the lanes' tree)
                int n = v0 + step * r;
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.max(m, rows[r * ld + j]);
                }
                m *= scale;
                SimdMath.expOnly(rows, r * ld, scale, -m, rows, r * ld, n);
                float[] lanes = new float[L];
                for (int j = 0; j < n; j++) {
                    lanes[j % L] += rows[r * ld + j];
                }
                String where = t.where("block " + Arrays.toString(blk) + " row " + r);
                assertEquals(Float.floatToRawIntBits(m), Float.floatToRawIntBits(max[r]), where + ": max");
                assertEquals(Float.floatToRawIntBits(SimdTesting.treeSum(lanes)), Float.floatToRawIntBits(sum[r]), where + ": sum");
            }
            assertSameBits(rows, s, "block " + Arrays.toString(blk) + ": exps (and untouched entries)");
        }
    }

    @Test
    void backwardExpsHaveTheRowByRowBits() {
        for (int[] blk : BLOCKS) {
            int qb = blk[0], ld = blk[1], v0 = blk[2], step = blk[3];
            float[] s = scores(qb, ld), rows = s.clone();
            float[] lse = t.uniform(qb + 3, -2f, 9f);
            SimdAttentionRows.exp(s, ld, qb, v0, step, 0.25f, lse, 3);
            for (int r = 0; r < qb; r++) {
                SimdMath.expOnly(rows, r * ld, 0.25f, -lse[3 + r], rows, r * ld, v0 + step * r);
            }
            assertSameBits(rows, s, "block " + Arrays.toString(blk));
        }
    }

    @Test
    void softmaxGradientHasTheElementwiseBits() {
        for (int[] blk : BLOCKS) {
            int qb = blk[0], ld = blk[1], v0 = blk[2], step = blk[3];
            float[] p = t.uniform(qb * ld, 0f, 1f), ds = t.uniform(qb * ld + L, -3f, 3f), expected = ds.clone();
            float[] d = t.uniform(qb + 2, -1f, 1f);
            float scale = 0.3f;
            SimdAttentionRows.softmaxGrad(p, ds, ld, qb, v0, step, d, 2, scale);
            for (int r = 0; r < qb; r++) {
                for (int j = 0; j < v0 + step * r; j++) {
                    int i = r * ld + j;
                    expected[i] = p[i] * (expected[i] - d[2 + r]) * scale;
                }
            }
            assertSameBits(expected, ds, "block " + Arrays.toString(blk));
        }
    }

    private void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertTrue(SimdTesting.sameBits(expected[i], actual[i]), t.where(what + ", element " + i + ": " + actual[i] + " against " + expected[i]));
        }
    }
}
