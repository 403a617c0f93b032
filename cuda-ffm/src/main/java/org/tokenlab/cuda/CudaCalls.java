package org.tokenlab.cuda;

import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.cuda.bindings.Cudart;
import org.tokenlab.cuda.bindings.Native;

/** Turns cudart and cuBLAS status codes into {@link CudaException}s naming the call. */
final class CudaCalls {
    private CudaCalls() {
    }

    static void check(String call, int rc) {
        if (rc != Cudart.cudaSuccess) {
            throw new CudaException(call, rc, Native.string(Cudart.cudaGetErrorName(rc)) + ": "
                    + Native.string(Cudart.cudaGetErrorString(rc)));
        }
    }

    static void checkBlas(String call, int status) {
        if (status != Cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call, status, Native.string(Cublas.cublasGetStatusString(status)));
        }
    }
}
