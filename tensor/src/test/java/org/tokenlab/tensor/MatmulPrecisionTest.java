package org.tokenlab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.backend.ScalarBackend;
import org.tokenlab.tensor.simd.SimdBackend;

/** The CPU backends compute matmul in fp32 only: they accept FP32 and refuse TF32 with a message. */
class MatmulPrecisionTest {
    @Test
    void cpuBackendsAcceptFp32AndRefuseTf32() {
        for (Backend be : new Backend[] {new ScalarBackend(), new SimdBackend()}) {
            assertEquals(MatmulPrecision.FP32, be.matmulPrecision());
            be.setMatmulPrecision(MatmulPrecision.FP32);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.setMatmulPrecision(MatmulPrecision.TF32));
            assertEquals("matmul precision tf32 needs the cuda backend; the " + be.name()
                    + " backend computes matmul in fp32 only", e.getMessage());
            assertEquals(MatmulPrecision.FP32, be.matmulPrecision());
        }
    }

    @Test
    void parsingNamesWhatWasWrong() {
        assertEquals(MatmulPrecision.TF32, MatmulPrecision.parse(" TF32", "--matmul"));
        assertEquals("fp32", MatmulPrecision.parse("fp32", "--matmul").id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatmulPrecision.parse("fp16", "x.json"));
        assertEquals("x.json: unknown matmul precision 'fp16'; expected fp32 or tf32", e.getMessage());
    }
}
