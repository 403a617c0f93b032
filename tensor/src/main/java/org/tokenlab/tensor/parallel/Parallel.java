package org.tokenlab.tensor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntConsumer;

/**
 * The one thread pool of TokenLab, and the rule that keeps results independent of its size.
 *
 * <p>Work is cut into a number of blocks chosen by the caller <em>from the problem size only</em>,
 * never from the thread count. Each block writes its own output (or its own partial result, combined
 * afterwards in block order by the caller). Threads then merely decide <em>who</em> computes a block,
 * not <em>what</em> it computes, so 1, 2 or N threads give bitwise-identical results.
 *
 * <p>Blocks are assigned statically: thread {@code t} of {@code n} takes the contiguous range
 * {@code [t·B/n, (t+1)·B/n)}. Work smaller than {@link #MIN_PARALLEL_WORK} stays on the calling
 * thread: handing it to another thread costs tens of microseconds.
 */
public final class Parallel {
    /** Below this estimated cost (roughly, scalar operations) a loop runs on the caller's thread. */
    public static final long MIN_PARALLEL_WORK = 1L << 16;

    private static volatile Parallel instance = new Parallel(defaultThreads());

    private final int threads;
    private final ExecutorService pool;

    private Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "tokenlab-worker");
            t.setDaemon(true);
            return t;
        };
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, factory) : null;
    }

    /** Threads from {@code -Dtokenlab.threads}, else the number of available processors. */
    public static int defaultThreads() {
        String prop = System.getProperty("tokenlab.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                int n = Integer.parseInt(prop.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("-Dtokenlab.threads must be a positive integer, got '" + prop + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The current pool. */
    public static Parallel get() {
        return instance;
    }

    /** Replaces the pool with one of {@code n} threads (the calling thread counts as one). */
    public static synchronized void setThreads(int n) {
        if (instance.threads == n) {
            return;
        }
        Parallel old = instance;
        instance = new Parallel(n);
        if (old.pool != null) {
            old.pool.shutdown();
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
        if (n <= 1 || work < MIN_PARALLEL_WORK || pool == null) {
            for (int b = 0; b < blocks; b++) {
                body.accept(b);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(n - 1);
        for (int t = 1; t < n; t++) {
            int from = (int) ((long) t * blocks / n);
            int to = (int) ((long) (t + 1) * blocks / n);
            futures.add(pool.submit(() -> {
                for (int b = from; b < to; b++) {
                    body.accept(b);
                }
            }));
        }
        int to0 = blocks / n;
        for (int b = 0; b < to0; b++) {
            body.accept(b);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a worker", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
