package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.autograd.Rule;
import org.tokenlab.tensor.nn.F;

/** Views share storage and read the right elements: checked against index arithmetic done by hand. */
class ViewTest {

    /** 0, 1, 2, … in the given shape. */
    static Tensor iota(int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void transposeThenContiguousMatchesManualTranspose() {
        Tensor x = iota(3, 17);
        Tensor t = x.transpose(0, 1);
        assertArrayEquals(new int[] {17, 3}, t.shape());
        assertArrayEquals(new int[] {1, 17}, t.strides());
        assertSame(x.storage(), t.storage());
        assertFalse(t.isContiguous());
        float[] got = t.contiguous().toArray();
        for (int i = 0; i < 17; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(j * 17 + i, got[i * 3 + j]);
                assertEquals(j * 17 + i, t.get(i, j));
            }
        }
    }

    @Test
    void permuteThenContiguousMatchesManualPermute() {
        Tensor x = iota(2, 3, 5);
        Tensor p = x.permute(2, 0, 1); // (5, 2, 3), p[k][i][j] = x[i][j][k]
        float[] got = p.contiguous().toArray();
        int n = 0;
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(i * 15 + j * 5 + k, got[n++]);
                }
            }
        }
    }

    @Test
    void sliceIsAnOffsetView() {
        Tensor x = iota(4, 33);
        Tensor s = x.slice(1, 5, 22);
        assertSame(x.storage(), s.storage());
        assertEquals(5, s.offset());
        float[] got = s.toArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 17; j++) {
                assertEquals(i * 33 + 5 + j, got[i * 17 + j]);
            }
        }
        Tensor rows = x.slice(0, 1, 3);
        assertTrue(rows.isContiguous());
        assertEquals(33, rows.offset());
    }

    @Test
    void expandRepeatsWithStrideZero() {
        Tensor x = iota(3, 1);
        Tensor e = x.expand(2, 3, 4);
        assertArrayEquals(new int[] {0, 1, 0}, e.strides());
        float[] got = e.contiguous().toArray();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(i, got[(b * 3 + i) * 4 + j]);
                }
            }
        }
        assertArrayEquals(new int[] {3, 5}, x.expand(-1, 5).shape());
    }

    @Test
    void reshapeIsAViewWhenPossibleAndACopyOtherwise() {
        Tensor x = iota(2, 3, 4);
        Tensor r = x.reshape(6, -1);
        assertSame(x.storage(), r.storage());
        assertArrayEquals(new int[] {6, 4}, r.shape());
        // a slice of rows can still be viewed as rows × cols merged
        Tensor s = x.slice(2, 0, 2); // (2, 3, 2), strides (12, 4, 1): the last two axes do not merge
        assertThrows(IllegalArgumentException.class, () -> s.view(2, 6));
        assertArrayEquals(s.contiguous().toArray(), s.reshape(2, 6).toArray());
        Tensor t = x.transpose(1, 2); // (2, 4, 3)
        Tensor merged = t.view(2, 4, 3).reshape(8, 3);
        assertArrayEquals(t.contiguous().toArray(), merged.toArray());
        // splitting an axis of a transposed view stays a view
        Tensor split = x.transpose(0, 2).view(2, 2, 3, 2);
        assertSame(x.storage(), split.storage());
        assertArrayEquals(x.transpose(0, 2).contiguous().reshape(2, 2, 3, 2).toArray(), split.toArray());
    }

    @Test
    void unsqueezeSqueezeAndInfo() {
        Tensor x = iota(3, 17);
        assertArrayEquals(new int[] {3, 1, 17}, x.unsqueeze(1).shape());
        assertArrayEquals(new int[] {3, 17, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {3, 17}, x.unsqueeze(0).squeeze(0).shape());
        assertEquals(17, x.size(-1));
        assertEquals(2, x.dim());
        assertEquals(51, x.numel());
        assertEquals(20f, x.get(1, 3));
        assertEquals(7f, Tensor.scalar(7f).item());
        assertEquals(0, Tensor.scalar(7f).dim());
        assertTrue(x.isContiguous());
        assertSame(x, x.contiguous());
    }

    @Test
    void concatJoinsAlongAnAxis() {
        Tensor a = iota(2, 3);
        Tensor b = iota(2, 1).add(100f);
        float[] got = Tensor.concat(1, a, b).toArray();
        assertArrayEquals(new float[] {0, 1, 2, 100, 3, 4, 5, 101}, got);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5},
                Tensor.concat(0, a, a).toArray());
    }

    @Test
    void matmulOfTransposedViewsNeedsNoCopyAndIsRight() {
        Tensor a = iota(3, 4);
        Tensor b = iota(5, 4);
        Tensor c = a.matmul(b.transpose(0, 1)); // (3,4)·(4,5)
        float[] got = c.toArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += (i * 4 + k) * (j * 4 + k);
                }
                assertEquals(s, got[i * 5 + j], 1e-3);
            }
        }
    }

    @Test
    void toStringShowsShapeAndValues() {
        String s = iota(2, 3).setName("w").toString();
        assertTrue(s.startsWith("Tensorw[2, 3]"), s);
        assertTrue(s.contains("0.0, 1.0"), s);
    }

    @Test
    void copyFromWritesIntoAStridedView() {
        Tensor cache = Tensor.zeros(2, 5, 3); // (B, Tmax, C)
        Tensor rows = iota(2, 2, 3).add(1f);
        cache.slice(1, 1, 3).copyFrom(rows);
        float[] got = cache.toArray();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 5; t++) {
                for (int c = 0; c < 3; c++) {
                    float expected = t == 1 || t == 2 ? 1 + (b * 2 + (t - 1)) * 3 + c : 0;
                    assertEquals(expected, got[(b * 5 + t) * 3 + c]);
                }
            }
        }
        Tensor m = Tensor.zeros(3, 4);
        m.transpose(0, 1).copyFrom(Tensor.of(new float[] {1, 2, 3}, 3)); // broadcast over rows of the view
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, m.toArray());
        Tensor p = Tensor.zeros(2).setRequiresGrad(true);
        assertThrows(IllegalStateException.class, () -> p.copyFrom(Tensor.ones(2)));
        try (var ng = Engine.noGrad()) {
            p.copyFrom(Tensor.ones(2));
        }
        assertArrayEquals(new float[] {1, 1}, p.toArray());
    }

    @Test
    void transposedOperandsFusedLinearAndAttentionMakeNoCopies() {
        Tensor a = iota(4, 3);
        Tensor b = iota(5, 4);
        assertEquals(java.util.EnumSet.of(Rule.PERMUTE, Rule.MATMUL),
                GradCheck.rulesOf(x -> x[0].transpose(0, 1).matmul(x[1].transpose(0, 1)), a, b));
        Tensor x = iota(2, 3, 4);
        Tensor w = iota(5, 4);
        assertEquals(java.util.EnumSet.of(Rule.RESHAPE, Rule.LINEAR),
                GradCheck.rulesOf(t -> F.linear(t[0], t[1], null), x, w));
        assertEquals(java.util.EnumSet.of(Rule.ATTENTION),
                GradCheck.rulesOf(t -> F.causalSelfAttention(t[0], 2), iota(1, 3, 12)));
    }
}
