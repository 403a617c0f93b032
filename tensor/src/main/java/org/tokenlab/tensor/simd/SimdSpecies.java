package org.tokenlab.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every SIMD kernel uses, fixed at class load so C2 folds it into constants.
 *
 * <p>{@code -Dtokenlab.simd.bits=128|256|512} overrides {@link FloatVector#SPECIES_PREFERRED} (species
 * are a tunable measured in jmh/, not an assumption); {@code -Dtokenlab.simd.fma=false} replaces fused
 * multiply-add by a multiply and an add (different rounding, for machines where FMA is emulated).
 */
public final class SimdSpecies {
    /** The float species of all kernels. */
    public static final VectorSpecies<Float> F = pick(System.getProperty("tokenlab.simd.bits"));
    /** Float lanes per vector. */
    public static final int L = F.length();
    /** Whether kernels use fused multiply-add. */
    public static final boolean FMA = !"false".equalsIgnoreCase(System.getProperty("tokenlab.simd.fma", "true").trim());

    private SimdSpecies() {
    }

    static VectorSpecies<Float> pick(String bits) {
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        return switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            case "preferred" -> VectorShape.preferredShape().withLanes(float.class);
            default -> throw new IllegalArgumentException(
                    "-Dtokenlab.simd.bits must be 128, 256 or 512, got '" + bits + "'");
        };
    }

    /** One line for logs and manifests, e.g. "256-bit, 8 float lanes, FMA on". */
    public static String describe() {
        return F.vectorBitSize() + "-bit, " + L + " float lanes, FMA " + (FMA ? "on" : "off");
    }
}
