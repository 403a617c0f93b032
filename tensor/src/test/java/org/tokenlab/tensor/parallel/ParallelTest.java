package org.tokenlab.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's contract: every block runs exactly once, failures reach the caller, nested calls run inline. */
class ParallelTest {
    private static final long BIG = Parallel.MIN_PARALLEL_WORK;

    @AfterEach
    void restore() {
        Parallel.setThreads(Parallel.defaultThreads());
    }

    @Test
    void everyBlockRunsOnceForManyCallsAndThreadCounts() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int call = 0; call < 2000; call++) {
                int blocks = 1 + call % 13;
                AtomicIntegerArray runs = new AtomicIntegerArray(blocks);
                Parallel.get().forBlocks(blocks, BIG, runs::incrementAndGet);
                int[] got = new int[blocks];
                for (int b = 0; b < blocks; b++) {
                    got[b] = runs.get(b);
                }
                int[] once = new int[blocks];
                Arrays.fill(once, 1);
                assertArrayEquals(once, got, "threads " + threads + ", call " + call);
            }
        }
    }

    @Test
    void workIsSharedAmongThreadsWhenLargeEnough() {
        Parallel.setThreads(3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 100 && names.size() < 3; call++) {
            Parallel.get().forBlocks(3, BIG, b -> {
                names.add(Thread.currentThread().getName());
                spin(20_000_000); // long enough for a parked worker to wake and claim its range
            });
        }
        assertEquals(3, names.size(), "threads seen: " + names);
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void smallWorkStaysOnTheCaller() {
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        Parallel.get().forBlocks(8, BIG - 1, b -> assertSame(caller, Thread.currentThread()));
    }

    @Test
    void aFailureInAWorkerReachesTheCallerAndThePoolStaysUsable() {
        Parallel.setThreads(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parallel.get().forBlocks(2, BIG, b -> {
                    if (b == 1) {
                        throw new IllegalArgumentException("block 1 failed");
                    }
                }));
        assertEquals("block 1 failed", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Parallel.get().forBlocks(4, BIG, runs::incrementAndGet);
        for (int b = 0; b < 4; b++) {
            assertEquals(1, runs.get(b));
        }
    }

    @Test
    void aFailureWaitsForTheOtherRangesToFinish() {
        Parallel.setThreads(2);
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        assertThrows(IllegalStateException.class, () -> Parallel.get().forBlocks(2, BIG, b -> {
            if (b == 0) {
                throw new IllegalStateException("caller's block");
            }
            spin(2_000_000);
            done.set(b, 1);
        }));
        assertEquals(1, done.get(1), "the other range finished before the call returned");
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
        Parallel.get().forBlocks(4, BIG, outer -> Parallel.get().forBlocks(5, BIG, inner -> runs.incrementAndGet(outer * 5 + inner)));
        for (int i = 0; i < 20; i++) {
            assertEquals(1, runs.get(i), "block " + i);
        }
    }

    @Test
    void workersParkAfterSpinningAndWakeForTheNextJob() throws InterruptedException {
        Parallel.setThreads(2);
        Thread.sleep(Parallel.spinNanos() / 1_000_000 + 20); // past the spin: the worker has parked
        Set<String> names = ConcurrentHashMap.newKeySet();
        // the caller's range takes 200 ms, far longer than a wake-up: the worker wakes and runs the other
        Parallel.get().forBlocks(2, BIG, b -> {
            names.add(Thread.currentThread().getName());
            spin(200_000_000);
        });
        assertEquals(2, names.size(), "both threads ran a block: " + names);
    }

    @Test
    void aCallAfterTheWorkersParkedRunsEveryBlockOnce() throws InterruptedException {
        Parallel.setThreads(3);
        for (int call = 0; call < 5; call++) {
            Thread.sleep(Parallel.spinNanos() / 1_000_000 + 5); // the workers have parked: they come late
            // tiny ranges: the caller often runs a late worker's range itself; whoever runs it, it runs once
            AtomicIntegerArray runs = new AtomicIntegerArray(7);
            Parallel.get().forBlocks(7, BIG, runs::incrementAndGet);
            for (int b = 0; b < 7; b++) {
                assertEquals(1, runs.get(b), "call " + call + ", block " + b);
            }
        }
    }
}
