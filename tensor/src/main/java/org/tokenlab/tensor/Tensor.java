package org.tokenlab.tensor;

import org.tokenlab.tensor.autograd.Backprop;
import org.tokenlab.tensor.autograd.ElementwiseOps;
import org.tokenlab.tensor.autograd.MatmulOps;
import org.tokenlab.tensor.autograd.Node;
import org.tokenlab.tensor.autograd.ReduceOps;
import org.tokenlab.tensor.autograd.StepMemory;
import org.tokenlab.tensor.autograd.ViewOps;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.UnaryOp;
import org.tokenlab.tensor.rng.RandomStream;

/**
 * An n-dimensional float32 array with reverse-mode autograd.
 *
 * <p>A tensor is a <b>view</b>: a {@link Storage} (flat floats owned by a backend) read through a
 * {@code shape}, per-dimension {@code strides} (in elements) and an {@code offset}. Element
 * {@code (i0, i1, …)} lives at {@code offset + Σ i_d·strides[d]}. Transpose, permute, slice, expand and
 * most reshapes only change these three fields and share the storage; {@link #contiguous()} copies
 * into row-major order when a kernel needs it.
 *
 * <p>Every operation runs on {@link Engine#backend()} and, unless inside {@link Engine#noGrad()},
 * records a node on the autograd tape when some input {@link #requiresGrad()}. {@link #backward()}
 * then fills {@link #grad()} of every leaf that requires grad. Rules: see
 * {@link org.tokenlab.tensor.autograd.Rule}.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final int numel;
    private boolean requiresGrad;
    private Tensor grad;
    private Node node;
    private boolean released;
    private String name;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shapes.numel(shape);
    }

    // ================================================================ creation

    /**
     * A tensor reading {@code storage} through (shape, strides, offset); no copy, no grad. For primitive
     * implementations and I/O. Fails when an addressed element would lie outside the storage.
     */
    public static Tensor wrap(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("wrap: shape " + Shapes.str(shape) + " and strides "
                    + Shapes.str(strides) + " differ in rank");
        }
        if (Shapes.numel(shape) > 0) {
            long lo = offset;
            long hi = offset;
            for (int d = 0; d < shape.length; d++) {
                long reach = (long) (shape[d] - 1) * strides[d];
                lo += Math.min(reach, 0);
                hi += Math.max(reach, 0);
            }
            if (lo < 0 || hi >= storage.size()) {
                throw new IllegalArgumentException("wrap: shape " + Shapes.str(shape) + " with strides "
                        + Shapes.str(strides) + " at offset " + offset + " reaches outside a storage of "
                        + storage.size() + " floats");
            }
        }
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    /** A contiguous tensor over {@code storage} from offset 0. */
    public static Tensor wrap(Storage storage, int... shape) {
        return wrap(storage, shape, Shapes.contiguousStrides(shape), 0);
    }

    /**
     * A zero-filled tensor. Inside an open {@link StepMemory} scope its storage may be a recycled one
     * (zero-filled again).
     */
    public static Tensor zeros(int... shape) {
        return wrap(StepMemory.allocate(Shapes.numel(shape), true), shape);
    }

    /**
     * A tensor whose contents are undefined: zeros, or inside an open {@link StepMemory} scope the old
     * values of a recycled storage. Only for primitives whose kernel then writes every element.
     */
    public static Tensor empty(int... shape) {
        return wrap(StepMemory.allocate(Shapes.numel(shape), false), shape);
    }

    /** A tensor filled with ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        if (value != 0f) {
            Engine.backend().fill(t.storage, 0, t.numel(), value);
        }
        return t;
    }

    /** A tensor holding a copy of {@code data} in row-major order; its length must equal the shape's size. */
    public static Tensor of(float[] data, int... shape) {
        if (data.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(shape));
        }
        return wrap(Engine.backend().upload(data), shape);
    }

    /** A rank-0 tensor (shape {@code []}). */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /**
     * Normal(0, std²) values drawn from {@code rng} in row-major order, one
     * {@link RandomStream#nextGaussian()} per element (two stream positions each).
     */
    public static Tensor randn(RandomStream rng, float std, int... shape) {
        float[] data = new float[Shapes.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rng.nextGaussian() * std);
        }
        return of(data, shape);
    }

    /**
     * Uniform values in [lo, hi) drawn from {@code rng} in row-major order, one
     * {@link RandomStream#nextFloat()} per element: {@code lo + (hi − lo)·u}.
     */
    public static Tensor uniform(RandomStream rng, float lo, float hi, int... shape) {
        float[] data = new float[Shapes.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return of(data, shape);
    }

    // ================================================================ info

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The rank. */
    public int dim() {
        return shape.length;
    }

    /** The size of dimension {@code d}; negative d counts from the end. */
    public int size(int d) {
        return shape[Shapes.axis("size", d, shape.length)];
    }

    /** The number of elements. */
    public int numel() {
        return numel;
    }

    /** Whether the elements lie in row-major order without gaps (from {@link #offset()}). */
    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** The storage this tensor reads (shared with its views). */
    public Storage storage() {
        return storage;
    }

    /** The element offset of index (0, 0, …) in the storage. */
    public int offset() {
        return offset;
    }

    /** A copy of the strides (in elements). */
    public int[] strides() {
        return strides.clone();
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor " + describe() + " has " + numel() + " elements, not 1");
        }
        return get(new int[shape.length]);
    }

    /** A row-major copy of the values. */
    public float[] toArray() {
        Tensor c = contiguousNoGrad();
        float[] out = new float[c.numel()];
        Engine.backend().download(c.storage, c.offset, out, 0, out.length);
        return out;
    }

    /** The element at {@code index} (one index per dimension, each in range). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int pos = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " out of range [0, " + shape[d]
                        + ") in dimension " + d + " of " + describe());
            }
            pos += index[d] * strides[d];
        }
        float[] one = new float[1];
        Engine.backend().download(storage, pos, one, 0, 1);
        return one[0];
    }

    /** The diagnostic name (null if unnamed). */
    public String name() {
        return name;
    }

    /** Sets the diagnostic / checkpoint name and returns this. */
    public Tensor setName(String name) {
        this.name = name;
        return this;
    }

    /** "name[2, 3]" or "[2, 3]": used in error messages. */
    public String describe() {
        return (name == null ? "" : name) + Shapes.str(shape);
    }

    // ================================================================ autograd

    /** Whether gradients flow to (a leaf) or through (a result) this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a parameter (or not) and returns this; results of operations cannot be changed. */
    public Tensor setRequiresGrad(boolean requires) {
        if (node != null) {
            throw new IllegalStateException("setRequiresGrad: " + describe() + " is the result of an operation, not a leaf");
        }
        this.requiresGrad = requires;
        return this;
    }

    /**
     * The accumulated gradient of a leaf (same shape, contiguous at offset 0, so its storage can go
     * straight to a kernel), or null before any backward and after {@link #zeroGrad()}.
     */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the gradient (the next backward allocates a fresh one). */
    public void zeroGrad() {
        grad = null;
    }

    /** Adds {@code g} (this tensor's shape) into {@link #grad()}; adopts it when there is no gradient yet. */
    public void accumulateGrad(Tensor g) {
        if (!java.util.Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("accumulateGrad: gradient " + Shapes.str(g.shape)
                    + " does not match " + describe());
        }
        if (grad == null) {
            grad = g.isContiguous() && g.offset == 0 ? g : g.contiguousNoGrad();
        } else {
            Tensor c = g.contiguousNoGrad();
            Engine.backend().axpy(numel(), 1f, c.storage, c.offset, grad.storage, grad.offset);
        }
    }

    /** Back-propagates from this one-element tensor (seed 1). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: " + describe() + " is not a scalar; pass a seed gradient");
        }
        backward(full(1f, shape));
    }

    /** Back-propagates {@code seed} (this tensor's shape), then releases the graph. */
    public void backward(Tensor seed) {
        Backprop.run(this, seed);
    }

    /** A tensor sharing this one's storage, cut from the graph (no grad). */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    /** Whether backward has already consumed and dropped this tensor's node. */
    public boolean isReleased() {
        return released;
    }

    /** Drops the producing node after backward used it (the tensor keeps its values). */
    public void release() {
        if (node != null) {
            node = null;
            released = true;
        }
    }

    /** The tape node that produced this tensor (null for leaves and after backward). */
    public Node node() {
        return node;
    }

    /**
     * Sets the producing node (primitives call this through {@link Node#record}; backward clears it).
     * A non-null node marks this tensor as requiring grad.
     */
    public void attachNode(Node n) {
        this.node = n;
        if (n != null) {
            this.requiresGrad = true;
        }
    }

    // ================================================================ views

    /** Same elements, new shape (one -1 allowed); a view when the strides allow it, else a copy. */
    public Tensor reshape(int... newShape) {
        return ViewOps.reshape(this, newShape);
    }

    /** Like {@link #reshape} but fails instead of copying. */
    public Tensor view(int... newShape) {
        return ViewOps.view(this, newShape);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int a, int b) {
        int r = shape.length;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        int x = Shapes.axis("transpose", a, r);
        int y = Shapes.axis("transpose", b, r);
        perm[x] = y;
        perm[y] = x;
        return ViewOps.permute(this, perm);
    }

    /** Reorders the axes: output axis i is input axis {@code perm[i]} (a view). */
    public Tensor permute(int... perm) {
        return ViewOps.permute(this, perm);
    }

    /** Elements [start, end) along {@code dim} (a view). */
    public Tensor slice(int dim, int start, int end) {
        return ViewOps.slice(this, dim, start, end);
    }

    /** Inserts a size-1 axis at {@code d} (d may equal the rank; negative counts from the end). */
    public Tensor unsqueeze(int d) {
        int r = shape.length;
        int at = d < 0 ? d + r + 1 : d;
        if (at < 0 || at > r) {
            throw new IllegalArgumentException("unsqueeze: axis " + d + " is out of range for a tensor of rank " + r);
        }
        int[] s = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            s[i] = i == at ? 1 : shape[j++];
        }
        return ViewOps.reshape(this, s);
    }

    /** Removes the size-1 axis {@code d}. */
    public Tensor squeeze(int d) {
        int at = Shapes.axis("squeeze", d, shape.length);
        if (shape[at] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + d + " of " + describe() + " has size " + shape[at]);
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != at) {
                s[j++] = shape[i];
            }
        }
        return ViewOps.reshape(this, s);
    }

    /** Removes every size-1 axis. */
    public Tensor squeeze() {
        return ViewOps.reshape(this, java.util.Arrays.stream(shape).filter(s -> s != 1).toArray());
    }

    /** Broadcasts size-1 axes (and new leading axes) to {@code sizes} with stride 0; -1 keeps a size. */
    public Tensor expand(int... sizes) {
        return ViewOps.expand(this, sizes);
    }

    /** This tensor if already contiguous, else a row-major copy. */
    public Tensor contiguous() {
        return ViewOps.contiguous(this);
    }

    private Tensor contiguousNoGrad() {
        try (var ng = Engine.noGrad()) {
            return contiguous();
        }
    }

    /**
     * Writes {@code src} (broadcast to this shape) into this tensor's elements, in place; this may be any
     * view, e.g. the rows of a KV cache: {@code cache.slice(1, t0, t1).copyFrom(kNew)}. Not recorded
     * on the tape, so it fails on a tensor that requires grad unless inside {@link Engine#noGrad()}.
     * Returns this.
     */
    public Tensor copyFrom(Tensor src) {
        if (requiresGrad && Engine.isGradEnabled()) {
            throw new IllegalStateException("copyFrom: " + describe() + " requires grad; write into it inside Engine.noGrad()");
        }
        ViewOps.copyInto(this, src);
        return this;
    }

    /** Joins tensors along {@code axis}; other sizes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        return ViewOps.concat(axis, parts);
    }

    // ================================================================ elementwise

    /** this + o, numpy broadcasting. */
    public Tensor add(Tensor o) {
        return ElementwiseOps.binary(BinaryOp.ADD, this, o);
    }

    /** this − o, numpy broadcasting. */
    public Tensor sub(Tensor o) {
        return ElementwiseOps.binary(BinaryOp.SUB, this, o);
    }

    /** this · o elementwise, numpy broadcasting. */
    public Tensor mul(Tensor o) {
        return ElementwiseOps.binary(BinaryOp.MUL, this, o);
    }

    /** this / o elementwise, numpy broadcasting. */
    public Tensor div(Tensor o) {
        return ElementwiseOps.binary(BinaryOp.DIV, this, o);
    }

    /** this + s. */
    public Tensor add(float s) {
        return ElementwiseOps.unary(UnaryOp.ADD_SCALAR, s, this);
    }

    /** this − s. */
    public Tensor sub(float s) {
        return ElementwiseOps.unary(UnaryOp.ADD_SCALAR, -s, this);
    }

    /** s · this. */
    public Tensor mul(float s) {
        return ElementwiseOps.unary(UnaryOp.SCALE, s, this);
    }

    /** Multiplies by 1/s (so it may differ from true division in the last bit). */
    public Tensor div(float s) {
        return ElementwiseOps.unary(UnaryOp.SCALE, 1f / s, this);
    }

    /** −this. */
    public Tensor neg() {
        return ElementwiseOps.unary(UnaryOp.NEG, 0f, this);
    }

    /** eˣ elementwise. */
    public Tensor exp() {
        return ElementwiseOps.unary(UnaryOp.EXP, 0f, this);
    }

    /** Natural logarithm elementwise. */
    public Tensor log() {
        return ElementwiseOps.unary(UnaryOp.LOG, 0f, this);
    }

    /** √x elementwise. */
    public Tensor sqrt() {
        return ElementwiseOps.unary(UnaryOp.SQRT, 0f, this);
    }

    /** tanh elementwise. */
    public Tensor tanh() {
        return ElementwiseOps.unary(UnaryOp.TANH, 0f, this);
    }

    /** xᵖ elementwise. */
    public Tensor pow(float p) {
        return ElementwiseOps.unary(UnaryOp.POW, p, this);
    }

    /** max(x, 0) elementwise. */
    public Tensor relu() {
        return ElementwiseOps.unary(UnaryOp.RELU, 0f, this);
    }

    /** GELU, tanh approximation (GPT-2). */
    public Tensor gelu() {
        return ElementwiseOps.unary(UnaryOp.GELU, 0f, this);
    }

    /** SiLU: x·σ(x). */
    public Tensor silu() {
        return ElementwiseOps.unary(UnaryOp.SILU, 0f, this);
    }

    // ================================================================ reductions

    /** The sum of all elements (shape {@code []}). */
    public Tensor sum() {
        return ReduceOps.sum(reshape(numel()), 0, false);
    }

    /** Sums over {@code axis}; keeps it as size 1 when {@code keepDim}. */
    public Tensor sum(int axis, boolean keepDim) {
        return ReduceOps.sum(this, axis, keepDim);
    }

    /** The mean of all elements (shape {@code []}). */
    public Tensor mean() {
        return sum().mul(1f / numel());
    }

    /** Means over {@code axis}. */
    public Tensor mean(int axis, boolean keepDim) {
        int n = shape[Shapes.axis("mean", axis, shape.length)];
        return sum(axis, keepDim).mul(1f / n);
    }

    /** Maxima over {@code axis}; the gradient flows to the first maximal element. */
    public Tensor max(int axis, boolean keepDim) {
        return ReduceOps.max(this, axis, keepDim);
    }

    /** Softmax over the last axis. */
    public Tensor softmax() {
        return ReduceOps.softmax(this, false);
    }

    /** Log-softmax over the last axis. */
    public Tensor logSoftmax() {
        return ReduceOps.softmax(this, true);
    }

    // ================================================================ linear algebra

    /**
     * Matrix product over the last two axes, batch axes broadcast: (…, M, K) · (…, K, N) → (…, M, N).
     * Transposed views are passed to the kernel as transpose flags, without copies.
     */
    public Tensor matmul(Tensor o) {
        return MatmulOps.matmul(this, o);
    }

    // ================================================================ printing

    /** Shape, name, grad flag and up to 8 leading values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(describe());
        if (requiresGrad) {
            sb.append(" requiresGrad");
        }
        int n = numel();
        int shown = Math.min(n, 8);
        // only the shown values leave the backend (a GPU tensor is not copied whole for a log line)
        float[] v;
        try (var ng = Engine.noGrad()) {
            v = reshape(n).slice(0, 0, shown).toArray();
        }
        sb.append(" [");
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i]);
        }
        if (n > shown) {
            sb.append(", … (").append(n).append(" values)");
        }
        return sb.append(']').toString();
    }
}
