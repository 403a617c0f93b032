package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Layer norm and RMS norm over the last axis, forward and backward (the llm.c formulation).
 *
 * <p>Forward rows are independent. The backward runs in two passes so that no two threads ever add
 * into the same gradient: pass 1 over rows writes dX; pass 2 over column chunks adds dWeight (and
 * dBias) over n = 0, 1, … in order, the same order as the scalar loop, whatever the thread count.
 *
 * <p>Scalar reference, layer norm row: {@code mean = Σx/C; rstd = 1/√(Σ(x−mean)²/C + eps);
 * norm = (x − mean)·rstd; y = norm·w + b}; backward {@code g = dy·w;
 * dx += rstd·(g − mean(g) − norm·mean(g·norm)); dw += dy·norm; db += dy}. RMS norm: mean = 0 and
 * rstd = 1/√(Σx²/C + eps), {@code dx += rstd·(g − norm·mean(g·norm))}.
 */
final class SimdNorms {
    /** Most columns per task of the dWeight pass (its dw and db sums, 2 KB, stay in L1). */
    private static final int COL_CHUNK = 256;

    private SimdNorms() {
    }

    // x (N,C), weight (C), bias (C) -> y (N,C), mean (N), rstd (N)
    static void layerNorm(int N, int C, float eps, float[] x, int xOff, float[] w, float[] b,
                          float[] y, int yOff, float[] mean, float[] rstd) {
        SimdOps.rows(N, 8L * C, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int xi = xOff + n * C, yi = yOff + n * C;
                float m = SimdOps.sum(x, xi, C) / C;
                float s = 1f / (float) Math.sqrt(centeredSquares(x, xi, C, m) / C + eps);
                mean[n] = m;
                rstd[n] = s;
                normalize(C, x, xi, m, s, w, b, y, yi);
            }
        });
    }

    // x (N,C), weight (C) -> y (N,C), rstd (N)
    static void rmsNorm(int N, int C, float eps, float[] x, int xOff, float[] w, float[] y, int yOff, float[] rstd) {
        SimdOps.rows(N, 8L * C, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int xi = xOff + n * C;
                float s = 1f / (float) Math.sqrt(SimdOps.dot(x, xi, x, xi, C) / C + eps);
                rstd[n] = s;
                normalize(C, x, xi, 0f, s, w, null, y, yOff + n * C);
            }
        });
    }

    // layer norm (mean given) or RMS norm (mean null): dX (N,C) +=, dWeight (C) +=, dBias (C) +=
    static void backward(int N, int C, float[] x, int xOff, float[] w, float[] mean, float[] rstd,
                         float[] dy, int dyOff, float[] dx, int dxOff, float[] dw, float[] db) {
        SimdOps.rows(N, 12L * C, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                int xi = xOff + n * C, gi = dyOff + n * C, di = dxOff + n * C;
                float m = mean == null ? 0f : mean[n], s = rstd[n];
                // mean(g) and mean(g·norm) with g = dy·w, norm = (x − m)·s
                float gMean = 0f, gnMean = 0f;
                int j = 0;
                if (C >= L) {
                    FloatVector ga = FloatVector.zero(F), gna = FloatVector.zero(F);
                    for (int bound = F.loopBound(C); j < bound; j += L) {
                        FloatVector g = FloatVector.fromArray(F, dy, gi + j).mul(FloatVector.fromArray(F, w, j));
                        FloatVector nv = FloatVector.fromArray(F, x, xi + j).sub(m).mul(s);
                        ga = ga.add(g);
                        gna = gna.add(g.mul(nv));
                    }
                    gMean = SimdOps.laneSum(ga);
                    gnMean = SimdOps.laneSum(gna);
                }
                for (; j < C; j++) {
                    float g = dy[gi + j] * w[j];
                    gMean += g;
                    gnMean += g * (x[xi + j] - m) * s;
                }
                gMean = mean == null ? 0f : gMean / C;
                gnMean /= C;
                j = 0;
                for (int bound = F.loopBound(C); j < bound; j += L) {
                    FloatVector g = FloatVector.fromArray(F, dy, gi + j).mul(FloatVector.fromArray(F, w, j));
                    FloatVector nv = FloatVector.fromArray(F, x, xi + j).sub(m).mul(s);
                    FloatVector d = g.sub(gMean).sub(nv.mul(gnMean)).mul(s);
                    d.add(FloatVector.fromArray(F, dx, di + j)).intoArray(dx, di + j);
                }
                for (; j < C; j++) {
                    float nv = (x[xi + j] - m) * s;
                    dx[di + j] += (dy[gi + j] * w[j] - gMean - nv * gnMean) * s;
                }
            }
        });
        // dWeight, dBias: column strips, each summed over all rows in row order. A column's sum does not depend on
        // the strip it falls in (lanes are columns, and the scalar tail does the same two roundings), so the strips
        // can follow the thread count: one per thread (C = 128 or 256 was a single strip, run on one thread while
        // the others waited), whole vectors wide, at most COL_CHUNK. With several strips, each sums into its own copy
        // of its dw and db values and stores them back at the end: two strips writing neighbouring parts of dw share
        // a cache line, and updating it row after row from two cores made the pass 2.9 times slower
        int threads = Parallel.get().threads();
        int width = Math.min(COL_CHUNK, ((C + threads - 1) / threads + L - 1) / L * L);
        int chunks = (C + width - 1) / width;
        boolean copy = chunks > 1; // one strip (j0 = 0) sums into dw and db themselves
        SimdOps.rows(chunks, 4L * N * width, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int j0 = c * width, j1 = Math.min(C, j0 + width);
                float[] sw = copy ? Arrays.copyOfRange(dw, j0, j1) : dw;
                float[] sb = copy && db != null ? Arrays.copyOfRange(db, j0, j1) : db;
                for (int n = 0; n < N; n++) {
                    weightGradRow(j1 - j0, x, xOff + n * C + j0, mean == null ? 0f : mean[n], rstd[n], dy, dyOff + n * C + j0,
                            sw, sb);
                }
                if (copy) {
                    System.arraycopy(sw, 0, dw, j0, j1 - j0);
                    if (db != null) {
                        System.arraycopy(sb, 0, db, j0, j1 - j0);
                    }
                }
            }
        });
    }

    // dw[j] += dy[gi + j]·(x[xi + j] − m)·s, db[j] += dy[gi + j] for j < n
    private static void weightGradRow(int n, float[] x, int xi, float m, float s, float[] dy, int gi, float[] dw, float[] db) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector g = FloatVector.fromArray(F, dy, gi + j);
            FloatVector nv = FloatVector.fromArray(F, x, xi + j).sub(m).mul(s);
            g.mul(nv).add(FloatVector.fromArray(F, dw, j)).intoArray(dw, j);
            if (db != null) {
                g.add(FloatVector.fromArray(F, db, j)).intoArray(db, j);
            }
        }
        for (; j < n; j++) {
            dw[j] += dy[gi + j] * ((x[xi + j] - m) * s);
            if (db != null) {
                db[j] += dy[gi + j];
            }
        }
    }

    // Σ (x − m)² over a row
    private static float centeredSquares(float[] x, int xi, int C, float m) {
        int j = 0;
        float s = 0f;
        if (C >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int bound = F.loopBound(C); j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(F, x, xi + j).sub(m);
                acc = acc.add(d.mul(d));
            }
            s = SimdOps.laneSum(acc);
        }
        for (; j < C; j++) {
            float d = x[xi + j] - m;
            s += d * d;
        }
        return s;
    }

    // y = (x − m)·s·w + b (b may be null)
    private static void normalize(int C, float[] x, int xi, float m, float s, float[] w, float[] b, float[] y, int yi) {
        int j = 0;
        for (int bound = F.loopBound(C); j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xi + j).sub(m).mul(s).mul(FloatVector.fromArray(F, w, j));
            if (b != null) {
                v = v.add(FloatVector.fromArray(F, b, j));
            }
            v.intoArray(y, yi + j);
        }
        for (; j < C; j++) {
            float v = (x[xi + j] - m) * s * w[j];
            y[yi + j] = b == null ? v : v + b[j];
        }
    }
}
