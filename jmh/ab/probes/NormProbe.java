import java.util.SplittableRandom;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Milliseconds of SimdBackend's layer norm forward and backward at a training step's shape (rows 2048, C from
 * {@code -Dprobe.C}, default 128), medians over {@code iters} calls; threads from {@code -Dprobe.threads}
 * (default 2).
 */
public final class NormProbe {
    private static Backend be;
    private static HeapStorage x, w, b, y, mean, rstd, dy, dx, dw, db;
    private static int C;

    private NormProbe() {
    }

    public static double[] measure(int iters) {
        int N = 2048;
        if (be == null) {
            C = Integer.getInteger("probe.C", 128);
            Parallel.setThreads(Integer.getInteger("probe.threads", 2));
            be = Backends.create("simd");
            SplittableRandom r = new SplittableRandom(3);
            x = new HeapStorage(AttentionProbe.gaussian(r, N * C));
            dy = new HeapStorage(AttentionProbe.gaussian(r, N * C));
            w = new HeapStorage(AttentionProbe.gaussian(r, C));
            b = new HeapStorage(AttentionProbe.gaussian(r, C));
            y = new HeapStorage(N * C);
            dx = new HeapStorage(N * C);
            mean = new HeapStorage(N);
            rstd = new HeapStorage(N);
            dw = new HeapStorage(C);
            db = new HeapStorage(C);
        }
        return AttentionProbe.forwardBackwardMs(iters, () -> be.layerNorm(N, C, 1e-5f, x, 0, w, b, y, 0, mean, rstd),
                () -> be.layerNormBackward(N, C, x, 0, w, mean, rstd, dy, 0, dx, 0, dw, db));
    }
}
