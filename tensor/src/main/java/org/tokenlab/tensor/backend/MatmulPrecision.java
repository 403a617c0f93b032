package org.tokenlab.tensor.backend;

import java.util.Locale;

/**
 * How a backend's float32 matmul treats its inputs. {@link #FP32}: exact float32 products, the default and
 * the only mode of the CPU backends. {@link #TF32}: the inputs are rounded to TensorFloat-32 (8-bit exponent,
 * 10-bit mantissa) and multiplied on tensor cores with float32 accumulation, what PyTorch calls
 * {@code allow_tf32} (CUDA only; several times faster, about 3 decimal digits per input).
 */
public enum MatmulPrecision {
    FP32, TF32;

    /** The lower-case name used on the command line and in manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "fp32" or "tf32" (any case); anything else is a clear error naming {@code what}. */
    public static MatmulPrecision parse(String s, String what) {
        for (MatmulPrecision p : values()) {
            if (p.id().equalsIgnoreCase(s.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException(what + ": unknown matmul precision '" + s + "'; expected fp32 or tf32");
    }
}
