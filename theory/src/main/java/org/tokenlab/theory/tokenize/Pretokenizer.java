package org.tokenlab.theory.tokenize;

/**
 * How a byte stream is split into chunks before BPE: merges never cross a chunk boundary, and the
 * trainer counts pairs over distinct chunks weighted by their frequency (so English text trains fast).
 */
public enum Pretokenizer {
    /** The whole input is one chunk (Markov streams, which have no spaces). */
    NONE("none"),
    /** A new chunk starts at every whitespace byte (space, tab, CR, LF): "a cat." → "a", " cat.". */
    WHITESPACE("whitespace");

    private final String id;

    Pretokenizer(String id) {
        this.id = id;
    }

    /** The name used in BPE JSON files. */
    public String id() {
        return id;
    }

    /** The pretokenizer named {@code id}, or {@code null}. */
    public static Pretokenizer byId(String id) {
        for (Pretokenizer p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** Chunk boundaries of {@code data}: starts of each chunk followed by {@code data.length}. */
    public int[] boundaries(byte[] data) {
        IntList b = new IntList(this == NONE ? 2 : data.length / 4 + 2);
        if (data.length > 0) {
            b.add(0);
        }
        if (this == WHITESPACE) {
            for (int i = 1; i < data.length; i++) {
                if (isWhitespace(data[i])) {
                    b.add(i);
                }
            }
        }
        b.add(data.length);
        return b.toArray();
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }
}
