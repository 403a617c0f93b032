package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads libcudart and libcublas once, explicitly, from the paths {@link LibraryLocator} finds (never
 * through an eager {@code -l} lookup), so a missing library becomes a status, not an
 * {@code ExceptionInInitializerError}. The bindings obtain their {@link SymbolLookup}s here.
 */
public final class CudaLibraries {
    /**
     * What was loaded: a null lookup means that library was not found or failed to load, and
     * {@code cudartError}/{@code cublasError} say why.
     */
    public record Loaded(Path cudartPath, SymbolLookup cudart, String cudartError,
                         Path cublasPath, SymbolLookup cublas, String cublasError, List<String> tried) {
    }

    private CudaLibraries() {
    }

    private static final class Holder {
        static final Loaded LOADED = loadSafely();
    }

    /** Never throws: a failure of the search itself is reported like a missing library. */
    private static Loaded loadSafely() {
        try {
            return load(new LibraryLocator(LibraryLocator.Inputs.system()));
        } catch (RuntimeException e) {
            String why = "library search failed: " + e;
            return new Loaded(null, null, why, null, null, why, List.of());
        }
    }

    /** The libraries of this process, located and loaded on first use. */
    public static Loaded loaded() {
        return Holder.LOADED;
    }

    /** Locates and loads cudart, then the cuBLAS whose soname major matches it (preferred). */
    static Loaded load(LibraryLocator locator) {
        List<String> tried = new ArrayList<>();
        LibraryLocator.Found rt = locator.find("cudart");
        tried.addAll(rt.tried());
        Path rtPath = null;
        SymbolLookup rtLookup = null;
        StringBuilder rtErr = new StringBuilder();
        for (Path p : rt.candidates()) {
            try {
                rtLookup = SymbolLookup.libraryLookup(p, Arena.global());
                rtPath = p;
                break;
            } catch (IllegalArgumentException e) {
                rtErr.append(p).append(": ").append(e.getMessage()).append("; ");
            }
        }
        if (rtLookup == null) {
            String why = rt.candidates().isEmpty()
                    ? "libcudart.so{.13,.12,} not found in " + rt.tried().size() + " places"
                    : "libcudart found but failed to load: " + rtErr;
            return new Loaded(null, null, why, null, null, "not searched (no cudart)", List.copyOf(tried));
        }
        LibraryLocator.Found bl = locator.find("cublas");
        tried.addAll(bl.tried());
        List<Path> order = new ArrayList<>(bl.candidates());
        Path preferred = bl.preferMajor(LibraryLocator.major(rtPath));
        if (preferred != null) {
            order.remove(preferred);
            order.addFirst(preferred);
        }
        StringBuilder blErr = new StringBuilder();
        for (Path p : order) {
            try {
                preloadSibling(p, "cublasLt");
                SymbolLookup l = SymbolLookup.libraryLookup(p, Arena.global());
                return new Loaded(rtPath, rtLookup, null, p, l, null, List.copyOf(tried));
            } catch (IllegalArgumentException e) {
                blErr.append(p).append(": ").append(e.getMessage()).append("; ");
            }
        }
        String why = order.isEmpty()
                ? "libcublas.so{.13,.12,} not found in " + bl.tried().size() + " places"
                : "libcublas found but failed to load: " + blErr;
        return new Loaded(rtPath, rtLookup, null, null, null, why, List.copyOf(tried));
    }

    /** libcublas needs libcublasLt; load the one beside it first so the dynamic loader finds it. */
    private static void preloadSibling(Path lib, String sibling) {
        String suffix = lib.getFileName().toString().substring(("lib" + "cublas").length());
        Path p = lib.resolveSibling("lib" + sibling + suffix);
        if (Files.isRegularFile(p)) {
            SymbolLookup.libraryLookup(p, Arena.global());
        }
    }
}
