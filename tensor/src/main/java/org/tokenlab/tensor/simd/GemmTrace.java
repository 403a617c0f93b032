package org.tokenlab.tensor.simd;
public final class GemmTrace {
    public static final long[] EV = new long[4096];
    public static final java.util.concurrent.atomic.AtomicInteger N = new java.util.concurrent.atomic.AtomicInteger();
    public static volatile boolean on;
    static void ev(int kind, int unit, long t0, long t1) {
        if (!on) return;
        int i = N.getAndIncrement() * 4;
        if (i + 3 < EV.length) { EV[i] = kind * 1000000L + unit; EV[i + 1] = Thread.currentThread().getName().startsWith("tokenlab") ? 1 : 0; EV[i + 2] = t0; EV[i + 3] = t1; }
    }
}
