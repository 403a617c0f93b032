package org.tokenlab.tensor.autograd;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Storage;

/**
 * A pool of dead tensor storages, keyed by size, that training steps reuse instead of allocating.
 *
 * <p>Why: every forward op allocates its output, and a GPT step allocates the same few sizes again
 * and again (tens of MB per step for the small preset). Fresh {@code float[]}s cost the JVM's zeroing
 * and, above all, young-generation collections that copy the live activations: measured at 0.2–0.35 s
 * per collection, every few steps. With a pool the arrays of one step are the arrays of the next.
 *
 * <p>Use: a training loop owns one StepMemory and wraps each forward + backward in
 * {@code try (var s = memory.open()) { loss = …; value = loss.item(); loss.backward(); }}. While a scope
 * is open on a thread, {@link org.tokenlab.tensor.Tensor#zeros} and {@link #allocate} on that thread take
 * storages from the pool, and {@link Backprop} gives back (1) each gradient buffer once its node's
 * backward has run (as it does within one backward without a scope) and (2) the <b>output storage of
 * each op</b> once that op's backward has run, when the op allocated it (views, which share an input's
 * storage, give nothing back).
 *
 * <p><b>The contract a caller accepts by opening a scope:</b> after {@code backward()}, every non-leaf
 * tensor of the differentiated graph is dead and its values may be overwritten by the next operation;
 * read what you need (the loss) before the backward, and do not keep intermediate tensors or their
 * {@code detach()}ed aliases past it. Leaves (parameters, inputs) and their {@code .grad} are never
 * given back. Without an open scope nothing changes: outputs are fresh arrays and stay valid.
 *
 * <p>Values never depend on the pool: a storage handed out by {@link org.tokenlab.tensor.Tensor#zeros} is
 * zero-filled first, and one handed out uninitialised ({@link #allocate} with {@code zero = false}) goes
 * only to kernels that write every element. Not thread-safe: one thread per StepMemory.
 */
public final class StepMemory {
    private static final ThreadLocal<StepMemory> OPEN = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<Storage>> free = new HashMap<>();
    private Backend backend;

    /** Opens this pool on the calling thread until the returned scope is closed. */
    public Scope open() {
        if (OPEN.get() != null) {
            throw new IllegalStateException("StepMemory.open: a StepMemory scope is already open on this thread");
        }
        Backend now = Engine.backend();
        if (backend != now) {
            free.clear(); // storages of another backend cannot serve this one
            backend = now;
        }
        OPEN.set(this);
        return new Scope();
    }

    /** An open pool; closing it stops recycling on this thread (closing twice is harmless). */
    public static final class Scope implements AutoCloseable {
        private boolean open = true;

        private Scope() {
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                OPEN.remove();
            }
        }
    }

    /** The pool open on this thread, or null. */
    static StepMemory current() {
        StepMemory m = OPEN.get();
        return m != null && m.backend == Engine.backend() ? m : null;
    }

    /**
     * A storage of {@code n} floats for an op's output: from the open pool when it has one of that size,
     * zero-filled if {@code zero} (else with undefined contents, for kernels that overwrite every element);
     * otherwise a fresh zero-filled {@link Backend#allocate}.
     */
    public static Storage allocate(int n, boolean zero) {
        StepMemory m = current();
        Storage s = m == null ? null : m.poll(n);
        if (s == null) {
            return Engine.backend().allocate(n);
        }
        if (zero) {
            m.backend.fill(s, 0, n, 0f);
        }
        return s;
    }

    /**
     * Forgets the gradients of {@code params} ({@link Tensor#zeroGrad()}) and takes their storages into
     * this pool: a training loop calls it at the start of a step, in place of the optimizer's zeroGrad,
     * when the previous step's gradients are dead (nothing reads them any more). Without it each step's
     * gradients come from fresh allocations, since a leaf keeps the gradient storage it adopts: cheap
     * on the JVM, but on a GPU each one is a device allocation until the garbage collector finds the
     * old ones (a fifth of the host's time in a medium-preset CUDA step, JFR, 2026-11-30). Each storage
     * is taken once, however many gradients share it; storages of another backend are only forgotten.
     */
    public void reclaimGradients(List<Tensor> params) {
        Set<Storage> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean ours = backend == Engine.backend();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null && ours && taken.add(g.storage())) {
                give(g.storage());
            }
            p.zeroGrad();
        }
    }

    /** A free storage of exactly n floats (the most recently freed: warmest in cache), or null. */
    Storage poll(int n) {
        ArrayDeque<Storage> sameSize = free.get(n);
        return sameSize == null ? null : sameSize.pollLast();
    }

    /** Hands {@code s} back: nothing may read or write it any more except through a later poll. */
    void give(Storage s) {
        free.computeIfAbsent(s.size(), k -> new ArrayDeque<>()).addLast(s);
    }
}
