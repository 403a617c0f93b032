package org.tokenlab.tensor.backend.scalar;

import org.tokenlab.tensor.backend.AttentionShape;

/**
 * Reference scaled-dot-product attention, two-pass softmax per query row, forward and backward side by
 * side. Operands are (B, T, NH, HS) addressed as {@code off + b·batchStride + t·rowStride + h·HS + d}.
 * With attention dropout, probability p_j of row i is used as p_j·m_j, m_j = {@link AttentionShape#dropKeep}
 * (0 or 1/(1 − p)); without, m_j = 1 and the arithmetic is exactly the undropped one.
 */
public final class ScalarAttention {
    private ScalarAttention() {
    }

    /** The last key index query row {@code i} may see (inclusive). */
    static int lastKey(AttentionShape s, int i) {
        return s.causal() ? s.Tk() - s.Tq() + i : s.Tk() - 1;
    }

    static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double sum = 0.0;
        for (int d = 0; d < n; d++) {
            sum += (double) a[aOff + d] * b[bOff + d];
        }
        return sum;
    }

    // q (B,Tq,NH,HS), k, v (B,Tk,NH,HS) -> out (B,Tq,NH,HS), lse (B,NH,Tq)
    public static void forward(AttentionShape s, float[] q, int qOff, int qBatch, int qRow,
                               float[] k, int kOff, int kBatch, int kRow,
                               float[] v, int vOff, int vBatch, int vRow,
                               float[] out, int oOff, int oBatch, int oRow, float[] lse) {
        int HS = s.HS();
        double[] scores = new double[s.Tk()];
        double[] acc = new double[HS];
        for (int b = 0; b < s.B(); b++) {
            for (int h = 0; h < s.NH(); h++) {
                for (int i = 0; i < s.Tq(); i++) {
                    int qi = qOff + b * qBatch + i * qRow + h * HS;
                    int last = lastKey(s, i);
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= last; j++) {
                        int kj = kOff + b * kBatch + j * kRow + h * HS;
                        scores[j] = s.scale() * dot(q, qi, k, kj, HS);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0.0;
                    java.util.Arrays.fill(acc, 0.0);
                    int bh = b * s.NH() + h;
                    for (int j = 0; j <= last; j++) {
                        double p = Math.exp(scores[j] - max);
                        sum += p;
                        double pm = p * s.dropKeep(bh, i, j); // the dropped-out probability (× 1 without dropout)
                        int vj = vOff + b * vBatch + j * vRow + h * HS;
                        for (int d = 0; d < HS; d++) {
                            acc[d] += pm * v[vj + d];
                        }
                    }
                    int oi = oOff + b * oBatch + i * oRow + h * HS;
                    for (int d = 0; d < HS; d++) {
                        out[oi + d] = (float) (acc[d] / sum);
                    }
                    lse[(b * s.NH() + h) * s.Tq() + i] = (float) (max + Math.log(sum));
                }
            }
        }
    }

    // q, k, v, out, lse, dOut -> dQ, dK, dV +=
    public static void backward(AttentionShape s, float[] q, int qOff, int qBatch, int qRow,
                                float[] k, int kOff, int kBatch, int kRow,
                                float[] v, int vOff, int vBatch, int vRow,
                                float[] out, int oOff, int oBatch, int oRow, float[] lse,
                                float[] dOut, int gOff, int gBatch, int gRow,
                                float[] dQ, int dqOff, int dqBatch, int dqRow,
                                float[] dK, int dkOff, int dkBatch, int dkRow,
                                float[] dV, int dvOff, int dvBatch, int dvRow) {
        int HS = s.HS();
        double[] dq = new double[HS];
        for (int b = 0; b < s.B(); b++) {
            for (int h = 0; h < s.NH(); h++) {
                for (int i = 0; i < s.Tq(); i++) {
                    int qi = qOff + b * qBatch + i * qRow + h * HS;
                    int oi = oOff + b * oBatch + i * oRow + h * HS;
                    int gi = gOff + b * gBatch + i * gRow + h * HS;
                    double rowLse = lse[(b * s.NH() + h) * s.Tq() + i];
                    // D = Σ_j p_j m_j · (dOut·v_j) = dOut · out
                    double D = dot(dOut, gi, out, oi, HS);
                    int bh = b * s.NH() + h;
                    java.util.Arrays.fill(dq, 0.0);
                    int last = lastKey(s, i);
                    for (int j = 0; j <= last; j++) {
                        int kj = kOff + b * kBatch + j * kRow + h * HS;
                        int vj = vOff + b * vBatch + j * vRow + h * HS;
                        double p = Math.exp(s.scale() * dot(q, qi, k, kj, HS) - rowLse);
                        double m = s.dropKeep(bh, i, j);
                        // dP_j = m_j · dOut·v_j (through the mask), dS_j = p_j (dP_j − D)
                        double dS = p * (m * dot(dOut, gi, v, vj, HS) - D);
                        int dkj = dkOff + b * dkBatch + j * dkRow + h * HS;
                        int dvj = dvOff + b * dvBatch + j * dvRow + h * HS;
                        for (int d = 0; d < HS; d++) {
                            dq[d] += dS * k[kj + d];
                            dK[dkj + d] += (float) (s.scale() * dS * q[qi + d]);
                            dV[dvj + d] += (float) (p * m * dOut[gi + d]);
                        }
                    }
                    int dqi = dqOff + b * dqBatch + i * dqRow + h * HS;
                    for (int d = 0; d < HS; d++) {
                        dQ[dqi + d] += (float) (s.scale() * dq[d]);
                    }
                }
            }
        }
    }
}
