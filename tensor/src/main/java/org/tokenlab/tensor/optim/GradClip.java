package org.tokenlab.tensor.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Gradient clipping by the global L2 norm, ‖g‖ = √(Σ over parameters of Σ g²), as
 * {@code torch.nn.utils.clip_grad_norm_} (without its 1e-6 in the denominator, so a clipped norm is
 * maxNorm up to float rounding).
 *
 * <p>Two ways to apply it: {@link #clipGlobalNorm} rewrites the gradients in place; or compute
 * {@link #globalNorm} and pass {@link #scale}{@code (norm, maxNorm)} to {@link Optimizer#step(float)},
 * which multiplies each gradient by the scale inside the update and leaves the gradients untouched.
 * Both give the same update up to one rounding of g·scale.
 */
public final class GradClip {
    private GradClip() {
    }

    /**
     * The global L2 norm of the gradients of {@code params} (null gradients count as zero). Each
     * gradient's Σg² is a double from the backend's fixed-order {@code sumOfSquares}; they are added in
     * list order, so the result does not depend on threads.
     */
    public static double globalNorm(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                requireContiguous(p, g);
                grads.add(g);
            }
        }
        Storage[] xs = new Storage[grads.size()];
        int[] offs = new int[xs.length], ns = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = grads.get(i).storage();
            offs[i] = grads.get(i).offset();
            ns[i] = grads.get(i).numel();
        }
        double sum = 0;
        for (double s : Engine.backend().sumsOfSquares(xs, offs, ns)) { // one wait on a GPU, not one per tensor
            sum += s;
        }
        return Math.sqrt(sum);
    }

    /**
     * The factor that brings a norm down to maxNorm: {@code maxNorm / norm} when norm &gt; maxNorm, else 1.
     * A non-finite norm gives 1 (nothing sensible to scale to; the caller should skip the step).
     */
    public static float scale(double norm, float maxNorm) {
        if (!(maxNorm > 0 && Float.isFinite(maxNorm))) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
        }
        if (!Double.isFinite(norm) || norm <= maxNorm) {
            return 1f;
        }
        return (float) (maxNorm / norm);
    }

    /**
     * Scales every gradient in place so that the global norm is at most maxNorm, and returns the norm
     * before clipping (log it; a NaN or infinite norm leaves the gradients untouched). Gradients that
     * share one storage region (the same gradient adopted by two parameters) are scaled once.
     */
    public static double clipGlobalNorm(List<Tensor> params, float maxNorm) {
        double norm = globalNorm(params);
        float s = scale(norm, maxNorm);
        if (s == 1f) {
            return norm;
        }
        Backend backend = Engine.backend();
        Map<Storage, List<int[]>> done = new IdentityHashMap<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null || g.numel() == 0) {
                continue;
            }
            int off = g.offset();
            int n = g.numel();
            List<int[]> regions = done.computeIfAbsent(g.storage(), k -> new ArrayList<>());
            if (alreadyScaled(regions, off, n, p)) {
                continue;
            }
            regions.add(new int[] {off, n});
            backend.unary(UnaryOp.SCALE, s, g.storage(), off, g.storage(), off, n); // g = s·g
        }
        return norm;
    }

    /** Whether [off, off+n) was scaled already; a partial overlap cannot be scaled correctly. */
    private static boolean alreadyScaled(List<int[]> regions, int off, int n, Tensor p) {
        for (int[] r : regions) {
            if (r[0] == off && r[1] == n) {
                return true;
            }
            if (off < r[0] + r[1] && r[0] < off + n) {
                throw new IllegalStateException("gradient of " + p.describe()
                        + " partially overlaps another parameter's gradient; cannot clip it in place");
            }
        }
        return false;
    }

    private static void requireContiguous(Tensor p, Tensor g) {
        if (!g.isContiguous()) {
            throw new IllegalStateException("gradient of " + p.describe() + " is not contiguous");
        }
    }
}
