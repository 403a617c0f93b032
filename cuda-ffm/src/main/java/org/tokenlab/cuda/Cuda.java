package org.tokenlab.cuda;

/** The process-wide CUDA availability, computed once on first use. */
public final class Cuda {
    private Cuda() {
    }

    private static final class Holder {
        static final CudaAvailability AVAILABILITY = CudaAvailability.probe(CudaLibraries.loaded());
    }

    /** Whether CUDA (runtime, device, cuBLAS) can be used here, and why not. */
    public static CudaAvailability availability() {
        return Holder.AVAILABILITY;
    }

    /** True when {@link #availability()} is OK. */
    public static boolean isAvailable() {
        return availability().available();
    }

    /** Throws {@link CudaUnavailableException} with the reason unless CUDA is available. */
    public static void requireAvailable() {
        CudaAvailability a = availability();
        if (!a.available()) {
            throw CudaUnavailableException.of(a);
        }
    }
}
