package org.tokenlab.theory.markov;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The stationary distribution π of a finite Markov chain: πP = π, Σπ = 1.
 *
 * <p>Up to {@link #MAX_DENSE_STATES} states it solves the linear system (Pᵀ − I)π = 0 with one equation
 * replaced by Σπ = 1, by LU decomposition (EJML). Larger chains (e.g. A = 4, k = 7) use power iteration
 * on the lazy chain (I + P)/2, which has the same fixed point and converges for any irreducible chain,
 * periodic or not. A chain without a unique stationary distribution is an error.
 */
public final class Stationary {
    /** Largest state count solved densely by LU (1024 states: about 0.7 GFLOP, well under a second). */
    public static final int MAX_DENSE_STATES = 1024;

    private Stationary() {
    }

    /** π for the chain with {@code successors(s)} / {@code probabilities(s)} given by {@code chain}. */
    static double[] of(MarkovSource chain) {
        int n = chain.states();
        double[] pi = n <= MAX_DENSE_STATES ? dense(chain) : power(chain);
        double residual = residual(chain, pi);
        if (!(residual < 1e-9)) {
            throw new IllegalStateException("stationary distribution not found (residual " + residual
                    + "): the chain may be reducible");
        }
        return pi;
    }

    private static double[] dense(MarkovSource chain) {
        int n = chain.states();
        int a = chain.alphabetSize();
        DMatrixRMaj m = new DMatrixRMaj(n, n); // m = Pᵀ − I, then the last row := 1
        for (int s = 0; s < n; s++) {
            double[] row = chain.nextDistribution(s);
            for (int x = 0; x < a; x++) {
                int t = chain.nextState(s, x);
                m.add(t, s, row[x]);
            }
            m.add(s, s, -1);
        }
        for (int s = 0; s < n; s++) {
            m.set(n - 1, s, 1);
        }
        DMatrixRMaj b = new DMatrixRMaj(n, 1);
        b.set(n - 1, 0, 1);
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        if (!CommonOps_DDRM.solve(m, b, x)) {
            throw new IllegalStateException("singular system: the chain has no unique stationary distribution");
        }
        double[] pi = new double[n];
        double sum = 0;
        for (int s = 0; s < n; s++) {
            pi[s] = Math.max(0, x.get(s, 0)); // clip −1e-17 round-off
            sum += pi[s];
        }
        for (int s = 0; s < n; s++) {
            pi[s] /= sum;
        }
        return pi;
    }

    private static double[] power(MarkovSource chain) {
        int n = chain.states();
        double[] pi = new double[n];
        java.util.Arrays.fill(pi, 1.0 / n);
        for (int iter = 0; iter < 1_000_000; iter++) {
            double[] next = step(chain, pi);
            double change = 0;
            for (int s = 0; s < n; s++) {
                next[s] = 0.5 * (next[s] + pi[s]);
                change += Math.abs(next[s] - pi[s]);
            }
            pi = next;
            if (change < 1e-15) {
                break;
            }
        }
        return pi;
    }

    /** πP. */
    static double[] step(MarkovSource chain, double[] pi) {
        double[] next = new double[pi.length];
        for (int s = 0; s < pi.length; s++) {
            double[] row = chain.nextDistribution(s);
            for (int x = 0; x < row.length; x++) {
                next[chain.nextState(s, x)] += pi[s] * row[x];
            }
        }
        return next;
    }

    /** max |πP − π| + |Σπ − 1|. */
    static double residual(MarkovSource chain, double[] pi) {
        double[] next = step(chain, pi);
        double worst = 0;
        double sum = 0;
        for (int s = 0; s < pi.length; s++) {
            worst = Math.max(worst, Math.abs(next[s] - pi[s]));
            sum += pi[s];
        }
        return worst + Math.abs(sum - 1);
    }
}
