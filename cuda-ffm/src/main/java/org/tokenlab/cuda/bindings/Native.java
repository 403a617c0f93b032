package org.tokenlab.cuda.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The C type layouts the bindings use (as jextract names them) and the downcall helper. */
public final class Native {
    /** {@code int}, C enums and status codes. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** {@code size_t}, {@code long long}. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    /** {@code float}. */
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    /** Every pointer: host, device and opaque handles alike (device pointers are wrapped with {@link #ptr}). */
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private Native() {
    }

    /** A downcall handle for {@code name} in {@code lookup}. */
    public static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor desc) {
        return Linker.nativeLinker().downcallHandle(lookup.findOrThrow(name), desc);
    }

    /** A device (or any raw) address as a zero-length segment, for passing where C takes a pointer. */
    public static MemorySegment ptr(long address) {
        return MemorySegment.ofAddress(address);
    }

    /** Reads a NUL-terminated C string returned by a library (status texts). */
    public static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "(null)" : cString.reinterpret(4096).getString(0);
    }

    /** Rethrows what {@code invokeExact} threw: unchecked as is, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
