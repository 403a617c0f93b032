package org.tokenlab.tensor.backend;

/**
 * A (B, T, NH, HS) operand inside a storage: element (b, t, h, d) is at
 * {@code off + b·batchStride + t·rowStride + h·HS + d}.
 */
public record Strided(Storage storage, int off, int batchStride, int rowStride) {
}
