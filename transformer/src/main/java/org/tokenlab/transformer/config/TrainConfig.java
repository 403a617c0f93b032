package org.tokenlab.transformer.config;

import org.tokenlab.tensor.optim.LrSchedule;

/**
 * How to train: batch, steps, optimiser (AdamW), learning-rate schedule, clipping, evaluation and
 * checkpoint cadence, and the run seed.
 *
 * @param batchSize       B, sequences per micro-batch
 * @param gradAccum       micro-batches per optimiser step (the effective batch is B·gradAccum)
 * @param steps           optimiser steps
 * @param lr              peak learning rate
 * @param minLr           final learning rate of the decay (COSINE, WSD)
 * @param warmupSteps     linear warm-up steps from 0 to lr
 * @param schedule        learning-rate schedule after warm-up
 * @param decayFraction   WSD: the fraction of steps spent in the final decay
 * @param weightDecay     AdamW decoupled weight decay, applied to matrices (2-D weights) only
 * @param beta1           AdamW β1
 * @param beta2           AdamW β2
 * @param adamEps         AdamW ε
 * @param gradClip        clip the global gradient norm to this value; 0 disables clipping
 * @param evalEvery       evaluate every this many steps (and at the end); 0 disables
 * @param evalBatches     batches per evaluation
 * @param checkpointEvery write a checkpoint every this many steps (and at the end); 0 = only at the end
 * @param keepCheckpoints how many recent checkpoints to keep
 * @param logEvery        print a progress line every this many steps
 * @param seed            the run seed every random stream is derived from
 */
public record TrainConfig(int batchSize, int gradAccum, int steps, float lr, float minLr, int warmupSteps,
                          Schedule schedule, float decayFraction, float weightDecay, float beta1, float beta2,
                          float adamEps, float gradClip, int evalEvery, int evalBatches, int checkpointEvery,
                          int keepCheckpoints, int logEvery, long seed) {

    /** The learning-rate shape after warm-up. */
    public enum Schedule {
        CONSTANT,
        /** Cosine decay from lr to minLr over the steps after warm-up. */
        COSINE,
        /** Warm-up, stable at lr, then linear decay to minLr over the last decayFraction of steps. */
        WSD
    }

    public TrainConfig {
        positive("batchSize", batchSize);
        positive("gradAccum", gradAccum);
        positive("steps", steps);
        require(lr > 0 && Float.isFinite(lr), "lr", "must be finite and > 0, got " + lr);
        require(minLr >= 0 && minLr <= lr, "minLr", "must be in [0, lr], got " + minLr);
        require(warmupSteps >= 0 && warmupSteps <= steps, "warmupSteps",
                "must be in [0, steps=" + steps + "], got " + warmupSteps);
        require(schedule != null, "schedule", "must be CONSTANT, COSINE or WSD");
        require(decayFraction >= 0 && decayFraction <= 1, "decayFraction", "must be in [0, 1], got " + decayFraction);
        require(schedule != Schedule.WSD || warmupSteps + Math.round(decayFraction * steps) <= steps, "decayFraction",
                "WSD needs warmupSteps + decayFraction·steps <= steps");
        require(weightDecay >= 0, "weightDecay", "must be >= 0, got " + weightDecay);
        require(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got " + beta2);
        require(adamEps > 0, "adamEps", "must be > 0, got " + adamEps);
        require(gradClip >= 0, "gradClip", "must be >= 0, got " + gradClip);
        require(evalEvery >= 0, "evalEvery", "must be >= 0, got " + evalEvery);
        positive("evalBatches", evalBatches);
        require(checkpointEvery >= 0, "checkpointEvery", "must be >= 0, got " + checkpointEvery);
        positive("keepCheckpoints", keepCheckpoints);
        positive("logEvery", logEvery);
    }

    /** Defaults: AdamW(0.9, 0.95, 1e-8), wd 0.1, lr 1e-3 cosine to 1e-4 with 10% warm-up, clip 1.0. */
    public static TrainConfig defaults(int batchSize, int steps) {
        return new TrainConfig(batchSize, 1, steps, 1e-3f, 1e-4f, Math.max(0, steps / 10), Schedule.COSINE, 0.2f,
                0.1f, 0.9f, 0.95f, 1e-8f, 1.0f, Math.max(1, steps / 5), 4, Math.max(1, steps / 2), 2,
                Math.max(1, steps / 20), 1337L);
    }

    public TrainConfig withSteps(int n) {
        return new TrainConfig(batchSize, gradAccum, n, lr, minLr, Math.min(warmupSteps, n), schedule, decayFraction,
                weightDecay, beta1, beta2, adamEps, gradClip, evalEvery, evalBatches, checkpointEvery, keepCheckpoints,
                logEvery, seed);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(batchSize, gradAccum, steps, lr, minLr, warmupSteps, schedule, decayFraction,
                weightDecay, beta1, beta2, adamEps, gradClip, evalEvery, evalBatches, checkpointEvery, keepCheckpoints,
                logEvery, s);
    }

    public TrainConfig withCadence(int evalEveryN, int checkpointEveryN, int logEveryN) {
        return new TrainConfig(batchSize, gradAccum, steps, lr, minLr, warmupSteps, schedule, decayFraction,
                weightDecay, beta1, beta2, adamEps, gradClip, evalEveryN, evalBatches, checkpointEveryN,
                keepCheckpoints, logEveryN, seed);
    }

    public TrainConfig withOptim(float peakLr, float minLrValue, int warmup, Schedule s, float wd, float clip) {
        return new TrainConfig(batchSize, gradAccum, steps, peakLr, minLrValue, warmup, s, decayFraction, wd, beta1,
                beta2, adamEps, clip, evalEvery, evalBatches, checkpointEvery, keepCheckpoints, logEvery, seed);
    }

    public TrainConfig withBatch(int b, int accum) {
        return new TrainConfig(b, accum, steps, lr, minLr, warmupSteps, schedule, decayFraction, weightDecay, beta1,
                beta2, adamEps, gradClip, evalEvery, evalBatches, checkpointEvery, keepCheckpoints, logEvery, seed);
    }

    /** The learning-rate schedule these settings describe (steps counted from 0). */
    public LrSchedule lrSchedule() {
        return switch (schedule) {
            case CONSTANT -> warmupSteps == 0 ? LrSchedule.constant(lr) : LrSchedule.linear(lr, warmupSteps, Integer.MAX_VALUE, lr);
            case COSINE -> LrSchedule.cosine(lr, warmupSteps, steps, minLr);
            case WSD -> LrSchedule.wsd(lr, warmupSteps, steps, Math.round(decayFraction * steps), minLr);
        };
    }

    private static void positive(String field, int value) {
        require(value > 0, field, "must be > 0, got " + value);
    }

    private static void require(boolean ok, String field, String what) {
        if (!ok) {
            throw new IllegalArgumentException("TrainConfig." + field + ": " + what);
        }
    }
}
