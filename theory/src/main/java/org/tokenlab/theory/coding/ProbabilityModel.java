package org.tokenlab.theory.coding;

/**
 * A sequential model of the next symbol, as the arithmetic coder consumes it.
 *
 * <p>Protocol (the same on both sides of the coder, which is what makes decoding exact):
 * <pre>
 *   model.reset();                       // empty context: start of a chunk or of an equal-info window
 *   for each symbol x:
 *       FrequencyTable t = model.table(); // p̂(· | symbols since reset), β-bit counts
 *       code x with t;
 *       model.update(x);                  // append x to the context
 * </pre>
 * {@link #table()} must be a deterministic function of the symbols passed to {@link #update} since the
 * last {@link #reset}. Implementations built from floating-point probabilities quantise them with
 * {@link FrequencyTable#quantize(double[], int)}, which is deterministic.
 */
public interface ProbabilityModel {
    /** Number of symbols A; symbols are {@code 0..A-1}. */
    int alphabetSize();

    /** Forgets the context. */
    void reset();

    /** The quantised distribution of the next symbol given the context. */
    FrequencyTable table();

    /** Appends {@code symbol} to the context. */
    void update(int symbol);

    /** −log₂ p̂(symbols) under this model from an empty context: the ideal code length in bits. */
    default double idealBits(int[] symbols) {
        reset();
        double bits = 0;
        for (int x : symbols) {
            bits += table().bits(x);
            update(x);
        }
        return bits;
    }
}
