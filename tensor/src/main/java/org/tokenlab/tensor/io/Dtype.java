package org.tokenlab.tensor.io;

/**
 * The safetensors element types TokenLab reads (all three) and writes (all three), with their
 * conversions to and from float32. Values always live in memory as float32; the dtype only says how
 * they are stored on disk.
 */
public enum Dtype {
    /** IEEE 754 binary32, stored exactly. */
    F32(4),
    /** bfloat16: the top 16 bits of a float32 (8-bit exponent, 7-bit mantissa). */
    BF16(2),
    /** IEEE 754 binary16 (5-bit exponent, 10-bit mantissa). */
    F16(2);

    /** Bytes per element on disk. */
    public final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** The dtype spelled {@code name} in a header, or null if TokenLab does not know it. */
    public static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * float32 → bfloat16 bits, rounding to nearest, ties to even (as PyTorch's {@code .to(bfloat16)}).
     * NaN stays a (quiet) NaN with its sign; values beyond the bf16 range round to infinity.
     */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half-way cases towards the even neighbour;
        // a carry into the exponent is the correct rounding up (to the next binade or to infinity).
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** bfloat16 bits → float32 (exact). */
    public static float bf16ToFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /** The float32 that a value becomes after a round trip through this dtype. */
    public float roundTrip(float f) {
        return switch (this) {
            case F32 -> f;
            case BF16 -> bf16ToFloat(floatToBf16(f));
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(f));
        };
    }
}
