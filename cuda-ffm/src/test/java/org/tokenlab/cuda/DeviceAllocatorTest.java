package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceAllocatorTest {
    /** A fake device: hands out increasing addresses, remembers frees, fails above a budget. */
    static final class FakeDevice implements DeviceAllocator.Device {
        long next = 0x1000;
        long used;
        long budget = Long.MAX_VALUE;
        final List<Long> freed = new ArrayList<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        @Override
        public long malloc(long bytes) {
            if (used + bytes > budget) {
                throw new CudaException("cudaMalloc(" + bytes + ")", 2, "out of memory");
            }
            long p = next;
            next += bytes;
            used += bytes;
            sizes.put(p, bytes);
            return p;
        }

        @Override
        public void free(long ptr) {
            freed.add(ptr);
            used -= sizes.remove(ptr);
        }
    }

    @Test
    void bucketsArePowersOfTwoThenTwoMebibyteSteps() {
        assertEquals(512, DeviceAllocator.bucket(0));
        assertEquals(512, DeviceAllocator.bucket(512));
        assertEquals(1024, DeviceAllocator.bucket(513));
        assertEquals(64L << 20, DeviceAllocator.bucket(64L << 20));
        assertEquals((64L << 20) + (2L << 20), DeviceAllocator.bucket((64L << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> DeviceAllocator.bucket(-1));
    }

    @Test
    void releasedBlocksAreReusedForTheSameBucketOnly() {
        FakeDevice dev = new FakeDevice();
        DeviceAllocator a = new DeviceAllocator(dev);
        long p = a.allocate(1000);
        a.release(p);
        assertEquals(p, a.allocate(700)); // same 1024 bucket
        long q = a.allocate(5000);
        assertNotEquals(p, q);
        assertEquals(2, a.mallocs());
        assertEquals(1, a.reuses());
        assertEquals(1024 + 8192, a.bytesLive());
        assertThrows(IllegalStateException.class, () -> a.release(12345));
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeDevice dev = new FakeDevice();
        dev.budget = 4096;
        DeviceAllocator a = new DeviceAllocator(dev);
        long p = a.allocate(2048);
        a.release(p); // cached, still counted by the device
        long q = a.allocate(4096); // needs the cached 2048 back
        assertEquals(List.of(p), dev.freed);
        assertEquals(4096, a.bytesLive());
        assertEquals(0, a.bytesCached());
        a.freeAll();
        assertEquals(0, dev.used);
        a.release(q); // after freeAll a late release (a Cleaner) is ignored
    }
}
