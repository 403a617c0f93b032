package org.tokenlab.tensor.backend;

/**
 * Found through {@link java.util.ServiceLoader}: a backend that may or may not be usable on this
 * machine (the CUDA backend lives in another module and registers itself this way).
 */
public interface BackendProvider {
    /** The name used by {@code --backend} and {@code -Dtokenlab.backend}. */
    String name();

    /** Whether the backend can run here, and if not, why. */
    Availability availability();

    /** Creates the backend; only called when available. */
    Backend create();

    /** Availability with a human-readable reason. */
    record Availability(boolean available, String detail) {
        public static Availability yes(String detail) {
            return new Availability(true, detail);
        }

        public static Availability no(String why) {
            return new Availability(false, why);
        }
    }
}
