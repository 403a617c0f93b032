package org.tokenlab.tensor.backend.scalar;

import org.tokenlab.tensor.backend.ReduceOp;

/** Reference reductions over the middle axis of an (outer, R, inner) view. */
public final class ScalarReduce {
    private ScalarReduce() {
    }

    // x (outer, R, inner) -> out (outer, inner), argmax (outer, inner) for MAX
    public static void reduce(ReduceOp op, int outer, int R, int inner, float[] x, int xOff,
                              float[] out, int outOff, int[] argmax) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOff + o * R * inner + i;
                if (op == ReduceOp.SUM) {
                    double sum = 0.0;
                    for (int r = 0; r < R; r++) {
                        sum += x[base + r * inner];
                    }
                    out[outOff + o * inner + i] = (float) sum;
                } else {
                    float best = Float.NEGATIVE_INFINITY;
                    int bestR = 0;
                    for (int r = 0; r < R; r++) {
                        float v = x[base + r * inner];
                        // strict '>' keeps the first index on ties; a NaN wins so that it propagates
                        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                            best = v;
                            bestR = r;
                        }
                    }
                    out[outOff + o * inner + i] = best;
                    if (argmax != null) {
                        argmax[o * inner + i] = bestR;
                    }
                }
            }
        }
    }

    // x (n) -> Σ x², in double, in index order
    public static double sumOfSquares(float[] x, int off, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            sum += v * v;
        }
        return sum;
    }
}
