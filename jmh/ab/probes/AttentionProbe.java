import java.util.Arrays;
import java.util.SplittableRandom;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Milliseconds of causal attention forward and backward (two metrics) at a preset's shape ({@code -Dprobe.preset}:
 * medium, the default, B 8, NH 8, T 256; small, B 16, NH 4, T 128; HS 32), q/k/v in one fused (B, T, 3C) buffer,
 * SimdBackend on {@code -Dprobe.threads} threads (default 1), the backward storing into the unwritten gradient buffer as training does
 * ({@code attentionBackwardStore}): medians over {@code iters} calls.
 */
public final class AttentionProbe {
    private static final boolean SMALL = "small".equals(System.getProperty("probe.preset"));
    private static final int B = SMALL ? 16 : 8, NH = SMALL ? 4 : 8, T = SMALL ? 128 : 256, HS = 32, C = NH * HS;
    private static Backend be;
    private static AttentionShape s;
    private static Strided q, k, v, out, dOut, dq, dk, dv;
    private static HeapStorage lse, grads;

    private AttentionProbe() {
    }

    public static double[] measure(int iters) {
        if (be == null) {
            be = Backends.create("simd");
            Parallel.setThreads(Integer.getInteger("probe.threads", 1));
            SplittableRandom r = new SplittableRandom(1);
            HeapStorage x = new HeapStorage(gaussian(r, B * T * 3 * C)), g = new HeapStorage(gaussian(r, B * T * C));
            HeapStorage o = new HeapStorage(B * T * C);
            grads = new HeapStorage(B * T * 3 * C); // dQ, dK, dV in one fused (B, T, 3C) buffer, as training has them
            lse = new HeapStorage(B * NH * T);
            s = new AttentionShape(B, NH, T, T, HS, (float) (1 / Math.sqrt(HS)), true, 0f, 1L, 0L);
            q = new Strided(x, 0, T * 3 * C, 3 * C);
            k = new Strided(x, C, T * 3 * C, 3 * C);
            v = new Strided(x, 2 * C, T * 3 * C, 3 * C);
            out = new Strided(o, 0, T * C, C);
            dOut = new Strided(g, 0, T * C, C);
            dq = new Strided(grads, 0, T * 3 * C, 3 * C);
            dk = new Strided(grads, C, T * 3 * C, 3 * C);
            dv = new Strided(grads, 2 * C, T * 3 * C, 3 * C);
        }
        return forwardBackwardMs(iters, () -> be.attention(s, q, k, v, out, lse),
                () -> be.attentionBackwardStore(s, q, k, v, out, lse, dOut, dq, dk, dv, grads, 0, B * T * 3 * C));
    }

    /** Median milliseconds of {@code forward} and of the {@code backward} that follows it, over {@code iters} pairs. */
    static double[] forwardBackwardMs(int iters, Runnable forward, Runnable backward) {
        double[] fwd = new double[iters], bwd = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            forward.run();
            long t1 = System.nanoTime();
            backward.run();
            long t2 = System.nanoTime();
            fwd[i] = (t1 - t0) / 1e6;
            bwd[i] = (t2 - t1) / 1e6;
        }
        Arrays.sort(fwd);
        Arrays.sort(bwd);
        return new double[] {fwd[iters / 2], bwd[iters / 2]};
    }

    static float[] gaussian(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
