package org.tokenlab.tensor.backend;

/** Registers {@link ScalarBackend} as "scalar"; always available (it needs nothing but the JDK). */
public final class ScalarBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Availability availability() {
        return Availability.yes("plain Java loops, single-threaded (the reference)");
    }

    @Override
    public Backend create() {
        return new ScalarBackend();
    }
}
