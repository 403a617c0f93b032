package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import jdk.incubator.vector.FloatVector;

/**
 * Row-wise softmax and log-softmax, forward and backward. Two passes over a row: a vector max, then
 * one fused pass that writes exp(x − max) and sums it; softmax then scales by 1/Σ, log-softmax writes
 * x − max − log Σ. Rows are independent, so any row partition gives identical results.
 *
 * <p>Scalar reference per row: {@code m = max x; s = Σ exp(x − m); y = exp(x − m)/s} (or
 * {@code y = x − m − log s}).
 */
final class SimdSoftmax {
    private SimdSoftmax() {
    }

    // x (rows, cols) -> y (rows, cols)
    static void forward(int rows, int cols, float[] x, int xOff, float[] y, int yOff, boolean log) {
        SimdOps.rows(rows, 8L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = xOff + r * cols, yi = yOff + r * cols;
                float max = SimdOps.max(x, xi, cols);
                float sum = expSum(x, xi, cols, max, log ? null : y, yi);
                if (log) {
                    addScalar(cols, -(max + (float) Math.log(sum)), x, xi, y, yi);
                } else {
                    SimdOps.scale(cols, 1f / sum, y, yi, y, yi);
                }
            }
        });
    }

    // y, dY (rows, cols) -> dX (rows, cols) +=
    static void backward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, boolean log) {
        SimdOps.rows(rows, 8L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yi = yOff + r * cols, gi = dyOff + r * cols, xi = dxOff + r * cols;
                int j = 0, bound = F.loopBound(cols);
                if (log) {
                    // dX += dY − exp(y)·Σ dY
                    float s = SimdOps.sum(dy, gi, cols);
                    float[] e = SimdMath.scratch(cols);
                    SimdMath.expOnly(y, yi, 1f, 0f, e, 0, cols);
                    for (; j < bound; j += L) {
                        FloatVector es = FloatVector.fromArray(F, e, j).mul(s);
                        FloatVector.fromArray(F, dy, gi + j).sub(es).add(FloatVector.fromArray(F, dx, xi + j)).intoArray(dx, xi + j);
                    }
                    for (; j < cols; j++) {
                        dx[xi + j] += dy[gi + j] - e[j] * s;
                    }
                } else {
                    // dX += y ⊙ (dY − Σ dY·y)
                    float dot = SimdOps.dot(dy, gi, y, yi, cols);
                    for (; j < bound; j += L) {
                        FloatVector g = FloatVector.fromArray(F, dy, gi + j).sub(dot).mul(FloatVector.fromArray(F, y, yi + j));
                        g.add(FloatVector.fromArray(F, dx, xi + j)).intoArray(dx, xi + j);
                    }
                    for (; j < cols; j++) {
                        dx[xi + j] += y[yi + j] * (dy[gi + j] - dot);
                    }
                }
            }
        });
    }

    /** Σ exp(x[xi+j] − shift) over j &lt; n; also writes the terms to y[yi+j] when y is not null. */
    static float expSum(float[] x, int xi, int n, float shift, float[] y, int yi) {
        return y == null ? SimdMath.exp(x, xi, 1f, -shift, SimdMath.scratch(n), 0, n) : SimdMath.exp(x, xi, 1f, -shift, y, yi, n);
    }

    // y[yi+j] = x[xi+j] + c
    static void addScalar(int n, float c, float[] x, int xi, float[] y, int yi) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector.fromArray(F, x, xi + j).add(c).intoArray(y, yi + j);
        }
        for (; j < n; j++) {
            y[yi + j] = x[xi + j] + c;
        }
    }
}
