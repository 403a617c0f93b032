package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tokenlab.tensor.nn.F;

/** Bad input fails with a message naming the op and the shapes (or the index and where). */
class ErrorMessageTest {

    static String message(Class<? extends Throwable> type, Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void shapeMismatchesNameTheOpAndBothShapes() {
        assertEquals("matmul: shapes [3, 4] and [5, 2] do not match",
                message(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2))));
        assertEquals("add: shapes [2, 3] and [4] do not broadcast",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4))));
        assertEquals("mul: shapes [2] and [3] do not broadcast",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2).mul(Tensor.zeros(3))));
        assertEquals("matmul: shapes [2, 3, 4] and [5, 4, 1] do not broadcast",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 1))));
        assertEquals("reshape: shapes [2, 3] and [4, 2] do not match",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2)));
        assertEquals("linear: shapes [2, 3] and [4, 5] do not match (…, C) and (OC, C)",
                message(IllegalArgumentException.class, () -> F.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null)));
        assertEquals("concat: shapes [2, 3] and [3, 3] do not match along axes other than 1",
                message(IllegalArgumentException.class, () -> Tensor.concat(1, Tensor.zeros(2, 3), Tensor.zeros(3, 3))));
        assertEquals("expand: shapes [2, 3] and [2, 4] do not match",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(2, 4)));
        assertEquals("layerNorm: weight shape [4] does not match the last axis (3)",
                message(IllegalArgumentException.class, () -> F.layerNorm(Tensor.zeros(2, 3), Tensor.zeros(4), null, 1e-5f)));
    }

    @Test
    void badAxesAndIndicesSayWhere() {
        assertEquals("sum: axis 2 is out of range for a tensor of rank 2",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sum(2, false)));
        assertEquals("transpose: axis -3 is out of range for a tensor of rank 2",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).transpose(-3, 0)));
        assertEquals("slice: range [1, 5) is outside [0, 3] of axis 1 of [2, 3]",
                message(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).slice(1, 1, 5)));
        assertEquals("get: index 3 out of range [0, 3) in dimension 1 of [2, 3]",
                message(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).get(0, 3)));
        assertEquals("embedding: index 7 at position 2 is outside [0, 5)",
                message(IndexOutOfBoundsException.class, () -> F.embedding(Tensor.zeros(5, 2), new int[] {0, 1, 7})));
        assertEquals("crossEntropy: target 9 at position 1 is outside [0, 4)",
                message(IllegalArgumentException.class,
                        () -> F.crossEntropy(Tensor.zeros(2, 4), new int[] {0, 9}, null, -1)));
        assertEquals("of: 5 values do not fill shape [2, 3]",
                message(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3)));
        assertEquals("wrap: shape [2, 3] with strides [3, 1] at offset 1 reaches outside a storage of 6 floats",
                message(IllegalArgumentException.class,
                        () -> Tensor.wrap(Tensor.zeros(6).storage(), new int[] {2, 3}, new int[] {3, 1}, 1)));
        assertEquals("permute: [0, 0] repeats axis 0",
                message(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).permute(0, 0)));
    }
}
