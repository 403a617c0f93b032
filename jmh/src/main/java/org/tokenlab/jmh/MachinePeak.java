package org.tokenlab.jmh;

import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.VectorSpecies;
import org.tokenlab.tensor.simd.FmaThroughput;
import org.tokenlab.tensor.simd.SimdSpecies;

/**
 * The denominator of every "% of peak": the clock the cores really run at and the FMA throughput one
 * thread gets, measured, since a VM's TSC shows the nominal clock and another guest may share the core.
 *
 * <ul>
 *   <li><b>clock</b>: a chain of dependent scalar FMAs ({@code x = fma(x, c, d)}) retires one per FMA
 *       latency; with the latency given (4 cycles on Zen 3 and on Intel since Skylake, 5 on Zen 2) the chain's
 *       rate is the clock;
 *   <li><b>throughput</b>: {@link FmaThroughput}, twelve independent chains of vector FMAs of the kernels' species
 *       (more than pipes × latency = 8 in flight), 2 FLOP per lane each: what the FMA pipes deliver to this thread now.
 * </ul>
 * Peak = clock × pipes × lanes × 2; throughput / peak says how much of the core this thread got (two
 * threads on two cores should each see the same; less means shared pipes).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector ... org.tokenlab.jmh.MachinePeak [threads] [fmaLatency] [fmaPipes]}
 * (defaults 1, 4, 2).
 */
public final class MachinePeak {
    private static final VectorSpecies<Float> F = SimdSpecies.F;
    private static final long CHAIN_STEPS = 300_000_000L;
    private static final long THROUGHPUT_STEPS = 100_000_000L;
    /** Written so that C2 keeps the loops; never read. */
    private static volatile double sink;

    private MachinePeak() {
    }

    // CHAIN_STEPS dependent FMAs; returns seconds
    private static double chain() {
        long t0 = System.nanoTime();
        double x = 1.0;
        for (long i = 0; i < CHAIN_STEPS; i++) {
            x = Math.fma(x, 0.9999999, 1e-9);
        }
        sink = x;
        return (System.nanoTime() - t0) / 1e9;
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int latency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int pipes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        if (threads < 1 || latency < 1 || pipes < 1) {
            throw new IllegalArgumentException("threads, fmaLatency and fmaPipes must be positive, got " + threads + ", "
                    + latency + ", " + pipes);
        }
        System.out.printf("# %s, %d thread(s), FMA latency %d cycles and %d pipes assumed | JDK %s%n",
                SimdSpecies.describe(), threads, latency, pipes, Runtime.version());
        for (int round = 0; round < 5; round++) { // the first rounds include JIT compilation
            double[] clock = new double[threads], gflops = new double[threads];
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int me = t;
                Thread.ofPlatform().start(() -> {
                    clock[me] = CHAIN_STEPS * latency / chain() / 1e9;
                    gflops[me] = FmaThroughput.gflops(THROUGHPUT_STEPS);
                    done.countDown();
                });
            }
            done.await();
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int t = 0; t < threads; t++) {
                double peak = clock[t] * pipes * F.length() * 2;
                line.append(String.format(" | thread %d: clock %.2f GHz, peak %.1f GFLOP/s, FMA throughput %.1f (%.0f %%)",
                        t, clock[t], peak, gflops[t], 100 * gflops[t] / peak));
            }
            System.out.println(line);
        }
    }
}
