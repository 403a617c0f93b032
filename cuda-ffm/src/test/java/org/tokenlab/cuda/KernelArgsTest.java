package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class KernelArgsTest {
    @Test
    void eachSlotPointsAtItsValue() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena);
            MemorySegment struct = arena.allocate(12, 4);
            struct.set(ValueLayout.JAVA_INT, 0, 7);
            struct.set(ValueLayout.JAVA_INT, 4, 8);
            struct.set(ValueLayout.JAVA_INT, 8, 9);
            args.reset().i32(42).f32(1.5f).ptr(0xDEADBEEF00L).i64(-3L).struct(struct);
            assertEquals(5, args.count());
            assertEquals(42, args.valueOf(0, 4).get(ValueLayout.JAVA_INT, 0));
            assertEquals(1.5f, args.valueOf(1, 4).get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(0xDEADBEEF00L, args.valueOf(2, 8).get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-3L, args.valueOf(3, 8).get(ValueLayout.JAVA_LONG, 0));
            MemorySegment s = args.valueOf(4, 12);
            assertEquals(9, s.get(ValueLayout.JAVA_INT, 8));
            // the void** array holds exactly those addresses, 8-byte aligned
            for (int i = 0; i < 5; i++) {
                long a = args.array().getAtIndex(ValueLayout.ADDRESS, i).address();
                assertEquals(0, a % 8, "slot " + i + " misaligned");
            }
            assertEquals(s.address() % 16, 0);
        }
    }

    @Test
    void resetStartsAgainAndOverflowIsAClearError() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena);
            args.reset().i32(1).i32(2);
            args.reset().i32(3);
            assertEquals(1, args.count());
            assertEquals(3, args.valueOf(0, 4).get(ValueLayout.JAVA_INT, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> args.valueOf(1, 4));
            args.reset();
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) {
                args.i32(i);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.i32(0));
            assertEquals("more than 32 kernel arguments", e.getMessage());
        }
    }
}
