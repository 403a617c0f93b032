import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.parallel.Parallel;

/**
 * Milliseconds per step of a training step's Linear GEMMs, called as MatmulOps.linear calls them: the forward
 * {@code Y = bias + X·Wᵀ} ({@code matmulBias}) of every layer (c_attn, c_proj, c_fc, mlp c_proj per block, then
 * the tied head), then the backward in reverse layer order, {@code dX = dY·W} and {@code dW = dYᵀ·X} (beta 0: the
 * first writer of a gradient buffer stores). Every layer has its own buffers, so the operands come from memory as
 * in training. Four metrics, each the median over {@code iters} steps: forward, input gradients, weight
 * gradients, all. Preset and threads from {@code -Dprobe.preset} (small, medium; default medium) and
 * {@code -Dprobe.threads} (default 1).
 */
public final class StepGemmProbe {
    /** One product: 0 forward, 1 input gradient, 2 weight gradient; its shape and operand offsets. */
    private record Gemm(int kind, int M, int N, int K, int a, int b, int c, int bias) {
    }

    private static Backend be;
    private static HeapStorage heap;
    private static List<Gemm> step;

    private StepGemmProbe() {
    }

    public static double[] measure(int iters) {
        if (be == null) {
            setUp();
        }
        double[][] ms = new double[4][iters];
        for (int i = 0; i < iters; i++) {
            for (Gemm g : step) {
                long t0 = System.nanoTime();
                switch (g.kind) {
                    case 0 -> be.matmulBias(g.M, g.N, g.K, heap, g.a, g.K, heap, g.b, g.K, true, heap, g.bias, heap, g.c);
                    case 1 -> be.matmul(1, g.M, g.N, g.K, 1f, heap, g.a, g.K, 0, false, heap, g.b, g.N, 0, false,
                            0f, heap, g.c, g.N, 0);
                    default -> be.matmul(1, g.M, g.N, g.K, 1f, heap, g.a, g.M, 0, true, heap, g.b, g.N, 0, false,
                            0f, heap, g.c, g.N, 0);
                }
                double dt = (System.nanoTime() - t0) / 1e6;
                ms[g.kind][i] += dt;
                ms[3][i] += dt;
            }
        }
        double[] out = new double[4];
        for (int k = 0; k < 4; k++) {
            Arrays.sort(ms[k]);
            out[k] = ms[k][iters / 2];
        }
        return out;
    }

    private static void setUp() {
        Parallel.setThreads(Integer.getInteger("probe.threads", 1));
        be = Backends.create("simd");
        String preset = System.getProperty("probe.preset", "medium");
        int C = preset.equals("small") ? 128 : 256, layers = preset.equals("small") ? 4 : 6;
        int rows = 2048, vocab = 256; // B·T tokens per step in both presets
        List<Gemm> forward = new ArrayList<>(), backward = new ArrayList<>();
        int top = 0;
        int[][] inOut = {{C, 3 * C}, {C, C}, {C, 4 * C}, {4 * C, C}};
        for (int l = 0; l <= layers; l++) {
            for (int[] io : l < layers ? inOut : new int[][] {{C, vocab}}) {
                int in = io[0], out = io[1];
                int x = top, w = x + rows * in, bias = w + out * in, y = bias + out;
                int dy = y + rows * out, dx = dy + rows * out, dw = dx + rows * in;
                top = dw + out * in;
                forward.add(new Gemm(0, rows, out, in, x, w, y, bias));
                backward.addFirst(new Gemm(2, out, in, rows, dy, x, dw, 0));
                backward.addFirst(new Gemm(1, rows, in, out, dy, w, dx, 0));
            }
        }
        step = new ArrayList<>(forward);
        step.addAll(backward);
        heap = new HeapStorage(AttentionProbe.gaussian(new SplittableRandom(234), top));
    }
}
