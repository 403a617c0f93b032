package org.tokenlab.theory.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The naive BPE, kept frozen as the reference for {@link BpeTrainer} and {@link BpeTokenizer}: each
 * merge recounts every pair of every chunk (O(n) per merge) and rewrites the chunks left to right.
 * Same counting (overlapping, weighted by chunk), same tie-break, same pretokenizer: it must produce the
 * identical merges and tokens. Use it for small inputs only.
 */
public final class BpeReference {
    private BpeReference() {
    }

    /** Merges learned by the naive algorithm. */
    public static int[][] trainMerges(byte[] data, int merges, Alphabet alphabet, Pretokenizer pretokenizer) {
        List<int[]> chunks = chunks(data, alphabet, pretokenizer);
        List<int[]> learned = new ArrayList<>();
        for (int r = 0; r < merges; r++) {
            java.util.Map<Long, Long> counts = new java.util.HashMap<>();
            for (int[] c : chunks) {
                for (int i = 0; i + 1 < c.length; i++) {
                    counts.merge(BpeTokenizer.pairKey(c[i], c[i + 1]), 1L, Long::sum);
                }
            }
            long bestKey = -1;
            long bestCount = 0;
            for (var e : counts.entrySet()) {
                long k = e.getKey();
                long n = e.getValue();
                if (n > bestCount || (n == bestCount && k < bestKey)) {
                    bestKey = k;
                    bestCount = n;
                }
            }
            if (bestKey < 0) {
                break;
            }
            int left = (int) (bestKey >>> 32);
            int right = (int) bestKey;
            int z = alphabet.size() + r;
            chunks.replaceAll(c -> apply(c, left, right, z));
            learned.add(new int[] {left, right});
        }
        return learned.toArray(new int[0][]);
    }

    /** Tokens of {@code data}: every merge applied in rank order to every chunk, left to right. */
    public static int[] encode(byte[] data, Alphabet alphabet, int[][] merges, Pretokenizer pretokenizer) {
        List<int[]> chunks = chunks(data, alphabet, pretokenizer);
        for (int r = 0; r < merges.length; r++) {
            int left = merges[r][0];
            int right = merges[r][1];
            int z = alphabet.size() + r;
            chunks.replaceAll(c -> apply(c, left, right, z));
        }
        return chunks.stream().flatMapToInt(Arrays::stream).toArray();
    }

    private static List<int[]> chunks(byte[] data, Alphabet alphabet, Pretokenizer pretokenizer) {
        int[] bounds = pretokenizer.boundaries(data);
        List<int[]> chunks = new ArrayList<>();
        for (int c = 0; c + 1 < bounds.length; c++) {
            int[] ids = new int[bounds[c + 1] - bounds[c]];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = alphabet.require(data, bounds[c] + i);
            }
            chunks.add(ids);
        }
        return chunks;
    }

    private static int[] apply(int[] c, int left, int right, int z) {
        int[] out = new int[c.length];
        int n = 0;
        for (int i = 0; i < c.length; i++) {
            if (i + 1 < c.length && c[i] == left && c[i + 1] == right) {
                out[n++] = z;
                i++;
            } else {
                out[n++] = c[i];
            }
        }
        return Arrays.copyOf(out, n);
    }
}
