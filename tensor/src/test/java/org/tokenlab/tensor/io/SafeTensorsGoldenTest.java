package org.tokenlab.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads a file written by the reference implementation (Hugging Face safetensors 0.8.0, see
 * {@code src/test/resources/safetensors/make_golden.py}), which orders tensors by dtype alignment, not name.
 */
class SafeTensorsGoldenTest {

    @Test
    void readsTheReferenceImplementationsOutput() throws IOException, URISyntaxException {
        Path f = Path.of(getClass().getResource("/safetensors/golden.safetensors").toURI());
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(List.of("f32", "scalar", "bf16", "f16"), List.copyOf(c.tensors().keySet()), "data order");
        assertEquals(Map.of("format", "np", "writer", "safetensors-0.8.0"), c.metadata());

        TensorData f32 = c.get("f32");
        assertEquals("F32", f32.dtype());
        assertArrayEquals(new int[] {2, 3}, f32.shape());
        assertArrayEquals(new float[] {0f, 1.5f, -2.25f, 1e-3f, 65504f, -0f}, f32.values());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f32.values()[5]));

        TensorData scalar = c.get("scalar");
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {7f}, scalar.values());

        TensorData bf16 = c.get("bf16");
        assertEquals("BF16", bf16.dtype());
        assertArrayEquals(new int[] {2, 2}, bf16.shape());
        assertArrayEquals(new float[] {1f, -3f, 3.140625f, 0x1p-133f}, bf16.values());

        TensorData f16 = c.get("f16");
        assertEquals("F16", f16.dtype());
        assertArrayEquals(new float[] {1f, -2f, 0.333251953125f, 6.103515625e-05f}, f16.values());
    }
}
