package org.tokenlab.tensor.backend.scalar;

import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Reference elementwise kernels on float arrays: strided gather, broadcasting binary ops, unary
 * functions and their derivatives. Plain loops, never optimised; the teaching text for the fast paths.
 */
public final class ScalarElementwise {
    /** √(2/π), the GELU tanh-approximation constant (GPT-2). */
    static final double GELU_SCALE = Math.sqrt(2.0 / Math.PI);
    static final double GELU_CUBIC = 0.044715;

    private ScalarElementwise() {
    }

    /** Number of elements of a shape. */
    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Advances a row-major multi-index {@code idx} over {@code shape} by one and returns the change of
     * the flat offset under {@code strides}. Used by every strided loop below.
     */
    static int step(int[] idx, int[] shape, int[] strides) {
        int delta = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d]++;
            delta += strides[d];
            if (idx[d] < shape[d]) {
                return delta;
            }
            delta -= strides[d] * shape[d];
            idx[d] = 0;
        }
        return delta;
    }

    // shape (any), x strided -> out contiguous
    public static void gather(int[] shape, float[] x, int xOff, int[] strides, float[] out, int outOff) {
        int n = numel(shape);
        int[] idx = new int[shape.length];
        int xi = xOff;
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xi];
            xi += step(idx, shape, strides);
        }
    }

    // out (shape) contiguous = a (strided, broadcast) op b (strided, broadcast)
    public static void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides,
                              float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        int n = numel(shape);
        int[] idxA = new int[shape.length];
        int[] idxB = new int[shape.length];
        int ai = aOff;
        int bi = bOff;
        for (int i = 0; i < n; i++) {
            float x = a[ai];
            float y = b[bi];
            out[outOff + i] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
            };
            ai += step(idxA, shape, aStrides);
            bi += step(idxB, shape, bStrides);
        }
    }

    /** f(x) for one element. */
    public static float apply(UnaryOp op, float param, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> x > 0f ? x : 0f;
            case GELU -> {
                double u = GELU_SCALE * (x + GELU_CUBIC * x * x * x);
                yield (float) (0.5 * x * (1.0 + Math.tanh(u)));
            }
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            case POW -> (float) Math.pow(x, param);
            case SCALE -> param * x;
            case ADD_SCALAR -> x + param;
        };
    }

    /** f'(x) for one element, given y = f(x). */
    public static float derivative(UnaryOp op, float param, float x, float y) {
        return switch (op) {
            case NEG -> -1f;
            case EXP -> y;
            case LOG -> 1f / x;
            case SQRT -> 0.5f / y;
            case TANH -> 1f - y * y;
            case RELU -> x > 0f ? 1f : 0f;
            case GELU -> {
                double u = GELU_SCALE * (x + GELU_CUBIC * x * x * x);
                double th = Math.tanh(u);
                double sech2 = 1.0 - th * th;
                double du = GELU_SCALE * (1.0 + 3.0 * GELU_CUBIC * x * x);
                yield (float) (0.5 * (1.0 + th) + 0.5 * x * sech2 * du);
            }
            case SILU -> {
                double s = 1.0 / (1.0 + Math.exp(-x));
                yield (float) (s * (1.0 + x * (1.0 - s)));
            }
            case POW -> param == 0f ? 0f : (float) (param * Math.pow(x, param - 1.0));
            case SCALE -> param;
            case ADD_SCALAR -> 1f;
        };
    }

    // x (n) -> y (n)
    public static void unary(UnaryOp op, float param, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = apply(op, param, x[xOff + i]);
        }
    }

    // x, y, dY (n) -> dX (n) +=
    public static void unaryBackward(UnaryOp op, float param, float[] x, int xOff, float[] y, int yOff,
                                     float[] dY, int dYOff, float[] dX, int dXOff, int n) {
        for (int i = 0; i < n; i++) {
            dX[dXOff + i] += dY[dYOff + i] * derivative(op, param, x[xOff + i], y[yOff + i]);
        }
    }
}
