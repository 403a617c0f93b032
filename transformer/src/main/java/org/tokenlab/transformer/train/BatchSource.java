package org.tokenlab.transformer.train;

/**
 * A deterministic, resumable stream of training batches: its whole position is a few longs, which
 * checkpoints store so that a resumed run reads exactly the batches an uninterrupted run would.
 */
public interface BatchSource {

    /** The next batch. */
    Batch next();

    /** The position (to store in a checkpoint). */
    long[] state();

    /** Moves to a position previously returned by {@link #state()}. */
    void restore(long[] state);
}
