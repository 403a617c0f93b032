package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;

/**
 * Rotary position embedding (Su et al. 2021), "rotate-half" layout as in GPT-NeoX and Llama: the head
 * vector's first and second halves are the two coordinates of HS/2 planes, plane i rotated by angle
 * t·θᵢ with θᵢ = 10000^(−2i/HS).
 */
final class Rope {
    private static final double BASE = 10000.0;
    private final int NH;
    private final int HS;
    private final float[] cos; // (Tmax, HS)
    private final float[] sin; // (Tmax, HS)

    Rope(int maxPositions, int NH, int HS) {
        this.NH = NH;
        this.HS = HS;
        int half = HS / 2;
        cos = new float[maxPositions * HS];
        sin = new float[maxPositions * HS];
        for (int t = 0; t < maxPositions; t++) {
            for (int i = 0; i < half; i++) {
                double angle = t * Math.pow(BASE, -2.0 * i / HS);
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * HS + i] = c;
                cos[t * HS + half + i] = c;
                sin[t * HS + i] = s;
                sin[t * HS + half + i] = s;
            }
        }
    }

    // x (B,T,C) at absolute positions [pos0, pos0+T) -> (B,T,C) rotated per head
    Tensor apply(Tensor x, int pos0) {
        int B = x.size(0);
        int T = x.size(1);
        int half = HS / 2;
        float[] c = new float[T * HS];
        float[] s = new float[T * HS];
        System.arraycopy(cos, pos0 * HS, c, 0, T * HS);
        System.arraycopy(sin, pos0 * HS, s, 0, T * HS);
        Tensor cosT = Tensor.of(c, T, 1, HS);
        Tensor sinT = Tensor.of(s, T, 1, HS);
        Tensor x4 = x.reshape(B, T, NH, HS);
        Tensor x1 = x4.slice(3, 0, half);
        Tensor x2 = x4.slice(3, half, HS);
        Tensor rotated = Tensor.concat(3, x2.neg(), x1); // (−x2, x1)
        return x4.mul(cosT).add(rotated.mul(sinT)).reshape(B, T, NH * HS);
    }
}
