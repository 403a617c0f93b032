package org.tokenlab.experiments.hyperfitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

class HyperfitMetricsTest {

    @Test
    void disagreementAndShares() {
        assertEquals(0.25, HyperfitMetrics.disagreement(new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 5}), 1e-12);
        assertEquals(0.5, HyperfitMetrics.shareAtLeast(new int[] {3, 10, 12, 9}, 10), 1e-12);
        assertEquals(2.0, HyperfitMetrics.mean(new double[] {1, 2, 3}), 1e-12);
    }

    @Test
    void pairedBootstrapExcludesZeroOnlyForAConsistentShift() {
        double[] a = new double[40];
        double[] up = new double[40];
        double[] noise = new double[40];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.3 + 0.01 * (i % 5);
            up[i] = a[i] + 0.2 + 0.01 * (i % 3);
            noise[i] = a[i] + (i % 2 == 0 ? 0.1 : -0.1);
        }
        HyperfitMetrics.Interval shift = HyperfitMetrics.pairedBootstrap(a, up, 1000, 0.95, RandomStream.root(1));
        assertTrue(shift.excludesZero(), shift.toString());
        assertTrue(shift.lo() <= shift.estimate() && shift.estimate() <= shift.hi());
        HyperfitMetrics.Interval none = HyperfitMetrics.pairedBootstrap(a, noise, 1000, 0.95, RandomStream.root(1));
        assertFalse(none.excludesZero(), none.toString());
    }

    @Test
    void evaluationBatchesShiftTargetsAndIgnorePadding() {
        Batch[] b = HyperfitTraining.batches(List.of(new int[] {5, 6, 7}, new int[] {8, 9, 10}, new int[] {1, 2, 3}), 2, 4);
        assertEquals(2, b.length);
        assertEquals(5, b[0].inputs()[0]);
        assertEquals(6, b[0].targets()[0]);
        assertEquals(7, b[0].targets()[1]);
        assertEquals(Batch.IGNORE, b[0].targets()[2]); // sequence of 3 tokens has 2 targets
        assertEquals(2 * 2 + 2, b[0].countTargets() + b[1].countTargets()); // padding row of batch 2 ignored
    }
}
