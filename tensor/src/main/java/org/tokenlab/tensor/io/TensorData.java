package org.tokenlab.tensor.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named array of a safetensors file: its on-disk dtype ("F32", "BF16" or "F16"), its shape and its
 * values as float32 in row-major order. Independent of {@code Tensor} and of any backend.
 *
 * <p>The arrays are held, not copied (checkpoints are large); callers must not mutate them while the
 * record is in use. {@link #equals} compares contents (bitwise for the values).
 */
public record TensorData(String dtype, int[] shape, float[] values) {

    /** Checks that the dtype is known, dims are non-negative and their product equals values.length. */
    public TensorData {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (Dtype.parse(dtype) == null) {
            throw new IllegalArgumentException("unknown dtype '" + dtype + "'; expected F32, BF16 or F16");
        }
        // Each factor is < 2^31 and the running product is cut off once it passes values.length
        // (< 2^31), so the long never overflows; a zero dimension anywhere makes the product 0.
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.min(n * d, (long) values.length + 1);
        }
        if (n != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                    + values.length + " values");
        }
    }

    /** Values stored as float32. */
    public static TensorData f32(float[] values, int... shape) {
        return new TensorData("F32", shape, values);
    }

    /** Values to be stored as bfloat16 (rounded to nearest even on write). */
    public static TensorData bf16(float[] values, int... shape) {
        return new TensorData("BF16", shape, values);
    }

    /** The dtype as an enum. */
    public Dtype dtypeEnum() {
        return Dtype.parse(dtype);
    }

    /** Number of elements (the product of the shape; 1 for a scalar with shape []). */
    public int numel() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "TensorData[" + dtype + " " + Arrays.toString(shape) + ", " + values.length + " values]";
    }
}
