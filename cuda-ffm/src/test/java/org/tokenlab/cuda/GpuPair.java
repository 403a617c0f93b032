package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.tokenlab.tensor.backend.Backend;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.Storage;

/**
 * The CUDA backend beside the CPU reference ("scalar", found through {@link Backends}) for the GPU
 * differential tests: same inputs uploaded to both, outputs compared with stated tolerances.
 *
 * <p>Dry run without a GPU: {@code -Dtokenlab.gpuTests.backend=simd} puts another backend in the
 * CUDA backend's place, which checks the tests' own shapes and calls (CUDA-only calls then skip).
 */
final class GpuPair implements AutoCloseable {
    /** Names a backend to test instead of CUDA (a dry run of the test code). */
    static final String SUBSTITUTE = "tokenlab.gpuTests.backend";

    final Backend cpu;
    final Backend gpu;
    final SplittableRandom rnd;

    /** Skips the test (with the reason) when CUDA or the scalar reference is unavailable. */
    GpuPair(long seed) {
        String substitute = System.getProperty(SUBSTITUTE, "");
        if (substitute.isBlank()) {
            CudaAvailability a = Cuda.availability();
            assumeTrue(a.available(), "CUDA unavailable: " + a.summary());
        }
        BackendProvider scalar = Backends.providers().stream().filter(p -> p.name().equals("scalar")).findFirst()
                .orElse(null);
        assumeTrue(scalar != null, "no 'scalar' backend registered on the class path");
        this.cpu = scalar.create();
        this.gpu = substitute.isBlank() ? new CudaBackend() : Backends.create(substitute);
        this.rnd = new SplittableRandom(seed);
    }

    /** The CUDA backend, for CUDA-only calls (TF32, bf16); skips in a dry run. */
    CudaBackend cuda() {
        assumeTrue(gpu instanceof CudaBackend, "CUDA-only call in a dry run with " + gpu.name());
        return (CudaBackend) gpu;
    }

    /** Uniform in [lo, hi). */
    float[] random(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return x;
    }

    /** One array on both backends. */
    record Both(Storage c, Storage g) {
    }

    Both up(float[] x) {
        return new Both(cpu.upload(x), gpu.upload(x));
    }

    Both zeros(int n) {
        return new Both(cpu.allocate(n), gpu.allocate(n));
    }

    float[] get(Backend b, Storage s) {
        float[] out = new float[s.size()];
        b.download(s, 0, out, 0, out.length);
        return out;
    }

    /** Fails naming the first element where |gpu − cpu| > atol + rtol·|cpu|, and the max difference. */
    void assertClose(String what, Both x, double rtol, double atol) {
        assertClose(what, get(cpu, x.c()), get(gpu, x.g()), rtol, atol);
    }

    static void assertClose(String what, float[] cpu, float[] gpu, double rtol, double atol) {
        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < cpu.length; i++) {
            double d = Math.abs((double) gpu[i] - cpu[i]);
            if (Double.isNaN(d) && !(Float.isNaN(cpu[i]) && Float.isNaN(gpu[i]))) {
                fail(what + ": NaN mismatch at " + i + ": cpu " + cpu[i] + " gpu " + gpu[i]);
            }
            if (d > atol + rtol * Math.abs(cpu[i]) && (worst < 0 || d > maxDiff)) {
                worst = i;
                maxDiff = d;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " cpu " + cpu[worst] + " gpu " + gpu[worst] + " (|diff| " + maxDiff
                    + " > atol " + atol + " + rtol " + rtol + "·|cpu|)");
        }
    }

    @Override
    public void close() {
        if (gpu instanceof CudaBackend c) {
            c.close();
        }
    }
}
