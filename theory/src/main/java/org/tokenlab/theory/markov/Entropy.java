package org.tokenlab.theory.markov;

/** Entropies in nats (natural logarithm), with 0·ln 0 = 0. */
public final class Entropy {
    private Entropy() {
    }

    /** H(p) = −Σ p ln p of a distribution. */
    public static double of(double[] p) {
        double h = 0;
        for (double x : p) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return h;
    }

    /** The binary entropy h(p) = −p ln p − (1−p) ln(1−p). */
    public static double binary(double p) {
        return of(new double[] {p, 1 - p});
    }

    /** Entropy rate of the switching source in closed form: (q·h(p) + p·h(q)) / (p + q). */
    public static double switchingRate(double p, double q) {
        return (q * binary(p) + p * binary(q)) / (p + q);
    }
}
