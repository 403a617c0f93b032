package org.tokenlab.cuda;

/**
 * Thrown by every public CUDA entry point when CUDA cannot be used here; the message is the
 * availability record's status, detail and the library paths found, so the user sees why.
 */
public final class CudaUnavailableException extends IllegalStateException {
    public CudaUnavailableException(String message) {
        super(message);
    }

    /** The exception for the current (unavailable) state of this machine. */
    public static CudaUnavailableException of(CudaAvailability a) {
        return new CudaUnavailableException("CUDA is unavailable: " + a.summary());
    }
}
