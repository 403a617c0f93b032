package org.tokenlab.tensor.autograd;

import java.util.IdentityHashMap;
import java.util.Map;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;

/**
 * The gradient buffers of one backward pass, one per tensor that requires grad: contiguous, offset 0,
 * the tensor's shape, zero-filled on first use. Rules accumulate into them ({@code +=}), which is what
 * the backend's backward kernels do.
 */
public final class Grads {
    private final Map<Tensor, Tensor> buffers = new IdentityHashMap<>();
    private Node current;

    /** The buffer for input {@code i} of the node being differentiated, or null if it needs no gradient. */
    public Tensor of(int i) {
        Tensor in = current.input(i);
        return in.requiresGrad() ? bufferOf(in) : null;
    }

    void setCurrent(Node node) {
        current = node;
    }

    Tensor bufferOf(Tensor t) {
        return buffers.computeIfAbsent(t, k -> Tensor.zeros(k.shape()));
    }

    Tensor take(Tensor t) {
        return buffers.remove(t);
    }

    /**
     * dst += alpha · sumTo(src, dst.shape): {@code src} has a shape that broadcasts from dst's
     * (right-aligned); broadcast axes are summed one by one, in a fixed order.
     */
    public static void accumulate(Tensor dst, Tensor src, float alpha) {
        Tensor reduced = sumTo(src, dst.shape());
        Tensor c = reduced.contiguous();
        Engine.backend().axpy(dst.numel(), alpha, c.storage(), c.offset(), dst.storage(), dst.offset());
    }

    /** Sums {@code src} over the axes along which {@code shape} was broadcast to src's shape. */
    public static Tensor sumTo(Tensor src, int[] shape) {
        int[] from = src.shape();
        if (java.util.Arrays.equals(from, shape)) {
            return src;
        }
        int lead = from.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: shape " + Shapes.str(from) + " cannot be reduced to "
                    + Shapes.str(shape));
        }
        Tensor t = src;
        for (int d = 0; d < from.length; d++) {
            int target = d < lead ? 1 : shape[d - lead];
            if (from[d] != target) {
                if (target != 1) {
                    throw new IllegalArgumentException("sumTo: shape " + Shapes.str(from)
                            + " cannot be reduced to " + Shapes.str(shape));
                }
                t = t.sum(d, true);
            }
        }
        return t.reshape(shape);
    }
}
