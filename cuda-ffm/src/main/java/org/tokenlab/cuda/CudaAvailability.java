package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.cuda.bindings.Cudart;
import org.tokenlab.cuda.bindings.Native;

/**
 * Whether CUDA can run here, and if not, why: computed once per process by {@link Cuda#availability()}.
 *
 * @param status         the verdict
 * @param detail         a human-readable reason (the call, its code, the library paths)
 * @param cudartPath     the libcudart loaded, or null
 * @param cublasPath     the libcublas loaded, or null
 * @param runtimeVersion cudaRuntimeGetVersion (e.g. 13000), 0 when unknown
 * @param driverVersion  cudaDriverGetVersion, 0 when there is no driver
 * @param cublasVersion  cublasGetVersion (e.g. 130100), 0 when unknown
 * @param deviceCount    devices seen, 0 when none or unknown
 * @param tried          every library path looked at, in order
 */
public record CudaAvailability(Status status, String detail, Path cudartPath, Path cublasPath,
                               int runtimeVersion, int driverVersion, int cublasVersion, int deviceCount,
                               List<String> tried) {

    /** The verdicts, in the order they are checked. */
    public enum Status {
        /** No libcudart could be found or loaded. */
        CUDART_NOT_FOUND,
        /** cudaGetDeviceCount returned 35 (insufficient driver) or 34 (stub library): no usable driver. */
        NO_DRIVER,
        /** cudaGetDeviceCount returned 100, or zero devices. */
        NO_DEVICE,
        /** cudaGetDeviceCount returned another error. */
        CUDA_ERROR,
        /** The runtime works but no libcublas could be found or loaded. */
        CUBLAS_NOT_FOUND,
        /** cublasCreate failed. */
        CUBLAS_INIT_FAILED,
        /** Everything needed is here. */
        OK
    }

    /** True when the backend can run. */
    public boolean available() {
        return status == Status.OK;
    }

    /** {@code STATUS: detail}, one line, for logs, exceptions and {@code tokenlab info}. */
    public String summary() {
        return status + ": " + detail;
    }

    /** The status a cudaGetDeviceCount return code and count map to (OK means: the runtime sees devices). */
    public static Status fromDeviceCount(int rc, int count) {
        return switch (rc) {
            case Cudart.cudaSuccess -> count > 0 ? Status.OK : Status.NO_DEVICE;
            case Cudart.cudaErrorInsufficientDriver, Cudart.cudaErrorStubLibrary -> Status.NO_DRIVER;
            case Cudart.cudaErrorNoDevice -> Status.NO_DEVICE;
            default -> Status.CUDA_ERROR;
        };
    }

    /** Probes the loaded libraries: device count, versions, then a cuBLAS handle. */
    static CudaAvailability probe(CudaLibraries.Loaded libs) {
        if (libs.cudart() == null) {
            return new CudaAvailability(Status.CUDART_NOT_FOUND, libs.cudartError() + triedHint(libs.tried()),
                    null, null, 0, 0, 0, 0, libs.tried());
        }
        String where = libs.cudartPath().getFileName() + " at " + libs.cudartPath();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            out.set(ValueLayout.JAVA_INT, 0, -1);
            int runtime = Cudart.cudaRuntimeGetVersion(out) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            out.set(ValueLayout.JAVA_INT, 0, 0);
            int driver = Cudart.cudaDriverGetVersion(out) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            out.set(ValueLayout.JAVA_INT, 0, 0); // cudaGetDeviceCount leaves it unwritten on error 35
            int rc = Cudart.cudaGetDeviceCount(out);
            int count = rc == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            Status s = fromDeviceCount(rc, count);
            String versions = " (runtime " + runtime + ", driver " + driver + ")";
            String cublasNote = libs.cublas() == null ? "; libcublas: " + libs.cublasError()
                    : "; libcublas at " + libs.cublasPath();
            if (s != Status.OK) {
                String what = rc == 0 ? "cudaGetDeviceCount found 0 devices"
                        : "cudaGetDeviceCount returned " + rc + " (" + errorText(rc, s) + ")";
                return new CudaAvailability(s, what + " — " + where + versions + cublasNote,
                        libs.cudartPath(), libs.cublasPath(), runtime, driver, 0, count, libs.tried());
            }
            if (libs.cublas() == null) {
                return new CudaAvailability(Status.CUBLAS_NOT_FOUND, libs.cublasError() + " — " + count
                        + " device(s), " + where + versions + triedHint(libs.tried()),
                        libs.cudartPath(), null, runtime, driver, 0, count, libs.tried());
            }
            MemorySegment handle = arena.allocate(ValueLayout.ADDRESS);
            int st = Cublas.cublasCreate_v2(handle);
            if (st != Cublas.CUBLAS_STATUS_SUCCESS) {
                return new CudaAvailability(Status.CUBLAS_INIT_FAILED, "cublasCreate returned " + st + " ("
                        + Native.string(Cublas.cublasGetStatusString(st)) + ") — " + libs.cublasPath(),
                        libs.cudartPath(), libs.cublasPath(), runtime, driver, 0, count, libs.tried());
            }
            MemorySegment h = handle.get(ValueLayout.ADDRESS, 0);
            int cublasVersion = Cublas.cublasGetVersion_v2(h, out) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            Cublas.cublasDestroy_v2(h);
            return new CudaAvailability(Status.OK, count + " device(s), cuBLAS " + cublasVersion + " at "
                    + libs.cublasPath() + ", " + where + versions,
                    libs.cudartPath(), libs.cublasPath(), runtime, driver, cublasVersion, count, libs.tried());
        }
    }

    private static String errorText(int rc, Status s) {
        String name = Native.string(Cudart.cudaGetErrorName(rc));
        return switch (s) {
            case NO_DRIVER -> rc == Cudart.cudaErrorInsufficientDriver ? "insufficient driver, " + name : name;
            case NO_DEVICE -> "no device, " + name;
            default -> name + ": " + Native.string(Cudart.cudaGetErrorString(rc));
        };
    }

    private static String triedHint(List<String> tried) {
        return tried.isEmpty() ? "" : " (searched " + tried.size() + " paths, first " + tried.getFirst()
                + "; set TOKENLAB_CUDA_PATH to the folder holding the library)";
    }
}
