package org.tokenlab.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter: each benchmark call adds its floating-point operations (or bytes), and JMH
 * reports the field as a rate, so {@code flop} reads directly as FLOP/s (divide by 1e9 for GFLOP/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Floating-point operations done so far in this iteration. */
    public long flop;

    @Setup(Level.Iteration)
    public void reset() {
        flop = 0;
    }
}
