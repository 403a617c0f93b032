package org.tokenlab.theory.coding;

import java.util.SplittableRandom;

/** Random context-dependent models for property tests: a table per previous symbol. */
final class RandomModels {
    private RandomModels() {
    }

    /** A first-order model: tables[prev + 1] (index 0 after reset). Some rows are near-degenerate. */
    static ProbabilityModel firstOrder(int alphabet, int precision, SplittableRandom rng) {
        FrequencyTable[] tables = new FrequencyTable[alphabet + 1];
        for (int c = 0; c <= alphabet; c++) {
            tables[c] = FrequencyTable.quantize(randomDistribution(alphabet, rng), precision);
        }
        return new ProbabilityModel() {
            private int ctx;

            @Override
            public int alphabetSize() {
                return alphabet;
            }

            @Override
            public void reset() {
                ctx = 0;
            }

            @Override
            public FrequencyTable table() {
                return tables[ctx];
            }

            @Override
            public void update(int symbol) {
                ctx = symbol + 1;
            }
        };
    }

    /** Dirichlet-like, or (one time in three) one symbol with almost all the mass, the rest at the floor. */
    static double[] randomDistribution(int alphabet, SplittableRandom rng) {
        double[] p = new double[alphabet];
        if (rng.nextInt(3) == 0) {
            p[rng.nextInt(alphabet)] = 1.0;
            for (int s = 0; s < alphabet; s++) {
                p[s] += rng.nextInt(2) == 0 ? 0.0 : 1e-12;
            }
            return p;
        }
        double sharp = 0.05 + 5 * rng.nextDouble();
        for (int s = 0; s < alphabet; s++) {
            p[s] = Math.pow(rng.nextDouble(), 1 / sharp) + 1e-300;
        }
        return p;
    }

    /** A sequence drawn from the model; with probability {@code surprise} a uniform symbol instead. */
    static int[] sample(ProbabilityModel model, int n, double surprise, SplittableRandom rng) {
        int[] x = new int[n];
        model.reset();
        for (int i = 0; i < n; i++) {
            FrequencyTable t = model.table();
            int s;
            if (rng.nextDouble() < surprise) {
                s = rng.nextInt(model.alphabetSize());
            } else {
                s = t.symbolAt(rng.nextInt(1 << t.precision()));
            }
            x[i] = s;
            model.update(s);
        }
        return x;
    }
}
