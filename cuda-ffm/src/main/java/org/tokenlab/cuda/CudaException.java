package org.tokenlab.cuda;

/** A CUDA or cuBLAS call returned an error code; the message names the call and the library's text. */
public final class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String call, int code, String text) {
        super(call + " failed with " + code + " (" + text + ")");
        this.code = code;
    }

    /** The status code the library returned. */
    public int code() {
        return code;
    }
}
