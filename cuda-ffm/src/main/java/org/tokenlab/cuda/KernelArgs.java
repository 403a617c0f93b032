package org.tokenlab.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code void** args} array of {@code cudaLaunchKernel}: one pointer per kernel parameter, each
 * pointing at that parameter's value. Values are written into one reusable native buffer, each at an
 * 8-byte aligned slot (16 for structs), so a launch allocates nothing. Not thread-safe: one per
 * backend, reset before each launch.
 *
 * <p>Example, for {@code axpy_f32(int n, float alpha, const float* src, float* dst)}:
 * {@code args.reset().i32(n).f32(alpha).ptr(src).ptr(dst)}.
 */
public final class KernelArgs {
    /** At most this many parameters per kernel. */
    public static final int MAX_ARGS = 32;
    private static final long VALUE_BYTES = 2048;

    private final MemorySegment pointers;
    private final MemorySegment values;
    private final long[] sizes = new long[MAX_ARGS];
    private int count;
    private long cursor;

    public KernelArgs(Arena arena) {
        this.pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
        this.values = arena.allocate(VALUE_BYTES, 16);
    }

    /** Forgets the previous launch's arguments. */
    public KernelArgs reset() {
        count = 0;
        cursor = 0;
        return this;
    }

    private MemorySegment slot(long bytes, long align) {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        }
        long at = (cursor + align - 1) / align * align;
        if (at + bytes > VALUE_BYTES) {
            throw new IllegalStateException("kernel arguments exceed " + VALUE_BYTES + " bytes");
        }
        MemorySegment s = values.asSlice(at, bytes);
        sizes[count] = bytes;
        pointers.setAtIndex(ValueLayout.ADDRESS, count++, s);
        cursor = at + bytes;
        return s;
    }

    /** An {@code int} parameter (also C enums). */
    public KernelArgs i32(int v) {
        slot(4, 8).set(ValueLayout.JAVA_INT, 0, v);
        return this;
    }

    /** A {@code float} parameter. */
    public KernelArgs f32(float v) {
        slot(4, 8).set(ValueLayout.JAVA_FLOAT, 0, v);
        return this;
    }

    /** A {@code double} parameter. */
    public KernelArgs f64(double v) {
        slot(8, 8).set(ValueLayout.JAVA_DOUBLE, 0, v);
        return this;
    }

    /** A {@code long long} / {@code unsigned long long} parameter. */
    public KernelArgs i64(long v) {
        slot(8, 8).set(ValueLayout.JAVA_LONG, 0, v);
        return this;
    }

    /** A device pointer parameter (0 for a null pointer). */
    public KernelArgs ptr(long devicePointer) {
        return i64(devicePointer);
    }

    /** A struct passed by value: its bytes are copied. */
    public KernelArgs struct(MemorySegment bytes) {
        slot(bytes.byteSize(), 16).copyFrom(bytes);
        return this;
    }

    /** The number of parameters packed so far. */
    public int count() {
        return count;
    }

    /** The byte size of parameter {@code i} (checked against the kernels' PTX in tests). */
    public long size(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + count);
        }
        return sizes[i];
    }

    /** The {@code void**} array to pass to cudaLaunchKernel. */
    public MemorySegment array() {
        return pointers;
    }

    /** The address stored in slot {@code i} (for tests: where parameter i's value lives). */
    public MemorySegment valueOf(int i, long bytes) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + count);
        }
        return pointers.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(bytes);
    }
}
