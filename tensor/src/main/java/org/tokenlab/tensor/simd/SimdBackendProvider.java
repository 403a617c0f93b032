package org.tokenlab.tensor.simd;

import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;

/**
 * Registers {@link SimdBackend} as "simd". Available when the {@code jdk.incubator.vector} module is
 * in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) and the
 * chosen species has at least 4 float lanes; otherwise the reason says which of the two failed.
 */
public final class SimdBackendProvider implements BackendProvider {
    /** Fewer lanes than this and the register-blocked kernels lose to plain loops. */
    static final int MIN_LANES = 4;

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Availability.no("the Vector API module is missing: start the JVM with --add-modules jdk.incubator.vector");
        }
        return Probe.availability();
    }

    @Override
    public Backend create() {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("backend 'simd' is unavailable: " + a.detail());
        }
        return new SimdBackend();
    }

    /** Touches the Vector API only after the module check, so a missing module never fails class loading. */
    private static final class Probe {
        static Availability availability() {
            try {
                int lanes = SimdSpecies.L;
                if (lanes < MIN_LANES) {
                    return Availability.no("the vector species has " + lanes + " float lanes, fewer than "
                            + MIN_LANES + " (" + SimdSpecies.describe() + ")");
                }
                return Availability.yes(SimdSpecies.describe());
            } catch (ExceptionInInitializerError | NoClassDefFoundError | IllegalArgumentException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return Availability.no("the vector species could not be set up: " + cause.getMessage());
            }
        }
    }
}
