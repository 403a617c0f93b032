package org.tokenlab.tensor.backend;

/**
 * A flat buffer of float32 values owned by one backend: a heap array for the CPU backends
 * ({@link HeapStorage}), device memory for the CUDA backend. Kernels address it with element offsets.
 */
public interface Storage {
    /** Number of float elements. */
    int size();

    /** The backend that allocated this storage and may run kernels on it. */
    String backendName();
}
