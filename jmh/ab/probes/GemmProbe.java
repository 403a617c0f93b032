import java.util.Arrays;
import java.util.SplittableRandom;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * GFLOP/s of SimdBackend's matmul (alpha 1, beta 0) on issue 2's 28 shapes (one metric per shape, in this
 * order; the names as in jmh/run-gemm-forks.sh), medians over {@code iters} calls; threads from
 * {@code -Dprobe.threads} (default 1). With {@code -Dprobe.bias=true}: the Linear forward ({@code matmulBias})
 * on the 10 Bᵀ shapes only, in the same order. {@code -Dprobe.shapes=1024,2048x512x2048T} measures the shapes
 * named instead (fewer shapes per round: the two builds' calls of a shape come closer together in time).
 */
public final class GemmProbe {
    static final String[] SHAPES = {"1024", "2048x512x128T", "2048x128x128T", "2048x128x512T", "2048x128x512",
        "2048x128x128", "2048x512x128", "512x128x2048A", "128x128x2048A", "128x512x2048A", "2048x1024x256T",
        "2048x256x256T", "2048x256x1024T", "2048x256x1024", "2048x256x256", "2048x1024x256", "1024x256x2048A",
        "256x256x2048A", "256x1024x2048A", "2048x2048x512T", "2048x512x512T", "2048x512x2048T", "2048x512x2048",
        "2048x512x512", "2048x2048x512", "2048x512x2048A", "512x512x2048A", "512x2048x2048A"};
    private static Backend be;
    private static HeapStorage a, b, c, bias;

    private GemmProbe() {
    }

    public static double[] measure(int iters) {
        boolean linear = Boolean.getBoolean("probe.bias");
        if (be == null) {
            be = Backends.create("simd");
            Parallel.setThreads(Integer.getInteger("probe.threads", 1));
            SplittableRandom r = new SplittableRandom(1);
            a = new HeapStorage(AttentionProbe.gaussian(r, 2048 * 2048));
            b = new HeapStorage(AttentionProbe.gaussian(r, 2048 * 2048));
            bias = new HeapStorage(AttentionProbe.gaussian(r, 2048));
            c = new HeapStorage(2048 * 2048);
        }
        String chosen = System.getProperty("probe.shapes");
        String[] all = chosen == null ? SHAPES : chosen.trim().split("\\s*,\\s*");
        String[] shapes = linear ? Arrays.stream(all).filter(x -> x.endsWith("T")).toArray(String[]::new) : all;
        double[] gflops = new double[shapes.length];
        for (int s = 0; s < shapes.length; s++) {
            String t = shapes[s];
            boolean tA = t.endsWith("A"), tB = t.endsWith("T");
            String[] p = (tA || tB ? t.substring(0, t.length() - 1) : t).split("x");
            int M = Integer.parseInt(p[0]), N = p.length == 1 ? M : Integer.parseInt(p[1]), K = p.length == 1 ? M : Integer.parseInt(p[2]);
            double[] g = new double[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                if (linear) {
                    be.matmulBias(M, N, K, a, 0, K, b, 0, K, true, bias, 0, c, 0);
                } else {
                    be.matmul(1, M, N, K, 1f, a, 0, tA ? M : K, 0, tA, b, 0, tB ? K : N, 0, tB, 0f, c, 0, N, 0);
                }
                g[i] = 2.0 * M * N * K / (System.nanoTime() - t0);
            }
            Arrays.sort(g);
            gflops[s] = g[iters / 2];
        }
        return gflops;
    }
}
