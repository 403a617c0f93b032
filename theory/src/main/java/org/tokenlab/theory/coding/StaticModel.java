package org.tokenlab.theory.coding;

/**
 * A context-free model: the same table for every symbol. With a byte unigram fitted on training data it
 * is the M1 of the StaticAC baseline (papers.md §3.1).
 */
public final class StaticModel implements ProbabilityModel {
    private final FrequencyTable table;

    /** A model that always answers {@code table}. */
    public StaticModel(FrequencyTable table) {
        this.table = table;
    }

    /**
     * A byte unigram fitted on {@code training} with add-½ smoothing, p(b) = (c(b) + ½) / (n + 128),
     * quantised to {@code precision} bits.
     */
    public static StaticModel fitBytes(byte[] training, int precision) {
        double[] p = new double[256];
        for (byte b : training) {
            p[b & 0xFF] += 1;
        }
        for (int s = 0; s < 256; s++) {
            p[s] += 0.5;
        }
        return new StaticModel(FrequencyTable.quantize(p, precision));
    }

    @Override
    public int alphabetSize() {
        return table.alphabetSize();
    }

    @Override
    public void reset() {
        // no context
    }

    @Override
    public FrequencyTable table() {
        return table;
    }

    @Override
    public void update(int symbol) {
        // no context
    }
}
