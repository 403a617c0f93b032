package org.tokenlab.experiments.lexinvariant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.lexinvariant.PositionMetrics.Bucket;

class PositionMetricsTest {

    @Test
    void bucketsFollowTheDesignAndStopAtT() {
        List<Bucket> b128 = PositionMetrics.buckets(128);
        assertEquals(List.of(new Bucket(1, 8), new Bucket(9, 16), new Bucket(17, 32), new Bucket(33, 64),
                new Bucket(65, 96), new Bucket(97, 128)), b128);
        List<Bucket> b512 = PositionMetrics.buckets(512);
        assertEquals(new Bucket(449, 512), b512.get(b512.size() - 1));
        assertEquals(new Bucket(385, 448), b512.get(b512.size() - 2));
        assertEquals(2, PositionMetrics.buckets(20).size());
    }

    @Test
    void rangeMeanIsOneBasedAndInclusive() {
        double[] a = {1, 2, 3, 4, 5};
        assertEquals(2.5, PositionMetrics.rangeMean(a, 2, 3));
        assertEquals(3.0, PositionMetrics.rangeMean(a, 1, 5));
        assertTrue(Double.isNaN(PositionMetrics.rangeMean(a, 4, 6)), "past the end");
        assertArrayEquals(new double[]{1.5, 4.0}, PositionMetrics.bucketMeans(a, List.of(new Bucket(1, 2), new Bucket(3, 5))));
    }

    @Test
    void gapIsRelativePerplexity() {
        assertEquals(0.0, PositionMetrics.gap(2.0, 2.0), 1e-12);
        assertEquals(1.0, PositionMetrics.gap(2.0 + Math.log(2), 2.0), 1e-12, "twice the perplexity");
        assertEquals(9.0, PositionMetrics.gap(1.0 + Math.log(10), 1.0), 1e-9, "9X");
    }

    @Test
    void spearmanOnMonotoneTiesAndReversed() {
        double[] x = {1, 2, 3, 4};
        assertEquals(1.0, PositionMetrics.spearman(x, new double[]{1, 4, 9, 16}), 1e-12);
        assertEquals(-1.0, PositionMetrics.spearman(x, new double[]{5, 3, 2, -7}), 1e-12);
        assertArrayEquals(new double[]{1.5, 1.5, 3}, PositionMetrics.ranks(new double[]{2, 2, 5}));
        assertEquals(-0.8, PositionMetrics.spearman(x, new double[]{4, 2, 3, 1}), 1e-12);
    }

    @Test
    void pairedRatioAndItsStandardError() {
        double[] r = LexReport.pairedRatio(new double[]{2, 2, 2, 2}, new double[]{2.1, 1.9, 2.2, 1.8});
        assertEquals(0.0, r[0], 1e-12);
        // differences ±0.1, ±0.2: sample variance 0.1/3, SE = sqrt(0.1/3/4), relative to the mean 2
        assertEquals(Math.sqrt(0.1 / 3 / 4) / 2, r[1], 1e-12);
        assertEquals(0.05, LexReport.pairedRatio(new double[]{2, 2}, new double[]{2.1, 2.1})[0], 1e-12);
    }
}
