package org.tokenlab.transformer.train;

/**
 * Where a run is, besides its weights and optimiser buffers: what a checkpoint needs to continue
 * exactly. Dropout masks and lexinvariant matrices are pure functions of the seed, the step and the
 * sequence id, so they need no stored position.
 *
 * @param step           optimiser steps completed
 * @param tokens         training tokens processed (target positions)
 * @param dataState      the {@link BatchSource} position
 * @param elapsedSeconds wall time spent training so far, across resumes
 */
public record TrainState(int step, long tokens, long[] dataState, double elapsedSeconds) {
}
