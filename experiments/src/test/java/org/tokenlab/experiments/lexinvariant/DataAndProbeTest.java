package org.tokenlab.experiments.lexinvariant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.transformer.train.Batch;

/** The character data, ciphers, the frequency-rank baseline, the semi-lexinvariant swap and the task generator. */
class DataAndProbeTest {

    @Test
    void alphabetEncodesAndRejectsUnknownBytes() {
        CharText c = new CharText("abcab".getBytes(StandardCharsets.US_ASCII));
        assertEquals(3, c.vocabSize());
        assertArrayEquals(new int[]{0, 1, 2, 0}, c.encode("abca".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> c.encode("abz".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void cipherIsAPermutationAndWindowsAreFixed() {
        int[] perm = CharText.permutation(10, RandomStream.root(1));
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertArrayEquals(new int[]{perm[3], perm[3], perm[1]}, CharText.cipher(new int[]{3, 3, 1}, perm));
        int[] ids = new int[100];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        int[][] w = CharText.windows(ids, 9, 4);
        assertEquals(0, w[0][0]);
        assertEquals(99, w[3][9], "the last window ends at the last id");
        Batch[] b = CharText.batches(w, 3, 50);
        assertEquals(2, b.length);
        assertEquals(1, b[1].B());
        assertEquals(w[0][1], b[0].targets()[0]);
        assertEquals(53, b[1].sequenceIds()[0]);
    }

    @Test
    void frequencyRankBaselineDecipersWhenRanksAgree() {
        // plaintext: 'a' (0) most frequent globally, then 'b' (1), then 'c' (2)
        long[] global = {50, 30, 10};
        int[][] plain = {{0, 0, 1, 0, 2, 1, 0}};
        int[][] cipher = {CharText.cipher(plain[0], new int[]{2, 0, 1})};
        double[] acc = DecipherProbe.frequencyRankAccuracy(plain, cipher, global, 7);
        // t=1: one symbol seen, rank 0 → 'a' correct; t=3 first 'b': its rank is 1 → correct ...
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1, 1}, acc);
        int[][] inverted = {{2, 2, 1, 2, 0, 1, 2}}; // 'c' most frequent here: rank 0 maps to 'a', wrong
        double[] acc2 = DecipherProbe.frequencyRankAccuracy(inverted, inverted, global, 7);
        assertEquals(0.0, acc2[0]);
    }

    @Test
    void semiSwapReplacesWholeTypesAndKeepsTargets() {
        int V = 20;
        int T = 40;
        int[] in = new int[T];
        for (int t = 0; t < T; t++) {
            in[t] = t % V;
        }
        Batch b = Batch.of(1, T, in, in.clone(), new long[]{0});
        Batch s = LexModel.swapTypes(b, V, 10, 0.5, RandomStream.root(3));
        int swapped = 0;
        for (int t = 0; t < T; t++) {
            int x = s.inputs()[t];
            assertEquals(x, s.inputs()[(t + V) % T], "a type is swapped everywhere or nowhere");
            if (x >= V) {
                swapped++;
                assertTrue(x < V + 10);
            } else {
                assertEquals(in[t], x);
            }
        }
        assertTrue(swapped > 0 && swapped < T, "p = 0.5 swaps some types: " + swapped);
        assertArrayEquals(b.targets(), s.targets());
    }

    @Test
    void taskInstancesAreSolvableAndUseTheirPool() {
        RandomStream r = RandomStream.root(5);
        SyntheticTasks.Instance lk = SyntheticTasks.instance(0, 0, r.child(0));
        int[] t = lk.tokens();
        int key = t[lk.answerStart() - 2];
        int answer = t[lk.answerStart()];
        boolean found = false;
        for (int i = 1; i < 17; i += 2) {
            found |= t[i] == key && t[i + 1] == answer;
        }
        assertTrue(found, "the LookUp answer is the value of the queried key");
        SyntheticTasks.Instance rv = SyntheticTasks.instance(1, SyntheticTasks.POOL, r.child(1));
        int m = rv.answerStart() - 2;
        for (int i = 0; i < m; i++) {
            assertEquals(rv.tokens()[1 + i], rv.tokens()[rv.answerStart() + m - 1 - i]);
            assertTrue(rv.tokens()[1 + i] >= SyntheticTasks.POOL && rv.tokens()[1 + i] < SyntheticTasks.SYMBOLS, "pool B");
        }
        SyntheticTasks.Packed p = SyntheticTasks.pack(64, 0, r.child(2));
        Batch b = SyntheticTasks.batch(new SyntheticTasks.Packed[]{p}, 0);
        int targets = b.countTargets();
        assertTrue(targets > 0 && targets < 64, "loss only on answer tokens: " + targets);
    }
}
