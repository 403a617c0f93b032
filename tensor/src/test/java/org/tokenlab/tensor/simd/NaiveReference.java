package org.tokenlab.tensor.simd;

import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.backend.UnaryOp;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * The reference the SIMD tests compare against: the registered "scalar" backend when it is on the
 * class path, else these naive loops (double accumulation, written from the Backend Javadoc), kept
 * only until ScalarBackend is merged. Memory and GEMM are not here: GEMM is checked against an exact
 * double loop in the test itself.
 */
final class NaiveReference {
    private NaiveReference() {
    }

    /** ScalarBackend when registered, else the naive fallback below. */
    static Backend get() {
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("scalar")) {
                return p.create();
            }
        }
        return new Fallback();
    }

    private static float[] a(Storage s) {
        return HeapStorage.array(s);
    }

    /** Plain loops over the contract; only the kernels the tests call. */
    static final class Fallback implements Backend {
        @Override
        public String name() {
            return "naive-test-reference";
        }

        @Override
        public Storage allocate(int n) {
            return new HeapStorage(n);
        }

        @Override
        public Storage upload(float[] host) {
            return new HeapStorage(host.clone());
        }

        @Override
        public void download(Storage src, int srcOff, float[] dst, int dstOff, int n) {
            System.arraycopy(a(src), srcOff, dst, dstOff, n);
        }

        @Override
        public void copy(Storage src, int srcOff, Storage dst, int dstOff, int n) {
            System.arraycopy(a(src), srcOff, a(dst), dstOff, n);
        }

        @Override
        public void fill(Storage dst, int off, int n, float value) {
            java.util.Arrays.fill(a(dst), off, off + n, value);
        }

        // offset of flat index i of shape under strides
        private static int at(int[] shape, int[] strides, int i) {
            int off = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                off += (i % shape[d]) * strides[d];
                i /= shape[d];
            }
            return off;
        }

        private static int numel(int[] shape) {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        @Override
        public void gather(int[] shape, Storage x, int xOff, int[] strides, Storage out, int outOff) {
            for (int i = 0; i < numel(shape); i++) {
                a(out)[outOff + i] = a(x)[xOff + at(shape, strides, i)];
            }
        }

        @Override
        public void matmul(int batch, int M, int N, int K, float alpha, Storage a, int aOff, int lda, int strideA,
                           boolean transA, Storage b, int bOff, int ldb, int strideB, boolean transB, float beta,
                           Storage c, int cOff, int ldc, int strideC) {
            throw new UnsupportedOperationException("GEMM is checked against an exact loop in the test");
        }

        @Override
        public void binary(BinaryOp op, int[] shape, Storage a, int aOff, int[] aStrides, Storage b, int bOff,
                           int[] bStrides, Storage out, int outOff) {
            for (int i = 0; i < numel(shape); i++) {
                a(out)[outOff + i] = SimdElementwise.scalar(op, a(a)[aOff + at(shape, aStrides, i)], a(b)[bOff + at(shape, bStrides, i)]);
            }
        }

        private static double gelu(double x) {
            return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }

        private static double f(UnaryOp op, double p, double x) {
            return switch (op) {
                case NEG -> -x;
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case SQRT -> Math.sqrt(x);
                case TANH -> Math.tanh(x);
                case RELU -> x > 0 ? x : 0;
                case GELU -> gelu(x);
                case SILU -> x / (1 + Math.exp(-x));
                case POW -> Math.pow(x, p);
                case SCALE -> (float) p * (float) x;
                case ADD_SCALAR -> (float) x + (float) p;
            };
        }

        @Override
        public void unary(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, int n) {
            for (int i = 0; i < n; i++) {
                a(y)[yOff + i] = (float) f(op, param, a(x)[xOff + i]);
            }
        }

        @Override
        public void unaryBackward(UnaryOp op, float param, Storage x, int xOff, Storage y, int yOff, Storage dY,
                                  int dYOff, Storage dX, int dXOff, int n) {
            for (int i = 0; i < n; i++) {
                double xv = a(x)[xOff + i];
                double d = switch (op) {
                    case EXP, TANH, SQRT, NEG, RELU, SCALE, ADD_SCALAR -> SimdUnary.df(op, param, (float) xv, a(y)[yOff + i]);
                    case LOG -> 1 / xv;
                    case POW -> param == 0f ? 0 : param * Math.pow(xv, param - 1.0);
                    case GELU, SILU -> exactDerivative(op, xv);
                };
                a(dX)[dXOff + i] += (float) (a(dY)[dYOff + i] * d);
            }
        }

        private static double exactDerivative(UnaryOp op, double x) {
            if (op == UnaryOp.SILU) {
                double s = 1 / (1 + Math.exp(-x));
                return s * (1 + x * (1 - s));
            }
            double k = Math.sqrt(2 / Math.PI), t = Math.tanh(k * (x + 0.044715 * x * x * x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
        }

        @Override
        public void axpy(int n, float alpha, Storage src, int srcOff, Storage dst, int dstOff) {
            for (int i = 0; i < n; i++) {
                a(dst)[dstOff + i] += alpha * a(src)[srcOff + i];
            }
        }

        @Override
        public void reduce(ReduceOp op, int outer, int R, int inner, Storage x, int xOff, Storage out, int outOff, int[] argmax) {
            float[] xa = a(x);
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < inner; j++) {
                    double s = 0;
                    float best = Float.NEGATIVE_INFINITY;
                    int bi = 0;
                    for (int r = 0; r < R; r++) {
                        float v = xa[xOff + (o * R + r) * inner + j];
                        s += v;
                        if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                            best = v;
                            bi = r;
                        }
                    }
                    a(out)[outOff + o * inner + j] = op == ReduceOp.SUM ? (float) s : best;
                    if (argmax != null && op == ReduceOp.MAX) {
                        argmax[o * inner + j] = bi;
                    }
                }
            }
        }

        @Override
        public double sumOfSquares(Storage x, int off, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double v = a(x)[off + i];
                s += v * v;
            }
            return s;
        }

        @Override
        public void softmax(int rows, int cols, Storage x, int xOff, Storage y, int yOff, boolean log) {
            for (int r = 0; r < rows; r++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int c = 0; c < cols; c++) {
                    m = Math.max(m, a(x)[xOff + r * cols + c]);
                }
                for (int c = 0; c < cols; c++) {
                    s += Math.exp(a(x)[xOff + r * cols + c] - m);
                }
                for (int c = 0; c < cols; c++) {
                    double v = a(x)[xOff + r * cols + c];
                    a(y)[yOff + r * cols + c] = (float) (log ? v - m - Math.log(s) : Math.exp(v - m) / s);
                }
            }
        }

        @Override
        public void softmaxBackward(int rows, int cols, Storage y, int yOff, Storage dY, int dYOff, Storage dX, int dXOff, boolean log) {
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    double g = a(dY)[dYOff + r * cols + c];
                    s += log ? g : g * a(y)[yOff + r * cols + c];
                }
                for (int c = 0; c < cols; c++) {
                    double yv = a(y)[yOff + r * cols + c], g = a(dY)[dYOff + r * cols + c];
                    a(dX)[dXOff + r * cols + c] += (float) (log ? g - Math.exp(yv) * s : yv * (g - s));
                }
            }
        }

        @Override
        public void layerNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias, Storage y,
                              int yOff, Storage mean, Storage rstd) {
            norm(N, C, eps, x, xOff, weight, bias, y, yOff, mean, rstd);
        }

        private void norm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage bias, Storage y,
                          int yOff, Storage mean, Storage rstd) {
            for (int n = 0; n < N; n++) {
                double m = 0, v = 0;
                if (mean != null) {
                    for (int c = 0; c < C; c++) {
                        m += a(x)[xOff + n * C + c];
                    }
                    m /= C;
                }
                for (int c = 0; c < C; c++) {
                    double d = a(x)[xOff + n * C + c] - m;
                    v += d * d;
                }
                double s = 1 / Math.sqrt(v / C + eps);
                for (int c = 0; c < C; c++) {
                    double o = (a(x)[xOff + n * C + c] - m) * s * a(weight)[c] + (bias == null ? 0 : a(bias)[c]);
                    a(y)[yOff + n * C + c] = (float) o;
                }
                if (mean != null) {
                    a(mean)[n] = (float) m;
                }
                a(rstd)[n] = (float) s;
            }
        }

        @Override
        public void layerNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                                      Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias) {
            normBackward(N, C, x, xOff, weight, mean, rstd, dY, dYOff, dX, dXOff, dWeight, dBias);
        }

        private void normBackward(int N, int C, Storage x, int xOff, Storage weight, Storage mean, Storage rstd,
                                  Storage dY, int dYOff, Storage dX, int dXOff, Storage dWeight, Storage dBias) {
            for (int n = 0; n < N; n++) {
                double m = mean == null ? 0 : a(mean)[n], s = a(rstd)[n], gm = 0, gnm = 0;
                for (int c = 0; c < C; c++) {
                    double g = (double) a(dY)[dYOff + n * C + c] * a(weight)[c];
                    gm += g;
                    gnm += g * (a(x)[xOff + n * C + c] - m) * s;
                }
                gm = mean == null ? 0 : gm / C;
                gnm /= C;
                for (int c = 0; c < C; c++) {
                    double nv = (a(x)[xOff + n * C + c] - m) * s, dy = a(dY)[dYOff + n * C + c];
                    a(dX)[dXOff + n * C + c] += (float) (s * (dy * a(weight)[c] - gm - nv * gnm));
                    a(dWeight)[c] += (float) (dy * nv);
                    if (dBias != null) {
                        a(dBias)[c] += (float) dy;
                    }
                }
            }
        }

        @Override
        public void rmsNorm(int N, int C, float eps, Storage x, int xOff, Storage weight, Storage y, int yOff, Storage rstd) {
            norm(N, C, eps, x, xOff, weight, null, y, yOff, null, rstd);
        }

        @Override
        public void rmsNormBackward(int N, int C, Storage x, int xOff, Storage weight, Storage rstd, Storage dY,
                                    int dYOff, Storage dX, int dXOff, Storage dWeight) {
            normBackward(N, C, x, xOff, weight, null, rstd, dY, dYOff, dX, dXOff, dWeight, null);
        }

        @Override
        public void embedding(int N, int C, int[] idx, Storage table, Storage out, int outOff) {
            for (int n = 0; n < N; n++) {
                System.arraycopy(a(table), idx[n] * C, a(out), outOff + n * C, C);
            }
        }

        @Override
        public void embeddingBackward(int N, int C, int[] idx, Storage dOut, int dOutOff, Storage dTable) {
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < C; c++) {
                    a(dTable)[idx[n] * C + c] += a(dOut)[dOutOff + n * C + c];
                }
            }
        }

        private static int at(Strided s, int b, int t, int h, int HS) {
            return s.off() + b * s.batchStride() + t * s.rowStride() + h * HS;
        }

        private static double dot(float[] x, int xi, float[] y, int yi, int n) {
            double s = 0;
            for (int d = 0; d < n; d++) {
                s += (double) x[xi + d] * y[yi + d];
            }
            return s;
        }

        @Override
        public void attention(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse) {
            int HS = s.HS();
            for (int b = 0; b < s.B(); b++) {
                for (int h = 0; h < s.NH(); h++) {
                    for (int i = 0; i < s.Tq(); i++) {
                        int last = s.causal() ? s.Tk() - s.Tq() + i : s.Tk() - 1;
                        double[] sc = new double[last + 1];
                        double m = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int j = 0; j <= last; j++) {
                            sc[j] = s.scale() * dot(a(q.storage()), at(q, b, i, h, HS), a(k.storage()), at(k, b, j, h, HS), HS);
                            m = Math.max(m, sc[j]);
                        }
                        double[] o = new double[HS];
                        for (int j = 0; j <= last; j++) {
                            double p = Math.exp(sc[j] - m);
                            sum += p;
                            for (int d = 0; d < HS; d++) {
                                o[d] += p * a(v.storage())[at(v, b, j, h, HS) + d];
                            }
                        }
                        for (int d = 0; d < HS; d++) {
                            a(out.storage())[at(out, b, i, h, HS) + d] = (float) (o[d] / sum);
                        }
                        a(lse)[(b * s.NH() + h) * s.Tq() + i] = (float) (m + Math.log(sum));
                    }
                }
            }
        }

        @Override
        public void attentionBackward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, Storage lse,
                                      Strided dOut, Strided dQ, Strided dK, Strided dV) {
            int HS = s.HS();
            float[] qa = a(q.storage()), ka = a(k.storage()), va = a(v.storage()), ga = a(dOut.storage());
            for (int b = 0; b < s.B(); b++) {
                for (int h = 0; h < s.NH(); h++) {
                    for (int i = 0; i < s.Tq(); i++) {
                        int last = s.causal() ? s.Tk() - s.Tq() + i : s.Tk() - 1;
                        int qi = at(q, b, i, h, HS), gi = at(dOut, b, i, h, HS);
                        double D = dot(ga, gi, a(out.storage()), at(out, b, i, h, HS), HS);
                        double l = a(lse)[(b * s.NH() + h) * s.Tq() + i];
                        for (int j = 0; j <= last; j++) {
                            int kj = at(k, b, j, h, HS), vj = at(v, b, j, h, HS);
                            double p = Math.exp(s.scale() * dot(qa, qi, ka, kj, HS) - l);
                            double ds = p * (dot(ga, gi, va, vj, HS) - D) * s.scale();
                            for (int d = 0; d < HS; d++) {
                                a(dQ.storage())[at(dQ, b, i, h, HS) + d] += (float) (ds * ka[kj + d]);
                                a(dK.storage())[at(dK, b, j, h, HS) + d] += (float) (ds * qa[qi + d]);
                                a(dV.storage())[at(dV, b, j, h, HS) + d] += (float) (p * ga[gi + d]);
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void crossEntropy(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                                 int ignoreIndex, Storage losses, Storage lse) {
            for (int n = 0; n < N; n++) {
                double m = Double.NEGATIVE_INFINITY, s = 0;
                for (int c = 0; c < V; c++) {
                    m = Math.max(m, a(logits)[logitsOff + n * V + c]);
                }
                for (int c = 0; c < V; c++) {
                    s += Math.exp(a(logits)[logitsOff + n * V + c] - m);
                }
                double l = m + Math.log(s);
                a(lse)[n] = (float) l;
                int t = targets[n];
                a(losses)[n] = t == ignoreIndex ? 0f
                        : (float) ((weights == null ? 1 : weights[n]) * (l - a(logits)[logitsOff + n * V + t]));
            }
        }

        @Override
        public void crossEntropyBackward(int N, int V, Storage logits, int logitsOff, int[] targets, float[] weights,
                                         int ignoreIndex, Storage lse, Storage dLosses, Storage dLogits, int dLogitsOff) {
            for (int n = 0; n < N; n++) {
                int t = targets[n];
                if (t == ignoreIndex) {
                    continue;
                }
                double g = a(dLosses)[n] * (weights == null ? 1 : weights[n]);
                for (int c = 0; c < V; c++) {
                    double p = Math.exp(a(logits)[logitsOff + n * V + c] - a(lse)[n]);
                    a(dLogits)[dLogitsOff + n * V + c] += (float) (g * (p - (c == t ? 1 : 0)));
                }
            }
        }

        @Override
        public void dropout(int n, float p, long seedKey, long offset, Storage x, int xOff, Storage y, int yOff, Storage mask) {
            RandomStream r = RandomStream.ofKey(seedKey, 0);
            for (int i = 0; i < n; i++) {
                float m = r.uniformAt(offset + i) >= p ? 1f / (1f - p) : 0f;
                a(mask)[i] = m;
                a(y)[yOff + i] = a(x)[xOff + i] * m;
            }
        }

        @Override
        public void adamW(int n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                          float eps, float weightDecay, int step, float gradScale) {
            for (int i = 0; i < n; i++) {
                double g = a(grad)[i] * gradScale;
                double mi = beta1 * a(m)[i] + (1 - beta1) * g, vi = beta2 * a(v)[i] + (1 - beta2) * g * g;
                a(m)[i] = (float) mi;
                a(v)[i] = (float) vi;
                double mh = mi / (1 - Math.pow(beta1, step)), vh = vi / (1 - Math.pow(beta2, step));
                a(param)[i] = (float) (a(param)[i] - lr * (mh / (Math.sqrt(vh) + eps) + weightDecay * a(param)[i]));
            }
        }
    }
}
