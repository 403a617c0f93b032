package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * What the FMA pipes deliver to the calling thread now: twelve independent chains of vector FMAs of the kernels'
 * species (more than pipes × latency = 8 in flight, so the pipes, not the latency, set the rate), 2 FLOP per lane
 * each. On a quiet core this is the GEMM micro-kernel's ceiling; on a shared host it drops when another guest
 * takes the core's execution resources, which is why {@code tokenlab bench} prints it beside its tokens/s
 * (docs/performance.md §1) and jmh's MachinePeak divides it by the clock.
 *
 * <p>Scalar reference: {@code c_i = c_i·a + b} for i &lt; 12, {@code steps} times, on every lane.
 */
public final class FmaThroughput {
    /** Written so that C2 keeps the loop; never read. */
    private static volatile float sink;

    private FmaThroughput() {
    }

    /** Runs {@code steps} × 12 vector FMAs and returns GFLOP/s (the first calls of a JVM include JIT compilation). */
    public static double gflops(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("FmaThroughput: steps must be at least 1, got " + steps);
        }
        long t0 = System.nanoTime();
        FloatVector a = FloatVector.broadcast(F, 0.999999f), b = FloatVector.broadcast(F, 1e-7f);
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < steps; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        FloatVector all = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        sink = all.reduceLanes(VectorOperators.ADD);
        double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        return steps * 12.0 * F.length() * 2 / seconds / 1e9;
    }

    /**
     * GFLOP/s over about {@code millis} ms, after a short untimed run (so that C2 has compiled the loop): the rate this
     * thread gets now, for a run's record.
     */
    public static double measure(double millis) {
        if (!(millis > 0) || Double.isInfinite(millis)) {
            throw new IllegalArgumentException("FmaThroughput: millis must be a positive finite number, got " + millis);
        }
        long probe = 1_000_000;
        double rate = 0;
        for (int i = 0; i < 3; i++) { // the first runs are interpreted or OSR-compiled
            rate = gflops(probe);
        }
        // ~24·L FLOP per step at the rate just seen: the step count that takes `millis`
        long steps = Math.max(1, (long) (millis * 1e6 * rate / (24.0 * F.length())));
        return gflops(steps);
    }
}
