package org.tokenlab.theory.coding;

import java.util.Arrays;

/**
 * An integer distribution over symbols {@code 0..A-1} whose counts sum to exactly {@code 2^β}, every
 * count at least 1 — the form the range coder consumes (β = {@link #DEFAULT_PRECISION} by default).
 *
 * <p>Built from raw probabilities by {@link #quantize(double[], int)}, a deterministic rule: each symbol
 * first gets one count (the floor 2^-β), the remaining {@code 2^β - A} counts are shared in proportion
 * to the probabilities (rounded down), and the few counts lost to rounding go to the most probable
 * symbol (the smallest index among ties). The same input always gives the same table, which is what
 * lets an encoder and a decoder that compute the same probabilities agree bit for bit.
 */
public final class FrequencyTable {
    /** β = 14 bits, the precision of the EqualInfoAC paper. */
    public static final int DEFAULT_PRECISION = 14;
    /** The largest supported β (the coder keeps 48 bits of range; see {@link RangeEncoder}). */
    public static final int MAX_PRECISION = 24;

    private final int precision;
    private final int[] cdf; // cdf[s] = counts of symbols < s; cdf[A] = 2^precision

    private FrequencyTable(int precision, int[] cdf) {
        this.precision = precision;
        this.cdf = cdf;
    }

    /**
     * A table from integer counts that already sum to {@code 2^precision}, each at least 1.
     *
     * @throws IllegalArgumentException naming the offending symbol otherwise
     */
    public static FrequencyTable ofCounts(int[] counts, int precision) {
        checkPrecision(precision, counts.length);
        int[] cdf = new int[counts.length + 1];
        long sum = 0;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 1) {
                throw new IllegalArgumentException("count of symbol " + s + " is " + counts[s] + "; every symbol needs >= 1");
            }
            sum += counts[s];
            if (sum > (1L << precision)) {
                throw new IllegalArgumentException("counts exceed 2^" + precision + " at symbol " + s);
            }
            cdf[s + 1] = (int) sum;
        }
        if (sum != (1L << precision)) {
            throw new IllegalArgumentException("counts sum to " + sum + ", expected 2^" + precision);
        }
        return new FrequencyTable(precision, cdf);
    }

    /** Quantises probabilities (any non-negative weights with a positive finite sum) to β bits. */
    public static FrequencyTable quantize(double[] probabilities, int precision) {
        int alphabet = probabilities.length;
        checkPrecision(precision, alphabet);
        double sum = 0;
        for (int s = 0; s < alphabet; s++) {
            double p = probabilities[s];
            if (!(p >= 0) || Double.isInfinite(p)) {
                throw new IllegalArgumentException("probability of symbol " + s + " is " + p + "; expected finite and >= 0");
            }
            sum += p;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("probabilities sum to " + sum + "; expected a positive finite sum");
        }
        long spare = (1L << precision) - alphabet;
        int[] counts = new int[alphabet];
        long assigned = 0;
        int argmax = 0;
        for (int s = 0; s < alphabet; s++) {
            long extra = (long) Math.floor(probabilities[s] / sum * spare);
            extra = Math.min(extra, spare); // guards the rounding of p/sum slightly above 1
            counts[s] = 1 + (int) extra;
            assigned += extra;
            if (probabilities[s] > probabilities[argmax]) {
                argmax = s;
            }
        }
        long left = spare - assigned;
        if (left < 0) { // only possible through floating rounding: take the excess from the argmax
            counts[argmax] += (int) left;
            if (counts[argmax] < 1) {
                throw new IllegalStateException("quantiser rounding underflow at symbol " + argmax);
            }
        } else {
            counts[argmax] += (int) left;
        }
        return ofCounts(counts, precision);
    }

    /** Float overload of {@link #quantize(double[], int)} (for model outputs in float32). */
    public static FrequencyTable quantize(float[] probabilities, int precision) {
        double[] p = new double[probabilities.length];
        for (int s = 0; s < p.length; s++) {
            p[s] = probabilities[s];
        }
        return quantize(p, precision);
    }

    /** The uniform table over {@code alphabet} symbols (remainder counts to symbol 0). */
    public static FrequencyTable uniform(int alphabet, int precision) {
        double[] p = new double[alphabet];
        Arrays.fill(p, 1.0);
        return quantize(p, precision);
    }

    private static void checkPrecision(int precision, int alphabet) {
        if (precision < 1 || precision > MAX_PRECISION) {
            throw new IllegalArgumentException("precision β = " + precision + " outside [1, " + MAX_PRECISION + "]");
        }
        if (alphabet < 1 || alphabet > (1 << precision)) {
            throw new IllegalArgumentException("alphabet size " + alphabet + " needs 1 <= A <= 2^" + precision);
        }
    }

    /** Number of symbols A. */
    public int alphabetSize() {
        return cdf.length - 1;
    }

    /** β: the counts sum to 2^β. */
    public int precision() {
        return precision;
    }

    /** Count of symbol {@code s}. */
    public int frequency(int s) {
        return cdf[s + 1] - cdf[s];
    }

    /** Sum of the counts of symbols below {@code s}. */
    public int cumulative(int s) {
        return cdf[s];
    }

    /** The symbol whose cumulative range [cdf[s], cdf[s+1]) contains {@code target} (binary search). */
    public int symbolAt(int target) {
        if (target < 0 || target >= cdf[cdf.length - 1]) {
            throw new IllegalArgumentException("target " + target + " outside [0, 2^" + precision + ")");
        }
        int lo = 0;
        int hi = cdf.length - 1; // invariant: cdf[lo] <= target < cdf[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The quantised probability p̂(s) = count(s) / 2^β. */
    public double probability(int s) {
        return frequency(s) / (double) (1L << precision);
    }

    /** −log₂ p̂(s): the ideal code length of {@code s} in bits under this table. */
    public double bits(int s) {
        return precision - Math.log(frequency(s)) / Math.log(2);
    }
}
