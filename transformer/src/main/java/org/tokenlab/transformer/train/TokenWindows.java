package org.tokenlab.transformer.train;

import org.tokenlab.tensor.rng.RandomStream;

/**
 * Random windows over one long token array: each sequence starts at a uniform offset s drawn from a
 * seeded stream, inputs are tokens[s, s+T) and targets tokens[s+1, s+T+1) (nanoGPT's get_batch). The
 * position is the stream position plus a running sequence counter (the sequence ids).
 */
public final class TokenWindows implements BatchSource {
    private final int[] tokens;
    private final int B;
    private final int T;
    private final long streamKey;
    private final long idBase;
    private RandomStream stream;
    private long sequences;

    /**
     * @param tokens the corpus as token ids; needs at least T+1 tokens
     * @param stream the stream the offsets are drawn from (its key is kept for restore)
     * @param idBase added to the running counter to form sequence ids (separates training and eval ids)
     */
    public TokenWindows(int[] tokens, int B, int T, RandomStream stream, long idBase) {
        if (tokens.length < T + 1) {
            throw new IllegalArgumentException("the data has " + tokens.length + " tokens; windows of T=" + T
                    + " need at least " + (T + 1));
        }
        this.tokens = tokens;
        this.B = B;
        this.T = T;
        this.streamKey = stream.key();
        this.stream = stream;
        this.idBase = idBase;
    }

    /** {@code count} fixed evaluation batches: the same windows every call for the same tokens and seed. */
    public static Batch[] fixed(int[] tokens, int B, int T, int count, RandomStream stream, long idBase) {
        TokenWindows w = new TokenWindows(tokens, B, T, stream, idBase);
        Batch[] out = new Batch[count];
        for (int i = 0; i < count; i++) {
            out[i] = w.next();
        }
        return out;
    }

    @Override
    public Batch next() {
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        long[] ids = new long[B];
        int span = tokens.length - T; // starts in [0, N - T - 1] leave room for the last target
        for (int b = 0; b < B; b++) {
            int s = stream.nextInt(span);
            System.arraycopy(tokens, s, in, b * T, T);
            System.arraycopy(tokens, s + 1, tg, b * T, T);
            ids[b] = idBase + sequences++;
        }
        return Batch.of(B, T, in, tg, ids);
    }

    @Override
    public long[] state() {
        return new long[]{stream.position(), sequences};
    }

    @Override
    public void restore(long[] state) {
        if (state.length != 2) {
            throw new IllegalArgumentException("TokenWindows state must have 2 entries, got " + state.length);
        }
        stream = RandomStream.ofKey(streamKey, state[0]);
        sequences = state[1];
    }
}
