package org.tokenlab.experiments.equalinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.theory.coding.EqualInfoWindows;
import org.tokenlab.theory.coding.FrequencyTable;
import org.tokenlab.transformer.model.Gpt;

/**
 * The transformer M1 is exact: position j's logits do not depend on what follows j, on the sequence
 * length or on the batch, so the encoder (whole windows, speculative) and the decoder (known prefix only)
 * build the same tables, and every chunk round-trips.
 */
class ByteTransformerTest {
    private static final ByteTransformer M1 = new ByteTransformer(new Gpt(ByteTransformer.config(), 7));

    private static int[] bytes(long seed, int n) {
        RandomStream r = RandomStream.root(seed);
        int[] x = new int[n];
        for (int i = 0; i < n; i++) { // a skewed alphabet, so windows hold several bytes
            x[i] = "etaoin shrdlu".charAt(r.nextInt(13));
        }
        return x;
    }

    private static float[] row(float[] logits, int t) {
        return Arrays.copyOfRange(logits, t * ByteTransformer.V, (t + 1) * ByteTransformer.V);
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": logit " + i + " differs: " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    @Test
    void positionJIsTheSameFloatsWithPadsAShorterSequenceOrOtherRowsInTheBatch() {
        int T = ByteTransformer.T;
        int[] x = bytes(1, T - 1);
        float[] full = M1.logits(TransformerCoder.sequence(x, 0, T), 1, T);
        for (int j : new int[] {0, 1, 5, 31, 62, 63}) {
            int[] prefix = Arrays.copyOf(x, j);
            float[] padded = M1.logits(TransformerCoder.sequence(prefix, 0, T), 1, T);
            assertBitwise(row(full, j), row(padded, j), "prefix + pads, j=" + j);
            float[] shorter = M1.logits(TransformerCoder.sequence(prefix, 0, j + 1), 1, j + 1);
            assertBitwise(row(full, j), row(shorter, j), "length j+1, j=" + j);
            int[] batch = new int[3 * T]; // the prefix in the middle of two other sequences
            System.arraycopy(TransformerCoder.sequence(bytes(2, T), 0, T), 0, batch, 0, T);
            System.arraycopy(TransformerCoder.sequence(prefix, 0, T), 0, batch, T, T);
            System.arraycopy(TransformerCoder.sequence(bytes(3, T), 0, T), 0, batch, 2 * T, T);
            float[] b3 = M1.logits(batch, 3, T);
            assertBitwise(row(full, j), row(b3, T + j), "batch of 3, j=" + j);
        }
        // one position at a time through a KV cache (AC's decoder), beside another sequence
        var cache = M1.newCache(2);
        int[] seq = TransformerCoder.sequence(x, 0, T);
        int[] other = TransformerCoder.sequence(bytes(8, T), 0, T);
        for (int j = 0; j < T; j++) {
            float[] step = M1.step(new int[] {other[j], seq[j]}, cache);
            assertBitwise(row(full, j), row(step, 1), "KV cache, j=" + j);
        }
    }

    @Test
    void tablesAreAQuantisedSoftmaxOverTheBytesOnly() {
        float[] logits = new float[ByteTransformer.V];
        logits[ByteTransformer.BOS] = 100f; // BOS is never a target
        logits['a'] = 5f;
        FrequencyTable t = ByteTransformer.table(logits, 0, 14);
        assertEquals(256, t.alphabetSize());
        assertTrue(t.probability('a') > 0.3, "p(a) = " + t.probability('a'));
        assertEquals(t.frequency('b'), t.frequency('c'));
    }

    @Test
    void encoderAndDecoderTablesAgreeAndEveryChunkRoundTrips() {
        TransformerCoder coder = new TransformerCoder(M1, 14, "untrained");
        List<int[]> chunks = List.of(bytes(4, 300), bytes(5, 150), bytes(6, 1));
        // the encoder's speculative table at each position equals the decoder's from the prefix alone
        TransformerCoder.ChunkModel spec = coder.new ChunkModel(chunks.get(0));
        List<int[]> contexts = new ArrayList<>();
        List<FrequencyTable> encoderTables = new ArrayList<>();
        spec.reset();
        for (int i = 0; i < 130; i++) {
            encoderTables.add(spec.table());
            contexts.add(Arrays.copyOfRange(chunks.get(0), i / 64 * 64, i));
            spec.update(chunks.get(0)[i]);
        }
        List<FrequencyTable> decoderTables = coder.nextTables(contexts);
        for (int i = 0; i < contexts.size(); i++) {
            for (int s = 0; s < 256; s++) {
                assertEquals(encoderTables.get(i).cumulative(s), decoderTables.get(i).cumulative(s), "position " + i);
            }
        }
        int[] lengths = chunks.stream().mapToInt(x -> x.length).toArray();
        M1Coder.Ac ac = coder.ac(chunks);
        List<int[]> back = coder.decodeAc(ac.codes(), lengths);
        for (int i = 0; i < chunks.size(); i++) {
            assertArrayEquals(chunks.get(i), back.get(i), "AC chunk " + i);
            assertTrue(ac.codes().get(i).length() > 0);
        }
        double ideal = 0; // the sequential reference: one table per symbol from the model
        for (int[] x : chunks) {
            ideal += coder.new ChunkModel(x).idealBits(x);
        }
        assertEquals(ideal, ac.idealBits(), 1e-9);
        long bits = ac.codes().stream().mapToLong(c -> c.length()).sum();
        assertTrue(Math.abs(bits - ac.idealBits()) <= 2 * chunks.size(), bits + " bits vs ideal " + ac.idealBits());
        for (int w : new int[] {16, 64}) {
            List<EqualInfoWindows.Encoded> eq = coder.equalInfo(chunks, w);
            List<int[]> eqBack = coder.decodeEqualInfo(eq);
            for (int i = 0; i < chunks.size(); i++) {
                assertArrayEquals(chunks.get(i), eqBack.get(i), "EqualInfoAC[" + w + "] chunk " + i);
                // the batched encoder writes what the sequential one writes with the decoder's model
                assertEquals(eq.get(i).bits(), EqualInfoWindows.encode(coder.new ChunkModel(chunks.get(i)),
                        chunks.get(i), w).bits());
            }
        }
    }

    @Test
    void aSpeculativeModelRefusesBytesOfAnotherText() {
        TransformerCoder coder = new TransformerCoder(M1, 14, "untrained");
        TransformerCoder.ChunkModel m = coder.new ChunkModel(new int[] {'a', 'b'});
        m.reset();
        m.update('a');
        assertThrows(IllegalStateException.class, () -> m.update('x'));
    }
}
