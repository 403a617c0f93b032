package org.tokenlab.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link HeapAddress}: the offset arithmetic, and real addresses under the build's --enable-native-access. */
class HeapAddressTest {
    @Test
    void floatsToLineReachesTheNextBoundary() {
        assertEquals(0, HeapAddress.floatsToLine(0));
        assertEquals(0, HeapAddress.floatsToLine(1L << 40));
        assertEquals(15, HeapAddress.floatsToLine(4));
        assertEquals(14, HeapAddress.floatsToLine(72));
        assertEquals(4, HeapAddress.floatsToLine(0x7f00_0000_0030L));
        for (long address = 0x1000; address < 0x1000 + 256; address += 4) {
            int off = HeapAddress.floatsToLine(address);
            assertTrue(off >= 0 && off <= HeapAddress.SLACK_FLOATS, "offset " + off + " at " + address);
            assertEquals(0, (address + (long) off * Float.BYTES) % HeapAddress.LINE_BYTES, "address " + address);
        }
    }

    @Test
    void theBuildGrantsNativeAccessSoAddressesAreReal() {
        assertTrue(HeapAddress.known(), "the tests run with --enable-native-access=ALL-UNNAMED (pom.xml)");
        float[] a = new float[1000], b = new float[1000];
        long addressA = HeapAddress.of(a), addressB = HeapAddress.of(b);
        assertNotEquals(0L, addressA);
        assertNotEquals(addressA, addressB, "two live arrays");
        assertEquals(0, addressA % 8, "the JVM aligns objects to 8 bytes, and a float[]'s header is a multiple of 4");
        assertTrue(Math.abs(addressA - addressB) >= 4000, "two arrays of 4 000 bytes cannot overlap");
    }
}
