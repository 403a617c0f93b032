package org.tokenlab.transformer.eval;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextMetricsTest {

    @Test
    void ttrOverLastK() {
        assertEquals(1.0, TextMetrics.ttr(new int[]{1, 2, 3}, 96));
        assertEquals(0.5, TextMetrics.ttr(new int[]{9, 9, 9, 1, 2, 1, 2}, 4));
        assertEquals(0.25, TextMetrics.ttr(new int[]{5, 5, 5, 5}, 4));
        assertThrows(IllegalArgumentException.class, () -> TextMetrics.ttr(new int[0], 4));
    }

    @Test
    void repN() {
        assertEquals(0.0, TextMetrics.repN(new int[]{1, 2, 3, 4, 5}, 2));
        // 2-grams of 1 2 1 2 1 2: (1,2)(2,1)(1,2)(2,1)(1,2): 2 distinct of 5
        assertEquals(1 - 2.0 / 5, TextMetrics.repN(new int[]{1, 2, 1, 2, 1, 2}, 2), 1e-12);
        assertEquals(0.0, TextMetrics.repN(new int[]{1, 2}, 4));
    }

    @Test
    void longestOverlapMatchesBruteForce() {
        RandomStream rng = RandomStream.root(11);
        List<int[]> refs = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            int[] s = new int[20 + rng.nextInt(20)];
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextInt(4);
            }
            refs.add(s);
        }
        SubstringIndex index = new SubstringIndex(refs);
        for (int trial = 0; trial < 30; trial++) {
            int[] q = new int[1 + rng.nextInt(40)];
            for (int i = 0; i < q.length; i++) {
                q[i] = rng.nextInt(5);
            }
            assertEquals(bruteLongest(q, refs), TextMetrics.longestOverlap(q, index), "trial " + trial);
        }
    }

    @Test
    void overlapNeverCrossesReferences() {
        SubstringIndex index = new SubstringIndex(List.of(new int[]{1, 2, 3}, new int[]{4, 5}));
        assertEquals(3, index.longestMatch(new int[]{1, 2, 3, 4, 5}));
        assertTrue(index.contains(new int[]{2, 3}, 0, 2));
        assertFalse(index.contains(new int[]{3, 4}, 0, 2));
        assertArrayEquals(new int[]{1, 2, 3, 4, 5}, index.continuations(new int[0], 0, 0));
        assertEquals(0.5, TextMetrics.shareWithOverlap(List.of(new int[]{1, 2, 3}, new int[]{3, 4}), index, 2));
    }

    private static int bruteLongest(int[] q, List<int[]> refs) {
        int best = 0;
        for (int[] r : refs) {
            for (int i = 0; i < q.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    int k = 0;
                    while (i + k < q.length && j + k < r.length && q[i + k] == r[j + k]) {
                        k++;
                    }
                    best = Math.max(best, k);
                }
            }
        }
        return best;
    }
}
