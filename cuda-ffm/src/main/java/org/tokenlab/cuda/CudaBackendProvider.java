package org.tokenlab.cuda;

import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;

/** Registers the "cuda" backend with {@link org.tokenlab.tensor.backend.Backends}; says why when it cannot run. */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    /** The availability record's status and detail, e.g. {@code NO_DRIVER: cudaGetDeviceCount returned 35 ...}. */
    @Override
    public Availability availability() {
        CudaAvailability a = Cuda.availability();
        return a.available() ? Availability.yes(a.summary()) : Availability.no(a.summary());
    }

    /** A backend on device 0; throws {@link CudaUnavailableException} when CUDA is unavailable. */
    @Override
    public Backend create() {
        return new CudaBackend();
    }
}
