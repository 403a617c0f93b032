package org.tokenlab.cuda;

import java.lang.ref.Cleaner;
import org.tokenlab.tensor.backend.Storage;

/**
 * Device memory holding {@code size} floats, owned by one {@link CudaBackend}. The block goes back to
 * the backend's caching allocator when {@link #close()} is called or, failing that, when this object
 * becomes unreachable.
 */
public final class CudaStorage implements Storage, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final int size;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(DeviceAllocator allocator, long address, int size) {
        this.address = address;
        this.size = size;
        this.cleanable = CLEANER.register(this, new Release(allocator, address));
    }

    /** The device address of element {@code off}. */
    public long address(int off) {
        return address + 4L * off;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String backendName() {
        return "cuda";
    }

    /** Returns the memory to the allocator now; the storage must not be used afterwards. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Must not capture the storage itself, or it would never become unreachable. */
    private record Release(DeviceAllocator allocator, long address) implements Runnable {
        @Override
        public void run() {
            allocator.release(address);
        }
    }
}
