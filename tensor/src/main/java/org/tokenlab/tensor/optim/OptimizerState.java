package org.tokenlab.tensor.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tokenlab.tensor.io.TensorData;

/**
 * A snapshot of an optimizer's state: the number of steps taken and its per-parameter buffers, keyed
 * {@code "<kind>.<i>"} where i is the parameter's position across the groups in order ("m.0", "v.0",
 * "momentum.3"). Restoring it into an optimizer over the same parameters continues bitwise exactly.
 */
public record OptimizerState(int step, Map<String, float[]> buffers) {

    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(buffers, "buffers")));
    }

    /** The buffers as 1-D F32 arrays for a safetensors file (the step goes in its metadata). */
    public Map<String, TensorData> toTensorData(String prefix) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : buffers.entrySet()) {
            out.put(prefix + e.getKey(), TensorData.f32(e.getValue(), e.getValue().length));
        }
        return out;
    }

    /** The inverse of {@link #toTensorData}: takes the entries starting with {@code prefix}, all F32. */
    public static OptimizerState fromTensorData(int step, Map<String, TensorData> tensors, String prefix) {
        Map<String, float[]> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                if (!e.getValue().dtype().equals("F32")) {
                    throw new IllegalArgumentException("optimizer state '" + e.getKey() + "' is stored as "
                            + e.getValue().dtype() + "; it must be F32 for an exact resume");
                }
                buffers.put(e.getKey().substring(prefix.length()), e.getValue().values());
            }
        }
        return new OptimizerState(step, buffers);
    }
}
