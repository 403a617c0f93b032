package org.tokenlab.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * The side-by-side GEMM comparison for a shared, noisy machine: in one JVM, SimdBackend and OpenBLAS take turns
 * in short bursts of the same shape and thread count, many rounds, so that background load drifting over
 * seconds hits both alike, which separate JMH forks cannot promise (a fork pair samples two different
 * 7-second windows, and single iterations of one fork differ by about 6 %).
 *
 * <p><b>Bursts, not single calls.</b> A round runs {@value #DEFAULT_BURST} calls of one library and then
 * {@value #DEFAULT_BURST} of the other (which goes first alternates by round); the first call of each burst is
 * not counted, since it pays for the switch: the other library's data in the caches and, on two threads, its
 * own workers asleep. Measured on the Xeon (1024³, two threads, medians by position in a burst of five):
 * OpenBLAS 262.9 GFLOP/s on the call after SimdBackend's and 283.6–287.1 on the next four; SimdBackend 264.4
 * and 269.1–274.6. One call each per round (this class until session 21) charged that switch to both, unevenly
 * by shape (there OpenBLAS 8 %, SimdBackend 3 %; 2048×512×2048 Bᵀ on one thread 3 % and 6 %), so a ratio carried
 * each shape's switch costs. A round's ratio is OpenBLAS's time over SimdBackend's for the counted calls
 * (SimdBackend's GFLOP/s over OpenBLAS's); the table gives the median and quartiles of the round ratios.
 *
 * <p>On two threads, run it with {@code OPENBLAS_THREAD_TIMEOUT=4}: by default OpenBLAS's workers spin for
 * about 0.1 s after each call before they sleep, and in one JVM that spin takes the second core from the
 * SimdBackend call that follows (jmh/run-gemm-peer.sh and jmh/run-gemm.sh set it). The setting does not slow OpenBLAS's own calls made
 * back to back: 1024³ on two threads ran at 295.5 and 296.7 GFLOP/s with it, 296.2 and 297.0 without.
 *
 * <p>Usage (jmh/run-gemm-peer.sh runs and saves it; jmh/pool-peer.py pools runs):
 * {@code java ... org.tokenlab.jmh.GemmPeerComparison [seconds per shape] [shapes…]}; {@code -Dpeer.threads=1}
 * or {@code 2} runs one thread count only (default both), {@code -Dpeer.burst=N} sets the calls per burst (at
 * least 2).
 */
public final class GemmPeerComparison {
    /**
     * 1024³, then for C = 128, 256, 512 the Linear layers C → 4C, C → C, 4C → C of a transformer with
     * B·T = 2048: forward {@code Y = X·Wᵀ} (Bᵀ), input gradient {@code dX = dY·W}, weight gradient
     * {@code dW = dYᵀ·X} (Aᵀ).
     */
    private static final String[] SHAPES = {"1024",
            "2048x512x128T", "2048x128x128T", "2048x128x512T", "2048x128x512", "2048x128x128", "2048x512x128",
            "512x128x2048A", "128x128x2048A", "128x512x2048A",
            "2048x1024x256T", "2048x256x256T", "2048x256x1024T", "2048x256x1024", "2048x256x256", "2048x1024x256",
            "1024x256x2048A", "256x256x2048A", "256x1024x2048A",
            "2048x2048x512T", "2048x512x512T", "2048x512x2048T", "2048x512x2048", "2048x512x512", "2048x2048x512",
            "2048x512x2048A", "512x512x2048A", "512x2048x2048A"};

    /** Calls of one library per burst; the first is not counted. */
    static final int DEFAULT_BURST = 4;

    private GemmPeerComparison() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? seconds(args[0]) : 6;
        String[] shapes = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : SHAPES;
        String burstProperty = System.getProperty("peer.burst");
        int burst = burstProperty == null ? DEFAULT_BURST : positive("-Dpeer.burst", burstProperty);
        if (burst < 2) {
            throw new IllegalArgumentException("-Dpeer.burst must be at least 2 (the first call of a burst is not counted), got " + burst);
        }
        String only = System.getProperty("peer.threads");
        int[] threadCounts = only == null ? new int[] {1, 2} : new int[] {positive("-Dpeer.threads", only)};
        Backend simd = Backends.create("simd");
        System.out.println("# SimdBackend " + simd + " | OpenBLAS core=" + OpenBlasNative.corename()
                + " (" + OpenBlasNative.config() + ") | OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                + " OPENBLAS_L2_SIZE=" + System.getenv("OPENBLAS_L2_SIZE")
                + " OPENBLAS_THREAD_TIMEOUT=" + System.getenv("OPENBLAS_THREAD_TIMEOUT") + " | JDK " + Runtime.version()
                + " | bursts of " + burst + " calls, the first not counted, " + seconds + " s per row after a third of that warming up");
        System.out.println("| shape (M×N×K) | threads | SimdBackend GFLOP/s | OpenBLAS GFLOP/s | ratio (median of rounds) | quartiles | rounds |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int threads : threadCounts) {
            double[] ratios = new double[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                ratios[i] = run(simd, GemmShape.parse(shapes[i]), threads, seconds, burst);
            }
            long atLeast = Arrays.stream(ratios).filter(r -> r >= 0.9).count();
            System.out.printf("# %d thread(s): median ratio %.2f (%.2f–%.2f), %d of %d shapes at or above 0.9%n", threads,
                    median(ratios, ratios.length), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
                    atLeast, ratios.length);
        }
        Parallel.setThreads(Parallel.defaultThreads());
    }

    private static double seconds(String arg) {
        try {
            double s = Double.parseDouble(arg);
            if (s > 0 && s < 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the first argument is the seconds per cell, a number in (0, 3600), got '" + arg + "'");
    }

    private static int positive(String what, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a positive integer, got '" + value + "'");
    }

    /** Prints one row and returns its median ratio (SimdBackend GFLOP/s over OpenBLAS's). */
    private static double run(Backend simd, GemmShape g, int threads, double seconds, int burst) {
        Parallel.setThreads(threads);
        OpenBlasNative.setThreads(threads);
        SplittableRandom r = new SplittableRandom(234);
        float[] a = GemmBenchmark.random(r, g.M() * g.K()), b = GemmBenchmark.random(r, g.K() * g.N());
        HeapStorage ha = new HeapStorage(a), hb = new HeapStorage(b), hc = new HeapStorage(g.M() * g.N());
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
             FloatPointer pc = new FloatPointer((long) g.M() * g.N())) {
            Runnable simdCall = () -> simd.matmul(1, g.M(), g.N(), g.K(), 1f, ha, 0, g.lda(), 0, g.transA(), hb, 0, g.ldb(), 0,
                    g.transB(), 0f, hc, 0, g.N(), 0);
            Runnable blasCall = () -> OpenBlasNative.sgemm(g.transA(), g.transB(), g.M(), g.N(), g.K(), 1f, pa, g.lda(), pb,
                    g.ldb(), 0f, pc, g.N());
            int cap = 100_000;
            double[] simdG = new double[cap], blasG = new double[cap], ratio = new double[cap];
            int rounds = 0;
            for (int pass = 0; pass < 2; pass++) { // pass 0 warms up both sides for a third of the time
                long end = System.nanoTime() + (long) (seconds * (pass == 0 ? 0.33 : 1) * 1e9);
                rounds = 0;
                // at least one round, however short the time: the medians below need one
                while ((rounds == 0 || System.nanoTime() < end) && rounds < cap) {
                    boolean simdFirst = rounds % 2 == 0;
                    long first = burstNanos(simdFirst ? simdCall : blasCall, burst);
                    long second = burstNanos(simdFirst ? blasCall : simdCall, burst);
                    long simdNs = simdFirst ? first : second, blasNs = simdFirst ? second : first;
                    double counted = (double) g.flops() * (burst - 1);
                    simdG[rounds] = counted / simdNs;
                    blasG[rounds] = counted / blasNs;
                    ratio[rounds] = (double) blasNs / simdNs;
                    rounds++;
                }
            }
            double[] sorted = Arrays.copyOf(ratio, rounds);
            Arrays.sort(sorted);
            double med = median(ratio, rounds);
            System.out.printf("| %d×%d×%d%s | %d | %.1f | %.1f | %.3f | %.2f–%.2f | %d |%n", g.M(), g.N(), g.K(),
                    g.transLabel(), threads, median(simdG, rounds), median(blasG, rounds), med,
                    sorted[rounds / 4], sorted[(3 * rounds) / 4], rounds);
            return med;
        }
    }

    /** Runs {@code call} {@code burst} times and returns the nanoseconds of all but the first. */
    private static long burstNanos(Runnable call, int burst) {
        call.run();
        long t0 = System.nanoTime();
        for (int i = 1; i < burst; i++) {
            call.run();
        }
        return System.nanoTime() - t0;
    }

    /** Median of the first n values of x. */
    static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
