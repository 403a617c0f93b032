package org.tokenlab.jmh;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * An interleaved A/B companion to the JMH GEMM suite for a shared, noisy machine: in one JVM it
 * alternates one SimdBackend call and one OpenBLAS call of the same shape and thread count, many
 * rounds, and prints the median GFLOP/s of each and the median of the per-round ratios. Background
 * load that drifts over seconds then hits both sides alike, which separate JMH runs cannot promise.
 *
 * <p>On two threads, run it with {@code OPENBLAS_THREAD_TIMEOUT=4}: by default OpenBLAS's workers spin for about
 * 0.1 s after each call before they sleep, and in one JVM that spin takes the second core from the SimdBackend
 * call that follows (jmh/run-gemm.sh sets it).
 *
 * <p>Usage (via jmh/run-gemm.sh): {@code java ... org.tokenlab.jmh.GemmPeerComparison [seconds per shape] [shapes…]}.
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

    private GemmPeerComparison() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        String[] shapes = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : SHAPES;
        Backend simd = Backends.create("simd");
        System.out.println("# SimdBackend " + simd + " | OpenBLAS core=" + OpenBlasNative.corename()
                + " (" + OpenBlasNative.config() + ") | OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                + " OPENBLAS_L2_SIZE=" + System.getenv("OPENBLAS_L2_SIZE")
                + " OPENBLAS_THREAD_TIMEOUT=" + System.getenv("OPENBLAS_THREAD_TIMEOUT") + " | JDK " + Runtime.version());
        System.out.println("| shape (M×N×K) | threads | SimdBackend GFLOP/s | OpenBLAS GFLOP/s | ratio (median of rounds) | rounds |");
        System.out.println("|---|---|---|---|---|---|");
        for (int threads : new int[] {1, 2}) {
            for (String s : shapes) {
                run(simd, GemmShape.parse(s), s, threads, seconds);
            }
        }
        Parallel.setThreads(Parallel.defaultThreads());
    }

    private static void run(Backend simd, GemmShape g, String name, int threads, double seconds) {
        Parallel.setThreads(threads);
        OpenBlasNative.setThreads(threads);
        SplittableRandom r = new SplittableRandom(234);
        float[] a = GemmBenchmark.random(r, g.M() * g.K()), b = GemmBenchmark.random(r, g.K() * g.N());
        HeapStorage ha = new HeapStorage(a), hb = new HeapStorage(b), hc = new HeapStorage(g.M() * g.N());
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b);
             FloatPointer pc = new FloatPointer((long) g.M() * g.N())) {
            double[] simdG = new double[100_000], blasG = new double[100_000], ratio = new double[100_000];
            int rounds = 0;
            long end = 0;
            for (int pass = 0; pass < 2; pass++) { // pass 0 warms up both sides for a third of the time
                long start = System.nanoTime();
                end = start + (long) (seconds * (pass == 0 ? 0.33 : 1) * 1e9);
                rounds = 0;
                while (System.nanoTime() < end && rounds < simdG.length) {
                    long t0 = System.nanoTime();
                    simd.matmul(1, g.M(), g.N(), g.K(), 1f, ha, 0, g.lda(), 0, g.transA(), hb, 0, g.ldb(), 0, g.transB(),
                            0f, hc, 0, g.N(), 0);
                    long t1 = System.nanoTime();
                    OpenBlasNative.sgemm(g.transA(), g.transB(), g.M(), g.N(), g.K(), 1f, pa, g.lda(), pb, g.ldb(), 0f, pc, g.N());
                    long t2 = System.nanoTime();
                    simdG[rounds] = g.flops() / (double) (t1 - t0);
                    blasG[rounds] = g.flops() / (double) (t2 - t1);
                    ratio[rounds] = simdG[rounds] / blasG[rounds];
                    rounds++;
                }
            }
            System.out.printf("| %d×%d×%d%s | %d | %.1f | %.1f | %.2f | %d |%n", g.M(), g.N(), g.K(),
                    g.transLabel(), threads, median(simdG, rounds), median(blasG, rounds),
                    median(ratio, rounds), rounds);
        }
    }

    /** Median of the first n values of x. */
    static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
