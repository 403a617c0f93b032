package org.tokenlab.theory.tokenize;

/**
 * A byte trie mapping strings to token ids, for greedy longest-match encoding. Node 0 is the root;
 * children live in one hash table keyed by (node << 8 | byte).
 */
final class Trie {
    private final LongIntMap children = new LongIntMap(1024);
    private int[] tokenAt = new int[1024]; // node -> token id or -1
    private int nodes = 1;

    Trie() {
        tokenAt[0] = -1;
    }

    /** The child of {@code node} along byte {@code b}, or −1. */
    int child(int node, byte b) {
        return children.get((long) node << 8 | (b & 0xFF), -1);
    }

    /** The token id ending at {@code node}, or −1. */
    int token(int node) {
        return tokenAt[node];
    }

    /** Inserts {@code bytes[from, to)} with id {@code id}; returns false if the string was already present. */
    boolean insert(byte[] bytes, int from, int to, int id) {
        int node = 0;
        for (int i = from; i < to; i++) {
            int c = child(node, bytes[i]);
            if (c < 0) {
                c = nodes++;
                if (c == tokenAt.length) {
                    tokenAt = java.util.Arrays.copyOf(tokenAt, c * 2);
                }
                tokenAt[c] = -1;
                children.put((long) node << 8 | (bytes[i] & 0xFF), c);
            }
            node = c;
        }
        if (tokenAt[node] >= 0) {
            return false;
        }
        tokenAt[node] = id;
        return true;
    }

    /** Length of the longest dictionary string starting at {@code data[from]}, or 0; its id in {@code idOut[0]}. */
    int longestMatch(byte[] data, int from, int[] idOut) {
        int node = 0;
        int best = 0;
        for (int i = from; i < data.length; i++) {
            node = child(node, data[i]);
            if (node < 0) {
                break;
            }
            if (tokenAt[node] >= 0) {
                best = i - from + 1;
                idOut[0] = tokenAt[node];
            }
        }
        return best;
    }
}
