package org.tokenlab.tensor.backend;

/** A {@link Storage} backed by a Java {@code float[]}; used by the scalar and SIMD backends. */
public final class HeapStorage implements Storage {
    /** The values; kernels read and write this array directly. */
    public final float[] data;

    public HeapStorage(float[] data) {
        this.data = data;
    }

    public HeapStorage(int size) {
        this(new float[size]);
    }

    /** The array behind {@code s}; fails clearly when {@code s} lives on another device. */
    public static float[] array(Storage s) {
        if (s instanceof HeapStorage h) {
            return h.data;
        }
        throw new IllegalArgumentException("expected a CPU (heap) storage, got one of backend " + s.backendName());
    }

    @Override
    public int size() {
        return data.length;
    }

    @Override
    public String backendName() {
        return "cpu";
    }
}
