package org.tokenlab.tensor.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Storage;

/**
 * What AdamW and SGD share: parameter groups, the learning rate, the step count, per-parameter state
 * buffers on the current backend, and their export and restore.
 *
 * <p>Parameters must be leaves that require grad, be contiguous from storage offset 0 (the fused
 * kernels take no offsets), and appear once. Parameters whose gradient is null at a step are skipped
 * (as in PyTorch); the bias-correction step count is the optimizer's, shared by all parameters.
 */
public abstract class Optimizer {
    /** The backend that holds the state buffers and runs the update kernels. */
    protected final Backend backend;
    private final List<ParamGroup> groups;
    private final List<Tensor> params;
    private final float[] weightDecay;
    private final String[] bufferKinds;
    /** buffers[kind][i]: state of kind {@code bufferKinds[kind]} for parameter i. */
    private final Storage[][] buffers;
    private float lr;
    private int step;

    /**
     * @param bufferKinds names of the per-parameter state buffers ("m", "v"; "momentum"), each allocated
     *                    zero-filled with the parameter's size
     */
    protected Optimizer(String optimizer, List<ParamGroup> groups, float lr, String... bufferKinds) {
        this.backend = Engine.backend();
        this.groups = List.copyOf(groups);
        this.bufferKinds = bufferKinds.clone();
        List<Tensor> flat = new ArrayList<>();
        List<Float> decay = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : this.groups) {
            for (Tensor p : g.params()) {
                String where = optimizer + ": parameter " + flat.size() + " (" + p.describe() + ")";
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(where + " appears more than once");
                }
                if (!p.requiresGrad()) {
                    throw new IllegalArgumentException(where + " does not require grad");
                }
                if (!p.isContiguous() || p.offset() != 0) {
                    throw new IllegalArgumentException(where + " must be contiguous from storage offset 0, not a view");
                }
                flat.add(p);
                decay.add(g.weightDecay());
            }
        }
        this.params = List.copyOf(flat);
        this.weightDecay = new float[flat.size()];
        for (int i = 0; i < weightDecay.length; i++) {
            weightDecay[i] = decay.get(i);
        }
        this.buffers = new Storage[bufferKinds.length][flat.size()];
        for (int k = 0; k < bufferKinds.length; k++) {
            for (int i = 0; i < flat.size(); i++) {
                buffers[k][i] = backend.allocate(flat.get(i).numel());
            }
        }
        setLr(lr);
    }

    /** One update of every parameter that has a gradient. */
    public final void step() {
        step(1f);
    }

    /**
     * One update with every gradient multiplied by {@code gradScale} first: pass
     * {@link GradClip#scale} to clip without rewriting the gradients.
     */
    public final void step(float gradScale) {
        if (!(gradScale >= 0 && Float.isFinite(gradScale))) {
            throw new IllegalArgumentException("gradScale must be finite and >= 0, got " + gradScale);
        }
        step++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (!g.isContiguous() || g.offset() != 0 || g.numel() != p.numel()) {
                throw new IllegalStateException("gradient of parameter " + i + " (" + p.describe()
                        + ") must be contiguous from offset 0 with the parameter's size");
            }
            update(i, p, g, weightDecay[i], step, gradScale);
        }
    }

    /**
     * Updates parameter {@code i} given its gradient g (contiguous, offset 0).
     *
     * @param step the 1-based number of this step
     */
    protected abstract void update(int i, Tensor p, Tensor g, float weightDecay, int step, float gradScale);

    /** State buffer {@code kind} (an index into the constructor's bufferKinds) of parameter i. */
    protected final Storage buffer(int kind, int i) {
        return buffers[kind][i];
    }

    /** Forgets every parameter's gradient. */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** The learning rate of the next step. */
    public final float lr() {
        return lr;
    }

    /** Sets the learning rate of the next steps (a schedule calls this before each step). */
    public final void setLr(float lr) {
        if (!(lr >= 0 && Float.isFinite(lr))) {
            throw new IllegalArgumentException("lr must be finite and >= 0, got " + lr);
        }
        this.lr = lr;
    }

    /** Steps taken so far. */
    public final int stepCount() {
        return step;
    }

    /** The parameters in state order (groups in order, each group's parameters in order). */
    public final List<Tensor> params() {
        return params;
    }

    /** The groups as given. */
    public final List<ParamGroup> groups() {
        return groups;
    }

    /** A copy of the step count and every state buffer. */
    public final OptimizerState exportState() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int k = 0; k < bufferKinds.length; k++) {
            for (int i = 0; i < params.size(); i++) {
                float[] host = new float[params.get(i).numel()];
                backend.download(buffers[k][i], 0, host, 0, host.length);
                out.put(bufferKinds[k] + "." + i, host);
            }
        }
        return new OptimizerState(step, out);
    }

    /**
     * Restores a state exported by an optimizer of the same kind over parameters of the same sizes;
     * fails, changing nothing, when a buffer is missing, extra or of the wrong length.
     */
    public final void loadState(OptimizerState state) {
        int expected = bufferKinds.length * params.size();
        if (state.buffers().size() != expected) {
            throw new IllegalArgumentException("optimizer state has " + state.buffers().size()
                    + " buffers, this optimizer needs " + expected + " (" + String.join(", ", bufferKinds)
                    + " for each of " + params.size() + " parameters)");
        }
        Storage[][] fresh = new Storage[bufferKinds.length][params.size()];
        for (int k = 0; k < bufferKinds.length; k++) {
            for (int i = 0; i < params.size(); i++) {
                String key = bufferKinds[k] + "." + i;
                float[] host = state.buffers().get(key);
                if (host == null) {
                    throw new IllegalArgumentException("optimizer state lacks buffer '" + key + "'");
                }
                if (host.length != params.get(i).numel()) {
                    throw new IllegalArgumentException("optimizer state buffer '" + key + "' has " + host.length
                            + " values, parameter " + params.get(i).describe() + " has " + params.get(i).numel());
                }
                fresh[k][i] = backend.upload(host);
            }
        }
        for (int k = 0; k < bufferKinds.length; k++) {
            System.arraycopy(fresh[k], 0, buffers[k], 0, params.size());
        }
        step = state.step();
    }
}
