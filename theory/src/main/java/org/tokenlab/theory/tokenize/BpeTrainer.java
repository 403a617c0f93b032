package org.tokenlab.theory.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Trains BPE merges on a byte stream with incremental pair counts.
 *
 * <h2>Algorithm</h2>
 * The stream is split into chunks by the {@link Pretokenizer}; distinct chunks are kept once with their
 * frequency as a weight (with {@link Pretokenizer#NONE} the whole stream is one chunk of weight 1). The
 * tokens live in doubly linked lists over one array. For every adjacent pair we keep its weighted count
 * and a list of positions where it started; a max-heap orders pairs by (count desc, left id asc, right
 * id asc) — the deterministic tie-break. Each step pops the best pair, merges its occurrences left to
 * right (skipping stale positions), and updates only the counts of the neighbouring pairs; so a merge
 * costs time proportional to its occurrences, not to the stream. Heap entries are lazy: a popped entry
 * whose count is stale is re-pushed with the current count.
 *
 * <p>Pairs are counted with overlaps ("aaa" has two (a,a) pairs) while merging is left to right without
 * overlap; training stops early, with fewer merges than asked, only when no pair is left.
 */
public final class BpeTrainer {
    private final int alphabetSize;
    private final int[] sym;
    private final int[] next;
    private final int[] prev;
    private final int[] weight;

    private final LongIntMap pairIndex;
    private long[] pairKey = new long[1024];
    private long[] pairCount = new long[1024];
    private IntList[] pairPositions = new IntList[1024];
    private int[] pairStamp = new int[1024]; // last merge step that queued the pair for a heap push
    private int step;
    private int pairs;
    private final PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compareEntries);
    private final IntList touched = new IntList();

    private BpeTrainer(Alphabet alphabet, byte[] data, Pretokenizer pretokenizer) {
        this.alphabetSize = alphabet.size();
        int[] bounds = pretokenizer.boundaries(data);
        // Distinct chunks in order of first occurrence, with their counts.
        Map<String, int[]> chunks = new LinkedHashMap<>();
        int total = 0;
        if (pretokenizer == Pretokenizer.NONE) {
            total = data.length;
        } else {
            for (int c = 0; c + 1 < bounds.length; c++) {
                String key = new String(data, bounds[c], bounds[c + 1] - bounds[c], StandardCharsets.ISO_8859_1);
                int[] count = chunks.computeIfAbsent(key, k -> new int[1]);
                if (count[0]++ == 0) {
                    total += key.length();
                }
            }
        }
        sym = new int[total];
        next = new int[total];
        prev = new int[total];
        weight = new int[total];
        if (pretokenizer == Pretokenizer.NONE) {
            fill(data, 0, 0, data.length, 1, alphabet);
        } else {
            int offset = 0;
            for (Map.Entry<String, int[]> e : chunks.entrySet()) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                fill(bytes, 0, offset, bytes.length, e.getValue()[0], alphabet);
                offset += bytes.length;
            }
        }
        pairIndex = new LongIntMap(1024);
        for (int i = 0; i < total; i++) {
            if (next[i] >= 0) {
                add(sym[i], sym[next[i]], weight[i], i);
            }
        }
        for (int p = 0; p < pairs; p++) {
            heap.add(new long[] {pairCount[p], pairKey[p]});
        }
    }

    private void fill(byte[] bytes, int from, int offset, int length, int w, Alphabet alphabet) {
        for (int k = 0; k < length; k++) {
            int i = offset + k;
            sym[i] = alphabet.require(bytes, from + k);
            next[i] = k + 1 < length ? i + 1 : -1;
            prev[i] = k > 0 ? i - 1 : -1;
            weight[i] = w;
        }
    }

    /**
     * Learns up to {@code merges} merges on {@code data}.
     *
     * @param alphabet     base symbols; every byte of {@code data} must be in it
     * @param pretokenizer chunking applied before counting pairs (and by the returned tokenizer)
     */
    public static BpeTokenizer train(byte[] data, int merges, Alphabet alphabet, Pretokenizer pretokenizer) {
        if (merges < 0) {
            throw new IllegalArgumentException("merges " + merges + " < 0");
        }
        BpeTrainer t = new BpeTrainer(alphabet, data, pretokenizer);
        int[][] learned = new int[merges][];
        int r = 0;
        while (r < merges) {
            long key = t.popBest();
            if (key < 0) {
                break;
            }
            int left = (int) (key >>> 32);
            int right = (int) key;
            t.merge(left, right, alphabet.size() + r);
            learned[r++] = new int[] {left, right};
        }
        return new BpeTokenizer(alphabet, Arrays.copyOf(learned, r), pretokenizer);
    }

    /** {@link #train} to a vocabulary of {@code vocabSize} = alphabet size + merges (the "dictionary size d"). */
    public static BpeTokenizer trainToVocab(byte[] data, int vocabSize, Alphabet alphabet, Pretokenizer pretokenizer) {
        if (vocabSize < alphabet.size()) {
            throw new IllegalArgumentException("vocabulary " + vocabSize + " smaller than the alphabet of " + alphabet.size());
        }
        return train(data, vocabSize - alphabet.size(), alphabet, pretokenizer);
    }

    private static int compareEntries(long[] a, long[] b) {
        int c = Long.compare(b[0], a[0]); // higher count first
        return c != 0 ? c : Long.compare(a[1], b[1]); // then smaller (left, right)
    }

    /** The best pair's key, or −1 when no pair is left. */
    private long popBest() {
        while (!heap.isEmpty()) {
            long[] e = heap.poll();
            int p = pairIndex.get(e[1], -1);
            long current = pairCount[p];
            if (current == e[0] && current > 0) {
                return e[1];
            }
            if (current > 0 && current < e[0]) {
                heap.add(new long[] {current, e[1]}); // count fell since the push
            }
        }
        return -1;
    }

    private void merge(int a, int b, int z) {
        int p0 = pairIndex.get(BpeTokenizer.pairKey(a, b), -1);
        int[] positions = pairPositions[p0].toArray();
        pairPositions[p0] = new IntList(1);
        Arrays.sort(positions); // left to right, as the encoder does
        touched.clear();
        step++;
        for (int i : positions) {
            int j = next[i];
            if (sym[i] != a || j < 0 || sym[j] != b) {
                continue; // stale: an earlier merge in this pass or before consumed it
            }
            int w = weight[i];
            int p = prev[i];
            int nn = next[j];
            if (p >= 0) {
                add(sym[p], a, -w, -1);
            }
            if (nn >= 0) {
                add(b, sym[nn], -w, -1);
            }
            add(a, b, -w, -1);
            sym[i] = z;
            sym[j] = -1;
            next[i] = nn;
            if (nn >= 0) {
                prev[nn] = i;
                touch(add(z, sym[nn], w, i));
            }
            if (p >= 0) {
                touch(add(sym[p], z, w, p));
            }
        }
        for (int k = 0; k < touched.size(); k++) {
            int p = touched.get(k);
            heap.add(new long[] {pairCount[p], pairKey[p]});
        }
    }

    /** Queues pair {@code p} for one heap push at the end of this merge step. */
    private void touch(int p) {
        if (pairStamp[p] != step) {
            pairStamp[p] = step;
            touched.add(p);
        }
    }

    /** Adds {@code delta} to the count of (left, right); records {@code position} when ≥ 0. Returns the pair index. */
    private int add(int left, int right, int delta, int position) {
        long key = BpeTokenizer.pairKey(left, right);
        int p = pairIndex.get(key, -1);
        if (p < 0) {
            if (pairs == pairKey.length) {
                pairKey = Arrays.copyOf(pairKey, pairs * 2);
                pairCount = Arrays.copyOf(pairCount, pairs * 2);
                pairPositions = Arrays.copyOf(pairPositions, pairs * 2);
                pairStamp = Arrays.copyOf(pairStamp, pairs * 2);
            }
            p = pairs++;
            pairIndex.put(key, p);
            pairKey[p] = key;
            pairPositions[p] = new IntList(4);
        }
        pairCount[p] += delta;
        if (position >= 0) {
            pairPositions[p].add(position);
        }
        return p;
    }
}
