package org.tokenlab.tensor.simd;

import org.tokenlab.tensor.rng.RandomStream;

/**
 * Inverted dropout with a counter-based mask: element i is kept iff
 * {@code RandomStream.ofKey(seedKey, 0).uniformAt(offset + i) >= p}, so the mask depends on the key
 * and the position only, never on threads or call order. The draw is scalar (a 64-bit mix per
 * element); the rest of the pass is trivially memory-bound.
 */
final class SimdDropout {
    private SimdDropout() {
    }

    // x (n) -> y (n), mask (n) in {0, 1/(1−p)}
    static void forward(int n, float p, long seedKey, long offset, float[] x, int xi, float[] y, int yi, float[] mask) {
        RandomStream rs = RandomStream.ofKey(seedKey, 0);
        float keep = p >= 1f ? 0f : 1f / (1f - p);
        SimdOps.chunks(n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float mk = rs.uniformAt(offset + i) >= p ? keep : 0f;
                mask[i] = mk;
                y[yi + i] = x[xi + i] * mk;
            }
        });
    }
}
