package org.tokenlab.tensor.autograd;

import java.util.IdentityHashMap;
import java.util.Map;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Shapes;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Storage;

/**
 * The gradient buffers of one backward pass, one per tensor that requires grad: contiguous, offset 0,
 * the tensor's shape, zero-filled on first use. Rules accumulate into them ({@code +=}), which is what
 * the backend's backward kernels do. A rule whose kernel can store instead of add asks for a {@link #target}
 * instead: the first contribution to a buffer is then written over unfilled memory, which saves the fill and
 * the kernel's read of the zeros (the GEMMs of Linear's input gradient, GELU's backward, attention's).
 *
 * <p>Buffers of intermediate tensors die as soon as their node's backward has run; {@link Backprop}
 * hands them back through {@link #recycle}, and a later buffer of the same size reuses the storage
 * (zero-filled again) instead of allocating a fresh array. A GPT backward needs the same few sizes in
 * every layer, so after the first layer almost no buffer is newly allocated, and the reused storage is
 * still warm in cache. The pool lives only as long as this backward pass, unless a {@link StepMemory}
 * scope is open: then it is that StepMemory, and outlives the pass.
 */
public final class Grads {
    private final Map<Tensor, Tensor> buffers = new IdentityHashMap<>();
    private final StepMemory free;
    private Node current;
    private boolean adoptedIncoming; // the current node's incoming gradient became an input's buffer

    Grads() {
        StepMemory open = StepMemory.current();
        free = open != null ? open : new StepMemory();
    }

    /** The pool buffers come from and go back to: the open StepMemory, or this pass's own. */
    StepMemory pool() {
        return free;
    }

    /** The buffer for input {@code i} of the node being differentiated, or null if it needs no gradient. */
    public Tensor of(int i) {
        Tensor in = current.input(i);
        return in.requiresGrad() ? bufferOf(in) : null;
    }

    /**
     * Where input {@code i}'s gradient goes, for a rule that can write its whole contribution in one go (a GEMM with
     * beta = 0, a store instead of an add); null if the input needs no gradient. When the input has no buffer
     * yet, a buffer is made for it <em>without</em> the zero fill and {@link Target#overwrite()} is true: the rule
     * must then write every element (what a zero-filled buffer plus its {@code +=} would hold, bit for bit).
     * Otherwise the target is the existing buffer, to add to. Two inputs may be the same tensor, so a rule writes
     * its targets in the order it asked for them.
     */
    public Target target(int i) {
        Tensor in = current.input(i);
        if (!in.requiresGrad()) {
            return null;
        }
        Tensor existing = buffers.get(in);
        if (existing != null) {
            return new Target(existing, false);
        }
        Tensor made = unfilledBuffer(in.shape());
        buffers.put(in, made);
        return new Target(made, true);
    }

    /** A gradient buffer and whether the rule writing it must overwrite (a new, unfilled buffer) or add. */
    public record Target(Tensor buffer, boolean overwrite) {
        /** GEMM beta for this target: 0 overwrites, 1 adds. */
        public float beta() {
            return overwrite ? 0f : 1f;
        }
    }

    void setCurrent(Node node) {
        current = node;
        adoptedIncoming = false;
    }

    /**
     * Makes {@code g}, the current node's incoming gradient (or a reshaped view of its storage), the
     * gradient buffer of input {@code i} when that input needs a gradient, has no buffer yet, and has
     * g's shape; g must be contiguous at offset 0. Saves the zero-fill and the add of a first
     * contribution that is g itself (residual adds, reshapes). At most once per node; returns whether
     * it did. The caller must not write g afterwards other than through that buffer.
     */
    public boolean adopt(int i, Tensor g) {
        Tensor in = current.input(i);
        if (adoptedIncoming || !in.requiresGrad() || buffers.containsKey(in)
                || !java.util.Arrays.equals(in.shape(), g.shape()) || !g.isContiguous() || g.offset() != 0) {
            return false;
        }
        buffers.put(in, g);
        adoptedIncoming = true;
        return true;
    }

    Tensor bufferOf(Tensor t) {
        return buffers.computeIfAbsent(t, k -> zeroBuffer(k.shape()));
    }

    // a zero-filled contiguous tensor of this shape, on recycled storage when one of its size is free
    private Tensor zeroBuffer(int[] shape) {
        int n = Shapes.numel(shape);
        Storage s = free.poll(n); // most recently freed: warmest in cache
        if (s == null) {
            return Tensor.zeros(shape);
        }
        Engine.backend().fill(s, 0, n, 0f);
        return Tensor.wrap(s, shape);
    }

    // a contiguous tensor of this shape with undefined contents, on recycled storage when one of its size is free
    private Tensor unfilledBuffer(int[] shape) {
        Storage s = free.poll(Shapes.numel(shape));
        return s == null ? Tensor.empty(shape) : Tensor.wrap(s, shape);
    }

    /**
     * Returns the storage of {@code g}, a gradient buffer taken by {@link #take} whose node's backward
     * has finished, to the pool, unless the node adopted it ({@link #adopt}). Only for buffers nothing
     * else refers to (not leaf gradients, which become {@code .grad}).
     */
    void recycle(Tensor g) {
        if (adoptedIncoming) {
            return; // g lives on as an input's buffer
        }
        free.give(g.storage());
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
