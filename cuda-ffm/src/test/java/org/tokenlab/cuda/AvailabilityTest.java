package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.tokenlab.cuda.CudaAvailability.Status;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;

/** Status mapping, and what this machine reports: loaded cudart, no driver (or no cudart on plain CI). */
class AvailabilityTest {
    @Test
    void deviceCountCodesMapToStatuses() {
        assertEquals(Status.NO_DRIVER, CudaAvailability.fromDeviceCount(35, 0));
        assertEquals(Status.NO_DRIVER, CudaAvailability.fromDeviceCount(34, 0));
        assertEquals(Status.NO_DEVICE, CudaAvailability.fromDeviceCount(100, 0));
        assertEquals(Status.NO_DEVICE, CudaAvailability.fromDeviceCount(0, 0));
        assertEquals(Status.OK, CudaAvailability.fromDeviceCount(0, 1));
        assertEquals(Status.CUDA_ERROR, CudaAvailability.fromDeviceCount(999, 0));
    }

    @Test
    void theProviderIsRegisteredAndReportsTheRecord() {
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("cuda")).findFirst().orElseThrow();
        CudaAvailability a = Cuda.availability();
        assertEquals(a.available(), p.availability().available());
        assertEquals(a.summary(), p.availability().detail());
        assertTrue(p.availability().detail().startsWith(a.status().name() + ": "));
    }

    @Test
    void onAMachineWithCudartButNoDriverTheStatusIsNoDriverWithTheCode() {
        CudaAvailability a = Cuda.availability();
        assumeTrue(a.cudartPath() != null, "no libcudart on this machine: " + a.summary());
        assumeTrue(a.driverVersion() == 0, "a driver is present: " + a.summary());
        assertEquals(Status.NO_DRIVER, a.status(), a.summary());
        assertTrue(a.detail().startsWith("cudaGetDeviceCount returned 35 (insufficient driver"), a.detail());
        assertTrue(a.detail().contains(a.cudartPath().toString()), a.detail());
        assertTrue(a.runtimeVersion() >= 12000, "runtime version " + a.runtimeVersion());
        assertFalse(a.tried().isEmpty());
    }

    @Test
    void everyPublicEntryPointFailsClearlyWhenUnavailable() {
        CudaAvailability a = Cuda.availability();
        assumeTrue(!a.available(), "CUDA is available here");
        String why = a.summary();
        for (var call : new org.junit.jupiter.api.function.Executable[] {
                CudaBackend::new, () -> new CudaBackend(0), () -> new CudaBackendProvider().create(),
                Cuda::requireAvailable}) {
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class, call);
            assertTrue(e.getMessage().contains(why), e.getMessage());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        if (CudaLibraries.loaded().cublas() == null) {
            CudaUnavailableException b = assertThrows(CudaUnavailableException.class,
                    () -> Cublas.cublasCreate_v2(MemorySegment.NULL));
            assertTrue(b.getMessage().contains("libcublas is not loaded"), b.getMessage());
        }
    }
}
