package org.tokenlab.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator for device memory: blocks are rounded up to a bucket size and, when released,
 * kept on that bucket's free list for the next request of the same bucket instead of going back to
 * cudaFree (which synchronises the device). Reuse is safe without events because the backend runs
 * every kernel and copy on one stream: a block released after its last use is only handed out to
 * work enqueued later on the same stream. When cudaMalloc fails, the cache is emptied and the
 * request retried once. Thread-safe (storages may be released by a {@link java.lang.ref.Cleaner}).
 */
public final class DeviceAllocator {
    /** The raw allocation calls (cudaMalloc/cudaFree in the backend, a fake in tests). */
    public interface Device {
        /** Allocates {@code bytes}; throws {@link CudaException} when out of memory. */
        long malloc(long bytes);

        void free(long ptr);
    }

    /** Smallest bucket: 512 bytes, the alignment cuBLAS and vector loads like. */
    public static final long MIN_BLOCK = 512;
    /** Above this, buckets are multiples of {@link #LARGE_STEP} instead of powers of two. */
    public static final long POW2_LIMIT = 64L << 20;
    public static final long LARGE_STEP = 2L << 20;

    private final Device device;
    private final TreeMap<Long, ArrayDeque<Long>> free = new TreeMap<>();
    private final Map<Long, Long> live = new HashMap<>();
    private long bytesLive;
    private long bytesCached;
    private long mallocs;
    private long reuses;
    private boolean closed;

    public DeviceAllocator(Device device) {
        this.device = device;
    }

    /** The bucket a request of {@code bytes} is served from. */
    public static long bucket(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative allocation " + bytes);
        }
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        if (bytes <= POW2_LIMIT) {
            return Long.highestOneBit(bytes - 1) << 1;
        }
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    /** A block of at least {@code bytes}, reused from the cache when one of its bucket is free. */
    public synchronized long allocate(long bytes) {
        long size = bucket(bytes);
        ArrayDeque<Long> list = free.get(size);
        long ptr;
        if (list != null && !list.isEmpty()) {
            ptr = list.pop();
            bytesCached -= size;
            reuses++;
        } else {
            try {
                ptr = device.malloc(size);
            } catch (CudaException oom) {
                trim();
                ptr = device.malloc(size);
            }
            mallocs++;
        }
        live.put(ptr, size);
        bytesLive += size;
        return ptr;
    }

    /** Returns a block to its bucket's free list. */
    public synchronized void release(long ptr) {
        if (closed) {
            return; // freeAll already gave everything back
        }
        Long size = live.remove(ptr);
        if (size == null) {
            throw new IllegalStateException("release of a block this allocator does not own: 0x" + Long.toHexString(ptr));
        }
        bytesLive -= size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(ptr);
        bytesCached += size;
    }

    /** Frees every cached (not live) block. */
    public synchronized void trim() {
        for (ArrayDeque<Long> list : free.values()) {
            for (long p : list) {
                device.free(p);
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** Frees everything, live blocks included (the backend is closing). */
    public synchronized void freeAll() {
        trim();
        for (long p : live.keySet()) {
            device.free(p);
        }
        live.clear();
        bytesLive = 0;
        closed = true;
    }

    public synchronized long bytesLive() {
        return bytesLive;
    }

    public synchronized long bytesCached() {
        return bytesCached;
    }

    /** How many requests went to the device, and how many were served from the cache. */
    public synchronized String stats() {
        return "live " + bytesLive + " B, cached " + bytesCached + " B, " + mallocs + " mallocs, " + reuses + " reuses";
    }

    synchronized long mallocs() {
        return mallocs;
    }

    synchronized long reuses() {
        return reuses;
    }
}
