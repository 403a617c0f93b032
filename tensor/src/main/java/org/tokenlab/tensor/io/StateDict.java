package org.tokenlab.tensor.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Storage;

/**
 * Named tensors ↔ safetensors: copies tensor values out into {@link TensorData} and back into existing
 * tensors, strictly (like PyTorch's {@code load_state_dict(strict=True)}): the names must match
 * exactly and every shape must agree, or nothing is changed.
 */
public final class StateDict {
    private StateDict() {
    }

    /** Copies of the tensors' values (any layout; read in row-major order), to be stored as {@code dtype}. */
    public static Map<String, TensorData> snapshot(Map<String, Tensor> tensors, Dtype dtype) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            out.put(e.getKey(), new TensorData(dtype.name(), t.shape(), t.toArray()));
        }
        return out;
    }

    /** Writes the tensors as F32 with {@code metadata} (atomically, see {@link SafeTensors#write}). */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafeTensors.write(file, snapshot(tensors, Dtype.F32), metadata);
    }

    /**
     * Copies {@code data} into {@code into} (each target contiguous; values overwritten in place, no
     * autograd). Fails, before changing anything, when a name is missing or extra, or a shape differs.
     */
    public static void load(Map<String, TensorData> data, Map<String, Tensor> into) {
        Set<String> missing = new TreeSet<>(into.keySet());
        missing.removeAll(data.keySet());
        Set<String> unexpected = new TreeSet<>(data.keySet());
        unexpected.removeAll(into.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("state dict mismatch: missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : into.entrySet()) {
            Tensor t = e.getValue();
            TensorData d = data.get(e.getKey());
            if (!Arrays.equals(t.shape(), d.shape())) {
                throw new IllegalArgumentException("state dict: '" + e.getKey() + "' has shape "
                        + Arrays.toString(d.shape()) + ", the tensor has " + Arrays.toString(t.shape()));
            }
            if (!t.isContiguous()) {
                throw new IllegalArgumentException("state dict: tensor '" + e.getKey() + "' is not contiguous");
            }
        }
        Backend backend = Engine.backend();
        for (Map.Entry<String, Tensor> e : into.entrySet()) {
            Tensor t = e.getValue();
            Storage src = backend.upload(data.get(e.getKey()).values());
            backend.copy(src, 0, t.storage(), t.offset(), t.numel());
        }
    }
}
