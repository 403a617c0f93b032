package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenlab.tensor.Tensor;

class StateDictTest {

    @Test
    void saveThenLoadRestoresValues(@TempDir Path dir) throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        model.put("b", Tensor.of(new float[] {-1, -2}, 2));
        Path f = dir.resolve("m.safetensors");
        StateDict.save(f, model, Map.of("step", "7"));

        Map<String, Tensor> fresh = new LinkedHashMap<>();
        fresh.put("w", Tensor.zeros(2, 3));
        fresh.put("b", Tensor.zeros(2));
        StateDict.load(SafeTensors.read(f).tensors(), fresh);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, fresh.get("w").toArray());
        assertArrayEquals(new float[] {-1, -2}, fresh.get("b").toArray());
    }

    @Test
    void snapshotReadsViewsInRowMajorOrder() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
        TensorData d = StateDict.snapshot(Map.of("t", t), Dtype.BF16).get("t");
        assertArrayEquals(new int[] {3, 2}, d.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, d.values());
    }

    @Test
    void strictLoadChangesNothingOnMismatch() {
        Map<String, Tensor> into = new LinkedHashMap<>();
        into.put("a", Tensor.zeros(2));
        into.put("b", Tensor.zeros(3));
        Map<String, TensorData> data = new LinkedHashMap<>();
        data.put("a", TensorData.f32(new float[] {1, 2}, 2));
        data.put("c", TensorData.f32(new float[] {1, 2, 3}, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateDict.load(data, into));
        assertTrue(e.getMessage().contains("missing [b], unexpected [c]"), e.getMessage());

        data.remove("c");
        data.put("b", TensorData.f32(new float[] {1, 2, 3}, 1, 3));
        e = assertThrows(IllegalArgumentException.class, () -> StateDict.load(data, into));
        assertTrue(e.getMessage().contains("'b' has shape [1, 3], the tensor has [3]"), e.getMessage());
        assertArrayEquals(new float[2], into.get("a").toArray(), "a was not written before b failed");
    }
}
