package org.tokenlab.theory.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Byte-pair encoding: a base {@link Alphabet} (ids {@code 0..A-1}) plus an ordered list of merges;
 * merge r joins tokens (left, right) into the new token {@code A + r}. V = A + merges.
 *
 * <p>Encoding applies merges by rank: repeatedly the lowest-ranked pair present is merged, leftmost
 * occurrence first — the same segmentation the trainer produced on its training stream, because a merge
 * only creates pairs of higher rank. It runs in O(n log n) per chunk (rank buckets of positions).
 * With the all-bytes alphabet (the default) every byte string round-trips ("byte fallback": a byte no
 * merge covers stays its own token). With a smaller alphabet, a byte outside it is an error naming the
 * byte and position. Thread-safe: encoding keeps its scratch state per call (the chunk cache is concurrent).
 */
public final class BpeTokenizer implements Tokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final Alphabet alphabet;
    private final int[][] merges;          // merges[r] = {left, right}
    private final Pretokenizer pretokenizer;
    private final LongIntMap rankOf;       // (left << 32 | right) -> r
    private final byte[][] tokenBytes;     // id -> bytes
    private final Map<String, int[]> chunkCache = new ConcurrentHashMap<>();

    /**
     * A tokenizer from its parts; merges must reference only earlier ids and be distinct.
     *
     * @throws IllegalArgumentException naming the bad merge
     */
    public BpeTokenizer(Alphabet alphabet, int[][] merges, Pretokenizer pretokenizer) {
        this.alphabet = alphabet;
        this.merges = new int[merges.length][];
        this.pretokenizer = pretokenizer;
        int a = alphabet.size();
        this.rankOf = new LongIntMap(merges.length + 1);
        this.tokenBytes = new byte[a + merges.length][];
        for (int i = 0; i < a; i++) {
            tokenBytes[i] = new byte[] {alphabet.symbol(i)};
        }
        for (int r = 0; r < merges.length; r++) {
            int[] m = merges[r];
            if (m == null || m.length != 2) {
                throw new IllegalArgumentException("merge " + r + " must be a pair [left, right]");
            }
            for (int side = 0; side < 2; side++) {
                if (m[side] < 0 || m[side] >= a + r) {
                    throw new IllegalArgumentException("merge " + r + " refers to token " + m[side] + ", not an id < " + (a + r));
                }
            }
            long key = pairKey(m[0], m[1]);
            if (rankOf.get(key, -1) >= 0) {
                throw new IllegalArgumentException("merge " + r + " repeats merge " + rankOf.get(key, -1) + " " + Arrays.toString(m));
            }
            rankOf.put(key, r);
            this.merges[r] = m.clone();
            byte[] left = tokenBytes[m[0]];
            byte[] right = tokenBytes[m[1]];
            byte[] joined = Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            tokenBytes[a + r] = joined;
        }
    }

    static long pairKey(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    /** The base alphabet. */
    public Alphabet alphabet() {
        return alphabet;
    }

    /** A copy of the merges, in rank order. */
    public int[][] merges() {
        int[][] copy = new int[merges.length][];
        for (int r = 0; r < merges.length; r++) {
            copy[r] = merges[r].clone();
        }
        return copy;
    }

    /**
     * The tokenizer of the first {@code count} merges. BPE vocabularies are nested, so this is exactly
     * what training with {@code count} merges would have produced: one training serves a whole sweep.
     */
    public BpeTokenizer truncated(int count) {
        if (count < 0 || count > merges.length) {
            throw new IllegalArgumentException("merge count " + count + " outside [0, " + merges.length + "]");
        }
        return new BpeTokenizer(alphabet, Arrays.copyOf(merges, count), pretokenizer);
    }

    /** Number of merges. */
    public int mergeCount() {
        return merges.length;
    }

    /** The pretokenizer the merges were trained with. */
    public Pretokenizer pretokenizer() {
        return pretokenizer;
    }

    /** The bytes of token {@code id}. */
    public byte[] tokenBytes(int id) {
        return tokenBytes[id].clone();
    }

    @Override
    public int[] encode(byte[] bytes) {
        int[] bounds = pretokenizer.boundaries(bytes);
        IntList out = new IntList(bytes.length / 2 + 1);
        for (int c = 0; c + 1 < bounds.length; c++) {
            int start = bounds[c];
            int end = bounds[c + 1];
            int[] ids;
            if (pretokenizer == Pretokenizer.NONE) {
                ids = encodeChunk(bytes, start, end);
            } else {
                String key = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
                ids = chunkCache.get(key);
                if (ids == null) {
                    ids = encodeChunk(bytes, start, end);
                    if (chunkCache.size() >= CACHE_LIMIT) {
                        chunkCache.clear();
                    }
                    chunkCache.put(key, ids);
                }
            }
            for (int id : ids) {
                out.add(id);
            }
        }
        return out.toArray();
    }

    /**
     * Merges by rank inside {@code bytes[start, end)}. Tokens form a linked list; bucket r holds the
     * positions where pair r may start. Ranks are processed in increasing order, each bucket sorted so
     * that occurrences merge left to right; a merge only creates pairs of higher rank, which go to later
     * buckets. Stale positions (consumed by an earlier merge) fail the pair check and are skipped.
     */
    private int[] encodeChunk(byte[] bytes, int start, int end) {
        int n = end - start;
        int[] sym = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = alphabet.require(bytes, start + i);
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        IntList[] buckets = new IntList[merges.length];
        for (int i = 0; i + 1 < n; i++) {
            addToBucket(buckets, sym[i], sym[i + 1], i);
        }
        int a = alphabet.size();
        for (int r = 0; r < merges.length; r++) {
            if (buckets[r] == null) {
                continue;
            }
            int[] positions = buckets[r].toArray();
            buckets[r] = null;
            Arrays.sort(positions);
            int left = merges[r][0];
            int right = merges[r][1];
            int z = a + r;
            for (int i : positions) {
                int j = next[i];
                if (sym[i] != left || j < 0 || sym[j] != right) {
                    continue;
                }
                int nn = next[j];
                sym[i] = z;
                sym[j] = -1;
                next[i] = nn;
                if (nn >= 0) {
                    prev[nn] = i;
                    addToBucket(buckets, z, sym[nn], i);
                }
                int p = prev[i];
                if (p >= 0) {
                    addToBucket(buckets, sym[p], z, p);
                }
            }
        }
        IntList ids = new IntList(n);
        for (int i = 0; i >= 0 && n > 0; i = next[i]) { // position 0 is never removed: merges keep the left end
            ids.add(sym[i]);
        }
        return ids.toArray();
    }

    private void addToBucket(IntList[] buckets, int left, int right, int position) {
        int r = rankOf.get(pairKey(left, right), -1);
        if (r >= 0) {
            if (buckets[r] == null) {
                buckets[r] = new IntList(4);
            }
            buckets[r].add(position);
        }
    }

    @Override
    public byte[] decode(int[] tokens) {
        int total = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= tokenBytes.length) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i + " outside [0, " + tokenBytes.length + ")");
            }
            total += tokenBytes[tokens[i]].length;
        }
        byte[] out = new byte[total];
        int k = 0;
        for (int t : tokens) {
            System.arraycopy(tokenBytes[t], 0, out, k, tokenBytes[t].length);
            k += tokenBytes[t].length;
        }
        return out;
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    @Override
    public String name() {
        return "bpe-" + vocabSize();
    }
}
