package org.tokenlab.cli;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.parallel.Parallel;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a model: thread count, backend and matmul precision. */
final class RuntimeOptions {
    @Option(names = "--threads", description = "Worker threads (default: -Dtokenlab.threads or all cores).")
    Integer threads;

    @Option(names = "--backend", description = "Kernel backend: scalar, simd, cuda (default: best available).")
    String backend;

    @Option(names = "--matmul", paramLabel = "fp32|tf32",
            description = "Matmul precision: fp32 (default) or tf32 (TensorFloat-32 tensor cores; cuda only).")
    String matmul;

    /** Applies the options and prints the capability line to stderr. */
    void apply() {
        apply(null);
    }

    /**
     * {@link #apply()}, with {@code fallbackMatmul} (e.g. what a resumed run's manifest recorded) as the
     * matmul precision when {@code --matmul} is not given; null means fp32.
     */
    void apply(String fallbackMatmul) {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (backend != null) {
            Engine.setBackend(Backends.create(backend));
        }
        if (matmul != null || fallbackMatmul == null) {
            Engine.backend().setMatmulPrecision(MatmulPrecision.parse(matmul == null ? "fp32" : matmul, "--matmul"));
        } else {
            MatmulPrecision recorded = MatmulPrecision.parse(fallbackMatmul, "the run's manifest.json (matmul)");
            try {
                Engine.backend().setMatmulPrecision(recorded);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the run was trained with matmul " + recorded.id() + " (manifest.json), which the "
                        + Engine.backend().name() + " backend cannot compute: resume with --backend cuda, or with --matmul fp32", e);
            }
        }
        MatmulPrecision p = Engine.backend().matmulPrecision();
        System.err.println(InfoCommand.capabilityLine() + " | using " + Engine.backend().name()
                + (p == MatmulPrecision.FP32 ? "" : " (matmul " + p.id() + ")"));
    }
}
