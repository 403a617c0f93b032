package org.tokenlab.transformer.sample;

/** A hook that forbids some next tokens given the sequence so far (prompt and generated tokens). */
@FunctionalInterface
public interface TokenBan {

    /** A hook that bans nothing. */
    TokenBan NONE = (seq, len, banned) -> { };

    /**
     * Sets {@code banned[v] = true} for every token v that must not follow {@code seq[0..len)}.
     * Entries already true stay true.
     */
    void ban(int[] seq, int len, boolean[] banned);
}
