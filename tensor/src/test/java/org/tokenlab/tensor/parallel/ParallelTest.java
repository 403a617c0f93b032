package org.tokenlab.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                java.util.Arrays.fill(once, 1);
                assertArrayEquals(once, got, "threads " + threads + ", call " + call);
            }
        }
    }

    @Test
    void workIsSharedAmongThreadsWhenLargeEnough() {
        Parallel.setThreads(3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 200 && names.size() < 3; call++) {
            Parallel.get().forBlocks(3, BIG, b -> {
                names.add(Thread.currentThread().getName());
                long until = System.nanoTime() + 200_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertEquals(3, names.size(), "threads seen: " + names);
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
    void aFailureOnTheCallerWaitsForTheWorkersFirst() {
        Parallel.setThreads(2);
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        assertThrows(IllegalStateException.class, () -> Parallel.get().forBlocks(2, BIG, b -> {
            if (b == 0) {
                throw new IllegalStateException("caller's block");
            }
            long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            done.set(b, 1);
        }));
        assertEquals(1, done.get(1), "the worker's block finished before the call returned");
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
        Parallel.get().forBlocks(2, BIG, b -> names.add(Thread.currentThread().getName()));
        assertTrue(names.size() == 2, "both threads ran a block: " + names);
    }
}
