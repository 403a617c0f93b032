package org.tokenlab.tensor.backend.scalar;

/**
 * Reference softmax, layer norm and RMS norm over the last axis, forward and backward side by side.
 * Row statistics are accumulated in double.
 */
public final class ScalarNorms {
    private ScalarNorms() {
    }

    /** log Σ exp(x[off..off+n)), stabilised by the row maximum, summed in double. */
    public static double logSumExp(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, x[off + c]);
        }
        double sum = 0.0;
        for (int c = 0; c < n; c++) {
            sum += Math.exp(x[off + c] - max);
        }
        return max + Math.log(sum);
    }

    // x (rows, cols) -> y (rows, cols)
    public static void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff, boolean log) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            double lse = logSumExp(x, xr, cols);
            for (int c = 0; c < cols; c++) {
                double logP = x[xr + c] - lse;
                y[yr + c] = (float) (log ? logP : Math.exp(logP));
            }
        }
    }

    // y, dY (rows, cols) -> dX (rows, cols) +=
    public static void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dY, int dYOff,
                                       float[] dX, int dXOff, boolean log) {
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * cols;
            int gr = dYOff + r * cols;
            int xr = dXOff + r * cols;
            double dot = 0.0;
            for (int c = 0; c < cols; c++) {
                dot += log ? dY[gr + c] : (double) dY[gr + c] * y[yr + c];
            }
            for (int c = 0; c < cols; c++) {
                if (log) {
                    dX[xr + c] += (float) (dY[gr + c] - Math.exp(y[yr + c]) * dot);
                } else {
                    dX[xr + c] += (float) (y[yr + c] * (dY[gr + c] - dot));
                }
            }
        }
    }

    // x (N,C), weight (C), bias (C) or null -> y (N,C), mean (N), rstd (N)
    public static void layerNorm(int N, int C, float eps, float[] x, int xOff, float[] weight, float[] bias,
                                 float[] y, int yOff, float[] mean, float[] rstd) {
        for (int n = 0; n < N; n++) {
            int xr = xOff + n * C;
            double m = 0.0;
            for (int c = 0; c < C; c++) {
                m += x[xr + c];
            }
            m /= C;
            double var = 0.0;
            for (int c = 0; c < C; c++) {
                double d = x[xr + c] - m;
                var += d * d;
            }
            var /= C;
            double s = 1.0 / Math.sqrt(var + eps);
            for (int c = 0; c < C; c++) {
                double norm = (x[xr + c] - m) * s;
                y[yOff + n * C + c] = (float) (norm * weight[c] + (bias == null ? 0.0 : bias[c]));
            }
            mean[n] = (float) m;
            rstd[n] = (float) s;
        }
    }

    // x, dY (N,C), weight (C), mean, rstd (N) -> dX (N,C) +=, dWeight (C) +=, dBias (C) += (or null)
    public static void layerNormBackward(int N, int C, float[] x, int xOff, float[] weight, float[] mean,
                                         float[] rstd, float[] dY, int dYOff, float[] dX, int dXOff,
                                         float[] dWeight, float[] dBias) {
        for (int n = 0; n < N; n++) {
            int xr = xOff + n * C;
            int gr = dYOff + n * C;
            double m = mean[n];
            double s = rstd[n];
            // dx = s · (dnorm − mean(dnorm) − norm · mean(dnorm · norm)), dnorm = weight · dy
            double meanD = 0.0;
            double meanDN = 0.0;
            for (int c = 0; c < C; c++) {
                double norm = (x[xr + c] - m) * s;
                double dnorm = (double) weight[c] * dY[gr + c];
                meanD += dnorm;
                meanDN += dnorm * norm;
            }
            meanD /= C;
            meanDN /= C;
            for (int c = 0; c < C; c++) {
                double norm = (x[xr + c] - m) * s;
                double dnorm = (double) weight[c] * dY[gr + c];
                dX[dXOff + n * C + c] += (float) (s * (dnorm - meanD - norm * meanDN));
                dWeight[c] += (float) (norm * dY[gr + c]);
                if (dBias != null) {
                    dBias[c] += dY[gr + c];
                }
            }
        }
    }

    // x (N,C), weight (C) -> y (N,C), rstd (N)
    public static void rmsNorm(int N, int C, float eps, float[] x, int xOff, float[] weight,
                               float[] y, int yOff, float[] rstd) {
        for (int n = 0; n < N; n++) {
            int xr = xOff + n * C;
            double ss = 0.0;
            for (int c = 0; c < C; c++) {
                ss += (double) x[xr + c] * x[xr + c];
            }
            double s = 1.0 / Math.sqrt(ss / C + eps);
            for (int c = 0; c < C; c++) {
                y[yOff + n * C + c] = (float) (x[xr + c] * s * weight[c]);
            }
            rstd[n] = (float) s;
        }
    }

    // x, dY (N,C), weight (C), rstd (N) -> dX (N,C) +=, dWeight (C) +=
    public static void rmsNormBackward(int N, int C, float[] x, int xOff, float[] weight, float[] rstd,
                                       float[] dY, int dYOff, float[] dX, int dXOff, float[] dWeight) {
        for (int n = 0; n < N; n++) {
            int xr = xOff + n * C;
            int gr = dYOff + n * C;
            double s = rstd[n];
            // dx_i = s · g_i − s³ · x_i · mean(g · x), g = weight · dy
            double meanGX = 0.0;
            for (int c = 0; c < C; c++) {
                meanGX += (double) weight[c] * dY[gr + c] * x[xr + c];
            }
            meanGX /= C;
            for (int c = 0; c < C; c++) {
                double g = (double) weight[c] * dY[gr + c];
                dX[dXOff + n * C + c] += (float) (s * g - s * s * s * x[xr + c] * meanGX);
                dWeight[c] += (float) (x[xr + c] * s * dY[gr + c]);
            }
        }
    }
}
