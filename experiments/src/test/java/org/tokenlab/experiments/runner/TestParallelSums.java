package org.tokenlab.experiments.runner;

import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.rng.RandomStream;

/** A deterministic parallel reduction for tests: fixed blocks, partials combined in block order. */
final class TestParallelSums {
    private TestParallelSums() {
    }

    /** Σ of n uniforms at indices 0..n-1 of {@code stream}, in 16 fixed blocks. */
    static double sumOfUniforms(RandomStream stream, int n) {
        int blocks = 16;
        double[] partial = new double[blocks];
        Parallel.get().forBlocks(blocks, Long.MAX_VALUE, b -> {
            double s = 0;
            for (int i = b * n / blocks; i < (b + 1) * n / blocks; i++) {
                s += stream.uniformAt(i);
            }
            partial[b] = s;
        });
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }
}
