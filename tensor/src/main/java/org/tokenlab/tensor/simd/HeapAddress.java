package org.tokenlab.tensor.simd;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Where a heap {@code float[]} lies in memory right now, so that the GEMM can start its packed panels on a
 * cache-line boundary.
 *
 * <p>Why: the micro-kernel loads 16 floats of a packed B panel per k step as two 32-byte vectors. The JVM only
 * aligns arrays to 8 bytes, so the panel's first float sits at an address ≡ 0, 8, …, 56 (mod 64), and from any
 * start not a multiple of 32 one load of the two crosses a cache line, which the core serves as two loads. The
 * bare kernel ran 3.6–5.5 % slower at the median with B 16 bytes off a 32-byte boundary than on it (interleaved
 * in one JVM; docs/performance-log.md §2k). Java offers no way to ask for an aligned array, and the
 * garbage collector may move one (keeping only its 8-byte alignment), so the GEMM asks for the address each
 * time it packs and starts its panels at the first 64-byte boundary.
 *
 * <p>How: a critical downcall ({@link Linker.Option#critical(boolean) critical(true)}) may be handed a heap
 * segment, whose address is then the array's address for the duration of the call. The C library's
 * {@code memset(p, 0, 0)} writes nothing and returns p: the identity function on pointers. The answer is
 * only a hint — the array may move right after — so nothing depends on it for correctness: a wrong guess
 * costs the split loads, never a wrong result (the panels' offset changes where the floats sit, not which
 * floats are summed in which order). Without native access (a library user who did not pass
 * {@code --enable-native-access}) the offset is always 0, as before.
 */
final class HeapAddress {
    /** Bytes of one cache line: the alignment the packed panels are given. */
    static final int LINE_BYTES = 64;
    /** Floats of slack a buffer needs so that an aligned start of its data fits: one line less one float. */
    static final int SLACK_FLOATS = LINE_BYTES / Float.BYTES - 1;

    /** {@code memset(void*, int, size_t)} as a critical downcall, or null where native access is off or fails. */
    private static final MethodHandle IDENTITY = identity();

    private HeapAddress() {
    }

    private static MethodHandle identity() {
        if (!HeapAddress.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("memset").map(memset -> linker.downcallHandle(memset,
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true))).orElse(null);
        } catch (RuntimeException e) {
            return null; // a platform without a C library the linker knows: panels stay unaligned
        }
    }

    /** True when {@link #of} reports real addresses. */
    static boolean known() {
        return IDENTITY != null;
    }

    /** The address of {@code a[0]} at this moment, or 0 when it cannot be known (see {@link #known}). */
    static long of(float[] a) {
        if (IDENTITY == null) {
            return 0;
        }
        try {
            return ((MemorySegment) IDENTITY.invokeExact(MemorySegment.ofArray(a), 0, 0L)).address();
        } catch (Throwable t) {
            throw new IllegalStateException("memset(p, 0, 0) failed", t);
        }
    }

    /**
     * The first index {@code i} in [0, {@link #SLACK_FLOATS}] with {@code a[i]} on a {@link #LINE_BYTES} boundary
     * at this moment (0 when the address is unknown).
     */
    static int lineStart(float[] a) {
        return floatsToLine(of(a));
    }

    /** Floats from {@code address} (a multiple of 4) to the next line boundary, in [0, {@link #SLACK_FLOATS}]. */
    static int floatsToLine(long address) {
        return (int) (Math.floorMod(-address, (long) LINE_BYTES) / Float.BYTES);
    }
}
