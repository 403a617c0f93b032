package org.tokenlab.tensor;

import java.util.Arrays;

/**
 * Shape and stride arithmetic shared by the tensor layer: element counts, row-major strides, numpy
 * broadcasting, axis normalisation and the "can this reshape be a view" rule. Pure functions on int
 * arrays; nothing here touches data.
 */
public final class Shapes {
    private Shapes() {
    }

    /** The product of the sizes (1 for the scalar shape {@code []}); fails on negative sizes or overflow. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
        return strides;
    }

    /** Whether (shape, strides) is row-major contiguous; dimensions of size 1 may have any stride. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The numpy broadcast of two shapes, or an exception naming {@code op} and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * The strides with which a tensor of (shape, strides) is read when broadcast to {@code target}:
     * right-aligned, 0 on new or size-1 broadcast dimensions.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[lead + i] = shape[i] == target[lead + i] ? strides[i] : 0;
        }
        return out;
    }

    /** An axis in [0, rank), negative values counting from the end; fails naming {@code op}. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /**
     * Resolves one -1 in {@code shape} so that it holds {@code numel} elements, or fails naming
     * {@code op} and both shapes.
     */
    public static int[] inferShape(String op, int[] from, int[] shape) {
        int[] out = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException(op + ": only one -1 allowed in " + Arrays.toString(shape));
                }
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + Arrays.toString(shape));
            } else {
                known *= out[i];
            }
        }
        int n = numel(from);
        if (unknown >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(from) + " and "
                        + Arrays.toString(shape) + " do not match");
            }
            out[unknown] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(from) + " and "
                    + Arrays.toString(shape) + " do not match");
        }
        return out;
    }

    /**
     * Strides that let (oldShape, oldStrides) be read as {@code newShape} without copying, or null when
     * no such strides exist (then reshape copies). The same rule as PyTorch's {@code computeStride}:
     * each run of dimensions that is contiguous within itself may be split or merged freely.
     */
    public static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        if (oldShape.length == 0 || numel(oldShape) == 0) {
            return contiguousStrides(newShape);
        }
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            boolean chunkEnds = d == 0
                    || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase);
            if (chunkEnds) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /** The shape as {@code [2, 3]}. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
