package org.tokenlab.transformer.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An index of every contiguous token subsequence of a set of reference sequences (a generalised suffix
 * automaton). It answers, in time linear in the query:
 * <ul>
 *   <li>{@link #longestMatch}: the longest run of a query that occurs verbatim in some reference
 *       (memorisation controls, papers.md §1.3);</li>
 *   <li>{@link #continuations}: the tokens that follow a given context somewhere in the references
 *       (the n-gram citation blocker).</li>
 * </ul>
 * References are joined with unique negative separators, so no match crosses two references. Token ids
 * must be non-negative.
 */
public final class SubstringIndex {
    private final List<Map<Integer, Integer>> next = new ArrayList<>();
    private int[] len = new int[16];
    private int[] link = new int[16];
    private int size;
    private int last;

    /** Indexes the given sequences (each token id ≥ 0). */
    public SubstringIndex(List<int[]> references) {
        newState(0, -1);
        last = 0;
        for (int r = 0; r < references.size(); r++) {
            int[] ref = references.get(r);
            for (int i = 0; i < ref.length; i++) {
                if (ref[i] < 0) {
                    throw new IllegalArgumentException("reference " + r + " has a negative token id at " + i);
                }
                extend(ref[i]);
            }
            extend(-1 - r); // a separator no query can match
        }
    }

    /** The length of the longest contiguous run of {@code query} that occurs in a reference. */
    public int longestMatch(int[] query) {
        int state = 0;
        int matched = 0;
        int best = 0;
        for (int t : query) {
            while (state != 0 && !next.get(state).containsKey(t)) {
                state = link[state];
                matched = len[state];
            }
            Integer to = next.get(state).get(t);
            if (to != null) {
                state = to;
                matched++;
            } else {
                state = 0;
                matched = 0;
            }
            best = Math.max(best, matched);
        }
        return best;
    }

    /** Whether {@code seq[from..to)} occurs contiguously in some reference (the empty run always does). */
    public boolean contains(int[] seq, int from, int to) {
        return walk(seq, from, to) >= 0;
    }

    /**
     * The sorted distinct tokens t ≥ 0 such that {@code seq[from..to)} followed by t occurs in a reference;
     * empty when the context itself does not occur.
     */
    public int[] continuations(int[] seq, int from, int to) {
        int state = walk(seq, from, to);
        if (state < 0) {
            return new int[0];
        }
        return next.get(state).keySet().stream().mapToInt(Integer::intValue).filter(t -> t >= 0).sorted().toArray();
    }

    private int walk(int[] seq, int from, int to) {
        int state = 0;
        for (int i = from; i < to; i++) {
            Integer s = next.get(state).get(seq[i]);
            if (s == null) {
                return -1;
            }
            state = s;
        }
        return state;
    }

    private int newState(int length, int suffixLink) {
        if (size == len.length) {
            len = Arrays.copyOf(len, size * 2);
            link = Arrays.copyOf(link, size * 2);
        }
        len[size] = length;
        link[size] = suffixLink;
        next.add(new HashMap<>(4));
        return size++;
    }

    /** The standard online suffix-automaton extension by one symbol. */
    private void extend(int c) {
        int cur = newState(len[last] + 1, 0);
        int p = last;
        while (p != -1 && !next.get(p).containsKey(c)) {
            next.get(p).put(c, cur);
            p = link[p];
        }
        if (p != -1) {
            int q = next.get(p).get(c);
            if (len[p] + 1 == len[q]) {
                link[cur] = q;
            } else {
                int clone = newState(len[p] + 1, link[q]);
                next.get(clone).putAll(next.get(q));
                while (p != -1 && next.get(p).get(c) == q) {
                    next.get(p).put(c, clone);
                    p = link[p];
                }
                link[q] = clone;
                link[cur] = clone;
            }
        }
        last = cur;
    }
}
