package org.tokenlab.tensor.autograd;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;

/**
 * View primitives (reshape, permute, slice, expand: new shape/strides/offset over the same storage) and
 * the copies (contiguous, concat). The backward of a view maps the gradient back to the input's
 * logical layout; input gradient buffers are always contiguous.
 */
public final class ViewOps {
    private ViewOps() {
    }

    /** A view when the strides allow it, else a contiguous copy then a view. */
    public static Tensor reshape(Tensor x, int[] newShape) {
        int[] shape = Shapes.inferShape("reshape", x.shape(), newShape);
        int[] strides = Shapes.viewStrides(x.shape(), x.strides(), shape);
        Tensor src = x;
        if (strides == null) {
            src = contiguous(x);
            strides = Shapes.contiguousStrides(shape);
        }
        return reshapeView(src, shape, strides);
    }

    /** Like reshape, but fails when a copy would be needed. */
    public static Tensor view(Tensor x, int[] newShape) {
        int[] shape = Shapes.inferShape("view", x.shape(), newShape);
        int[] strides = Shapes.viewStrides(x.shape(), x.strides(), shape);
        if (strides == null) {
            throw new IllegalArgumentException("view: " + x.describe() + " with strides " + Shapes.str(x.strides())
                    + " cannot be viewed as " + Shapes.str(shape) + "; use reshape (copies)");
        }
        return reshapeView(x, shape, strides);
    }

    private static Tensor reshapeView(Tensor x, int[] shape, int[] strides) {
        Tensor out = Tensor.wrap(x.storage(), shape, strides, x.offset());
        int n = out.numel();
        // both gradients are contiguous and share the row-major element order
        return Node.record(Rule.RESHAPE, out, new Tensor[] {x}, (g, grads) -> {
            if (g.offset() == 0 && grads.adopt(0, Tensor.wrap(g.storage(), x.shape()))) {
                return; // g's storage, read in x's shape, is x's gradient
            }
            Tensor dX = grads.of(0);
            Engine.backend().axpy(n, 1f, g.storage(), g.offset(), dX.storage(), dX.offset());
        });
    }

    /** Output axis i is input axis perm[i]. */
    public static Tensor permute(Tensor x, int[] perm) {
        int r = x.dim();
        if (perm.length != r) {
            throw new IllegalArgumentException("permute: " + Shapes.str(perm) + " is not a permutation of "
                    + r + " axes for " + x.describe());
        }
        int[] inShape = x.shape();
        int[] inStrides = x.strides();
        int[] shape = new int[r];
        int[] strides = new int[r];
        int[] inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int p = Shapes.axis("permute", perm[i], r);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: " + Shapes.str(perm) + " repeats axis " + perm[i]);
            }
            seen[p] = true;
            shape[i] = inShape[p];
            strides[i] = inStrides[p];
            inverse[p] = i;
        }
        Tensor out = Tensor.wrap(x.storage(), shape, strides, x.offset());
        return Node.record(Rule.PERMUTE, out, new Tensor[] {x}, (g, grads) -> {
            Tensor dX = grads.of(0);
            Tensor back = g.permute(inverse).contiguous();
            Engine.backend().axpy(dX.numel(), 1f, back.storage(), back.offset(), dX.storage(), dX.offset());
        });
    }

    /** Elements [start, end) along dim. */
    public static Tensor slice(Tensor x, int dim, int start, int end) {
        int[] shape = x.shape();
        int d = Shapes.axis("slice", dim, shape.length);
        if (start < 0 || end > shape[d] || start > end) {
            throw new IndexOutOfBoundsException("slice: range [" + start + ", " + end + ") is outside [0, "
                    + shape[d] + "] of axis " + d + " of " + x.describe());
        }
        int[] strides = x.strides();
        int full = shape[d];
        shape[d] = end - start;
        Tensor out = Tensor.wrap(x.storage(), shape, strides, x.offset() + start * strides[d]);
        int[] oRi = ReduceOps.split(shape, d);
        int fOuter = oRi[0];
        int fInner = oRi[2];
        return Node.record(Rule.SLICE, out, new Tensor[] {x}, (g, grads) -> {
            // dX viewed as (outer, full, inner): rows [start, end) of each outer block get g
            Tensor dX = grads.of(0);
            Backend be = Engine.backend();
            int block = (end - start) * fInner;
            for (int o = 0; o < fOuter; o++) {
                be.axpy(block, 1f, g.storage(), g.offset() + o * block,
                        dX.storage(), dX.offset() + (o * full + start) * fInner);
            }
        });
    }

    /** Size-1 axes (and new leading axes) broadcast to sizes, stride 0. */
    public static Tensor expand(Tensor x, int[] sizes) {
        int[] in = x.shape();
        int[] inStrides = x.strides();
        int lead = sizes.length - in.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: shapes " + Shapes.str(in) + " and " + Shapes.str(sizes)
                    + " do not match (fewer axes)");
        }
        int[] shape = new int[sizes.length];
        int[] strides = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int have = i < lead ? 1 : in[i - lead];
            int want = sizes[i] == -1 && i >= lead ? have : sizes[i];
            if (want < 0 || (have != want && have != 1)) {
                throw new IllegalArgumentException("expand: shapes " + Shapes.str(in) + " and "
                        + Shapes.str(sizes) + " do not match");
            }
            shape[i] = want;
            strides[i] = i < lead || have != want ? 0 : inStrides[i - lead];
        }
        Tensor out = Tensor.wrap(x.storage(), shape, strides, x.offset());
        return Node.record(Rule.EXPAND, out, new Tensor[] {x}, (g, grads) -> Grads.accumulate(grads.of(0), g, 1f));
    }

    /** x itself when contiguous, else a row-major copy. */
    public static Tensor contiguous(Tensor x) {
        if (x.isContiguous()) {
            return x;
        }
        return copy(x);
    }

    /** Always a fresh row-major copy at offset 0. */
    public static Tensor copy(Tensor x) {
        Tensor out = Tensor.empty(x.shape()); // gather writes every element
        Engine.backend().gather(x.shape(), x.storage(), x.offset(), x.strides(), out.storage(), 0);
        int n = out.numel();
        return Node.record(Rule.CONTIGUOUS, out, new Tensor[] {x}, (g, grads) -> {
            if (grads.adopt(0, g)) {
                return; // gradient buffers are contiguous whatever x's strides: g is x's gradient
            }
            Tensor dX = grads.of(0);
            Engine.backend().axpy(n, 1f, g.storage(), g.offset(), dX.storage(), dX.offset());
        });
    }

    /** x when contiguous at offset 0 (what kernels without an offset argument need), else a copy. */
    public static Tensor packed(Tensor x) {
        return x.isContiguous() && x.offset() == 0 ? x : copy(x);
    }

    /**
     * dst[…] = src[…] (src broadcast to dst's shape), in place, not recorded. dst is split into an outer
     * index space and the longest row-major tail of its axes; each tail block is one gather call.
     */
    public static void copyInto(Tensor dst, Tensor src) {
        int[] shape = dst.shape();
        int[] srcStrides = Shapes.broadcastStrides(src.shape(), src.strides(), shape);
        if (!java.util.Arrays.equals(Shapes.broadcast("copyFrom", src.shape(), shape), shape)) {
            throw new IllegalArgumentException("copyFrom: shapes " + Shapes.str(src.shape()) + " and "
                    + Shapes.str(shape) + " do not match");
        }
        int[] dstStrides = dst.strides();
        int k = shape.length;
        int expected = 1;
        while (k > 0 && (shape[k - 1] == 1 || dstStrides[k - 1] == expected)) {
            expected *= shape[k - 1];
            k--;
        }
        int[] tail = java.util.Arrays.copyOfRange(shape, k, shape.length);
        int[] tailStrides = java.util.Arrays.copyOfRange(srcStrides, k, shape.length);
        int outer = 1;
        for (int d = 0; d < k; d++) {
            outer *= shape[d];
        }
        Backend be = Engine.backend();
        int[] idx = new int[k];
        for (int o = 0; o < outer; o++) {
            int dOff = dst.offset();
            int sOff = src.offset();
            for (int d = 0; d < k; d++) {
                dOff += idx[d] * dstStrides[d];
                sOff += idx[d] * srcStrides[d];
            }
            be.gather(tail, src.storage(), sOff, tailStrides, dst.storage(), dOff);
            for (int d = k - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                idx[d] = 0;
            }
        }
    }

    /** Parts joined along axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        int[] first = parts[0].shape();
        int d = Shapes.axis("concat", axis, first.length);
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == d || s[i] == first[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.str(first) + " and " + Shapes.str(s)
                        + " do not match along axes other than " + d);
            }
            total += s[d];
        }
        int[] shape = first.clone();
        shape[d] = total;
        int[] oRi = ReduceOps.split(shape, d);
        int outer = oRi[0];
        int inner = oRi[2];
        Tensor out = Tensor.zeros(shape);
        Backend be = Engine.backend();
        int[] starts = new int[parts.length];
        int at = 0;
        for (int k = 0; k < parts.length; k++) {
            starts[k] = at;
            Tensor c = parts[k].contiguous();
            int block = c.size(d) * inner;
            // out viewed as (outer, total, inner): part k fills rows [at, at + size) of each outer block
            for (int o = 0; o < outer; o++) {
                be.copy(c.storage(), c.offset() + o * block, out.storage(), (o * total + at) * inner, block);
            }
            at += c.size(d);
        }
        return Node.record(Rule.CONCAT, out, parts, (g, grads) -> {
            for (int k = 0; k < parts.length; k++) {
                Tensor dX = grads.of(k);
                if (dX != null) {
                    Tensor part = g.slice(d, starts[k], starts[k] + parts[k].size(d)).contiguous();
                    Engine.backend().axpy(dX.numel(), 1f, part.storage(), part.offset(), dX.storage(), dX.offset());
                }
            }
        });
    }
}
