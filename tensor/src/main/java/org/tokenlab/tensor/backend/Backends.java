package org.tokenlab.tensor.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds backends through {@link ServiceLoader} and picks one: {@code -Dtokenlab.backend=NAME} (or the
 * CLI's {@code --backend}) forces a backend; otherwise "simd", else "scalar". A backend that cannot run
 * here is reported with its reason, never silently skipped.
 */
public final class Backends {
    /** The system property that forces a backend. */
    public static final String PROPERTY = "tokenlab.backend";

    private Backends() {
    }

    /** Every registered provider, sorted by name. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        list.sort(Comparator.comparing(BackendProvider::name));
        return list;
    }

    /** Creates the backend named {@code name}, or fails naming the backends that exist and why not. */
    public static Backend create(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equals(name)) {
                BackendProvider.Availability a = p.availability();
                if (!a.available()) {
                    throw new IllegalStateException("backend '" + name + "' is unavailable: " + a.detail());
                }
                return p.create();
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known: "
                + all.stream().map(BackendProvider::name).collect(Collectors.joining(", ")));
    }

    /** The backend chosen by {@code -Dtokenlab.backend}, else "simd" when available, else "scalar". */
    public static Backend defaultBackend() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return create(forced.trim());
        }
        for (BackendProvider p : providers()) {
            if (p.name().equals("simd") && p.availability().available()) {
                return p.create();
            }
        }
        return create("scalar");
    }
}
