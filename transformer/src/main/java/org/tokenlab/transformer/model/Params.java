package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.rng.RandomStream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable tensors of a model, by nanoGPT/PyTorch name, in creation order (the order of the
 * optimiser state and of the checkpoint). Each parameter is initialised from its own named random
 * stream ({@code init.child(name)}), so adding or reordering parameters never changes the others.
 */
public final class Params {
    private final LinkedHashMap<String, Tensor> byName = new LinkedHashMap<>();
    private final RandomStream init;

    /** Parameters initialised from {@code init} (the run's "init" stream). */
    public Params(RandomStream init) {
        this.init = init;
    }

    /** A new parameter drawn from N(0, std²). */
    public Tensor normal(String name, float std, int... shape) {
        return add(name, Tensor.randn(init.child(name), std, shape));
    }

    /** A new parameter filled with {@code value}. */
    public Tensor constant(String name, float value, int... shape) {
        return add(name, Tensor.full(value, shape));
    }

    private Tensor add(String name, Tensor t) {
        if (byName.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter name " + name);
        }
        t.setRequiresGrad(true).setName(name);
        byName.put(name, t);
        return t;
    }

    /** The parameter called {@code name}; an error naming it when there is none. */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return t;
    }

    /** Every parameter by name, in creation order (read-only). */
    public Map<String, Tensor> all() {
        return Collections.unmodifiableMap(byName);
    }

    /** Total number of trainable values. */
    public long numel() {
        long n = 0;
        for (Tensor t : byName.values()) {
            n += t.numel();
        }
        return n;
    }

    /** Clears every gradient. */
    public void zeroGrad() {
        for (Tensor t : byName.values()) {
            t.zeroGrad();
        }
    }
}
