package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;

/** The "simd" provider is registered, available under the test JVM flags, and species are checked. */
class SimdBackendProviderTest {
    @Test
    void registeredAndAvailable() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("simd")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'simd' provider in META-INF/services"));
        assertTrue(p.availability().available(), p.availability().detail());
        assertTrue(p.availability().detail().contains("float lanes"), p.availability().detail());
        assertEquals("simd", Backends.create("simd").name());
    }

    @Test
    void speciesPropertyIsValidated() {
        assertEquals(128, SimdSpecies.pick("128").vectorBitSize());
        assertEquals(256, SimdSpecies.pick(" 256 ").vectorBitSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimdSpecies.pick("96"));
        assertTrue(e.getMessage().contains("tokenlab.simd.bits"), e.getMessage());
    }

    @Test
    void kernelRowsFollowTheRegisterFileAndTheProperty() {
        assertEquals(4, SimdGemmKernel.rows(null, 8), "AVX2: 16 ymm registers hold a 4-row tile");
        assertEquals(8, SimdGemmKernel.rows(" ", 16), "AVX-512: 32 zmm registers hold an 8-row tile");
        assertEquals(4, SimdGemmKernel.rows("4", 16));
        assertEquals(8, SimdGemmKernel.rows(" 8 ", 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimdGemmKernel.rows("6", 16));
        assertTrue(e.getMessage().contains("tokenlab.simd.mr"), e.getMessage());
    }
}
