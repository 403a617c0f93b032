package org.tokenlab.tensor.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The one thread pool of TokenLab, and the rule that keeps results independent of its size.
 *
 * <p>Work is cut into a number of blocks chosen by the caller <em>from the problem size only</em>,
 * never from the thread count. Each block writes its own output (or its own partial result, combined
 * afterwards in block order by the caller). Threads then merely decide <em>who</em> computes a block,
 * not <em>what</em> it computes, so 1, 2 or N threads give bitwise-identical results.
 *
 * <p>Blocks are cut into {@code n} contiguous ranges {@code [r·B/n, (r+1)·B/n)}, one per thread, and each
 * range is claimed by whichever thread comes for it first: the caller takes one, each worker takes one
 * when it arrives, and a thread that has finished its range takes any range nobody has started. So a
 * worker that wakes late never holds up the call (its range has been run by someone else by then);
 * only a thread that is descheduled in the middle of a range does. Work smaller than
 * {@link #MIN_PARALLEL_WORK} stays on the calling thread.
 *
 * <p><b>Spin, then sleep.</b> A worker that has finished a job spins for {@link #spinNanos()} (default
 * {@value #DEFAULT_SPIN_MICROS} µs, {@code -Dtokenlab.spinMicros}) watching for the next one before it
 * parks; the caller likewise spins while it waits for the workers. Waking a parked thread costs
 * 5–20 µs when its core is busy with something else, but on a virtual machine whose idle vCPU has
 * halted it took from 0.1 to 3.7 ms (measured on the 2-vCPU development VM: the second thread of a
 * 3 ms GEMM started 0.7–3.7 ms late), which is most of a training step's small products. Training
 * issues parallel kernels back to back, so a spinning worker is almost always there when the next one
 * arrives. OpenMP runtimes and OpenBLAS spin for the same reason (and for longer). A pool with more
 * threads than the machine has processors does not spin at all: there a spinning thread would take the
 * core from one that has work.
 *
 * <p>Calls are not nested: a {@code forBlocks} issued while the pool is busy (from inside a block, or
 * from a second application thread) runs all its blocks on its own thread. That changes nothing in
 * the results, which never depend on who runs a block.
 */
public final class Parallel {
    /** Below this estimated cost (roughly, scalar operations) a loop runs on the caller's thread. */
    public static final long MIN_PARALLEL_WORK = 1L << 16;
    /** How long an idle worker, or a waiting caller, spins before it parks, unless overridden. */
    public static final int DEFAULT_SPIN_MICROS = 1000;

    /**
     * The current pool; made on first use, not when the class loads, so that a malformed
     * {@code -Dtokenlab.threads} or {@code -Dtokenlab.spinMicros} is a plain IllegalArgumentException at
     * that use (the CLI prints it as one line) and not an ExceptionInInitializerError.
     */
    private static volatile Parallel instance;

    private final int threads;
    /** This pool's spin before parking, in ns: {@code -Dtokenlab.spinMicros}, or 0 when there are more threads than processors. */
    private final long spin;
    /** Threads 1 … threads−1; the caller of {@link #forBlocks} is thread 0. */
    private final Worker[] workers;
    /** Set while a job runs: a second concurrent or nested call runs inline instead. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The latest job; each worker runs each job it has not seen yet once. */
    private volatile Job job;
    private volatile boolean shutdown;

    /** One call of {@link #forBlocks}: what to run, cut into ranges, and which ranges are claimed and finished. */
    private static final class Job {
        final IntConsumer body;
        final int blocks;
        final int ranges;
        /** The next range nobody has claimed yet. */
        final AtomicInteger nextRange = new AtomicInteger();
        /** Ranges not finished yet; the call returns when this reaches 0. */
        final AtomicInteger unfinished;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        /** The caller, once it has stopped spinning and parks; whoever finishes the last range unparks it. */
        volatile Thread waiter;

        Job(IntConsumer body, int blocks, int ranges) {
            this.body = body;
            this.blocks = blocks;
            this.ranges = ranges;
            this.unfinished = new AtomicInteger(ranges);
        }

        /** Claims and runs ranges until none is left; a failure is recorded for the caller, not thrown. */
        void runRanges() {
            for (int r = nextRange.getAndIncrement(); r < ranges; r = nextRange.getAndIncrement()) {
                try {
                    int from = (int) ((long) r * blocks / ranges);
                    int to = (int) ((long) (r + 1) * blocks / ranges);
                    for (int b = from; b < to; b++) {
                        body.accept(b);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (unfinished.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    private final class Worker extends Thread {
        /** True while parked (or about to park); the submitter unparks only sleeping workers. */
        volatile boolean sleeping;

        Worker(int index) {
            super("tokenlab-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job next = awaitJob(seen);
                if (next == null) {
                    return; // shut down
                }
                seen = next;
                next.runRanges();
            }
        }

        // The first job other than `seen`, spinning for `spin` and then parking; null on shutdown.
        private Job awaitJob(Job seen) {
            long deadline = System.nanoTime() + spin;
            while (job == seen && !shutdown && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            if (job == seen && !shutdown) {
                sleeping = true; // written before job is read again: a submitter that misses it sees the job
                while (job == seen && !shutdown) {
                    LockSupport.park(this);
                }
                sleeping = false;
            }
            return shutdown ? null : job;
        }
    }

    private Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.spin = threads <= Runtime.getRuntime().availableProcessors() ? spinMicrosProperty() * 1000L : 0;
        this.workers = new Worker[threads - 1];
        for (int t = 1; t < threads; t++) {
            workers[t - 1] = new Worker(t);
            workers[t - 1].start();
        }
    }

    /** Threads from {@code -Dtokenlab.threads}, else the number of available processors. */
    public static int defaultThreads() {
        return intProperty("tokenlab.threads", 1, Runtime.getRuntime().availableProcessors(), "a positive integer");
    }

    private static int spinMicrosProperty() {
        return intProperty("tokenlab.spinMicros", 0, DEFAULT_SPIN_MICROS, "a non-negative integer (microseconds)");
    }

    // the integer system property `name` (at least `min`), `absent` when unset; a clear error when malformed
    private static int intProperty(String name, int min, int absent, String what) {
        String prop = System.getProperty(name);
        if (prop == null || prop.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(prop.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("-D" + name + " must be " + what + ", got '" + prop + "'");
    }

    /** How long the current pool's idle workers and waiting caller spin before they park, in nanoseconds. */
    public static long spinNanos() {
        return get().spin;
    }

    /** The current pool. */
    public static Parallel get() {
        Parallel pool = instance;
        return pool != null ? pool : makeDefault();
    }

    private static synchronized Parallel makeDefault() {
        if (instance == null) {
            instance = new Parallel(defaultThreads());
        }
        return instance;
    }

    /** Replaces the pool with one of {@code n} threads (the calling thread counts as one). */
    public static synchronized void setThreads(int n) {
        Parallel old = instance;
        if (old != null && old.threads == n) {
            return;
        }
        instance = new Parallel(n);
        if (old != null) {
            old.shutdown();
        }
    }

    private void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(block)} for every block in [0, blocks). {@code work} is the estimated total
     * cost; small work runs inline. Block results must not depend on which thread runs them.
     */
    public void forBlocks(int blocks, long work, IntConsumer body) {
        int n = Math.min(threads, blocks);
        if (n <= 1 || work < MIN_PARALLEL_WORK || shutdown || !busy.compareAndSet(false, true)) {
            for (int b = 0; b < blocks; b++) {
                body.accept(b);
            }
            return;
        }
        try {
            Job j = new Job(body, blocks, n);
            job = j;
            for (int t = 1; t < n; t++) {
                if (workers[t - 1].sleeping) {
                    LockSupport.unpark(workers[t - 1]);
                }
            }
            j.runRanges();
            awaitRanges(j, spin);
            Throwable failure = j.failure.get();
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            busy.set(false);
        }
    }

    // Spins, then parks, until the ranges that other threads claimed are finished.
    private static void awaitRanges(Job j, long spin) {
        long deadline = System.nanoTime() + spin;
        while (j.unfinished.get() > 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        if (j.unfinished.get() > 0) {
            j.waiter = Thread.currentThread(); // written before unfinished is read again (see Job.runRanges)
            while (j.unfinished.get() > 0) {
                LockSupport.park(j);
            }
        }
    }
}
