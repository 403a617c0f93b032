package org.tokenlab.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS control functions JavaCPP's preset does not expose ({@code openblas_set_num_threads},
 * {@code openblas_get_num_threads}, {@code openblas_get_corename}, {@code openblas_get_config}),
 * bound through FFM to the libopenblas.so.0 that JavaCPP has already loaded (dlopen by soname
 * returns the loaded copy).
 */
final class OpenBlasNative {
    private static final MethodHandle SET_THREADS, GET_THREADS, CORENAME, CONFIG;

    static {
        Loader.load(openblas_nolapack.class);
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
        SET_THREADS = linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        GET_THREADS = linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        CORENAME = linker.downcallHandle(find(lib, "openblas_get_corename"), FunctionDescriptor.of(ValueLayout.ADDRESS));
        CONFIG = linker.downcallHandle(find(lib, "openblas_get_config"), FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    private OpenBlasNative() {
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("libopenblas.so.0 has no symbol " + name));
    }

    /** Row-major {@code cblas_sgemm}: C (M × N, ldc) = alpha·op(A)·op(B) + beta·C, with op a transpose when asked. */
    static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha, FloatPointer a, int lda,
                      FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    static void setThreads(int n) {
        try {
            SET_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    static int threads() {
        try {
            return (int) GET_THREADS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    static String corename() {
        return string(CORENAME);
    }

    static String config() {
        return string(CONFIG);
    }

    private static String string(MethodHandle h) {
        try {
            MemorySegment p = (MemorySegment) h.invokeExact();
            return p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("OpenBLAS info call failed", t);
        }
    }
}
