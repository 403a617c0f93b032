package org.tokenlab.tensor;

import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.Backends;

/**
 * Global execution state of the tensor layer: the current {@link Backend} (one per process) and
 * whether operations record an autograd graph (per thread).
 *
 * <p>The backend defaults to {@link Backends#defaultBackend()}: {@code -Dtokenlab.backend=NAME} if set,
 * else "simd" when registered and available, else "scalar". Switching backends while tensors from the
 * old one are alive is allowed only between backends that share a storage kind (scalar and simd both
 * use heap arrays).
 *
 * <p>The no-grad scope is <b>thread-local</b> and nests:
 * {@code try (var ng = Engine.noGrad()) { ... }} builds no graph on this thread until closed.
 */
public final class Engine {
    private static volatile Backend backend;
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Engine() {
    }

    /** The current backend (created on first use). */
    public static Backend backend() {
        Backend b = backend;
        if (b == null) {
            synchronized (Engine.class) {
                if (backend == null) {
                    backend = Backends.defaultBackend();
                }
                b = backend;
            }
        }
        return b;
    }

    /** Makes {@code b} the backend of every later operation. */
    public static void setBackend(Backend b) {
        if (b == null) {
            throw new IllegalArgumentException("setBackend: backend is null");
        }
        backend = b;
    }

    /** Whether operations on this thread currently record the autograd graph. */
    public static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** Opens a no-grad scope on this thread; close it (try-with-resources) to restore recording. */
    public static NoGrad noGrad() {
        NO_GRAD_DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** A no-grad scope; closing it twice is harmless. */
    public static final class NoGrad implements AutoCloseable {
        private boolean open = true;

        private NoGrad() {
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                NO_GRAD_DEPTH.get()[0]--;
            }
        }
    }
}
