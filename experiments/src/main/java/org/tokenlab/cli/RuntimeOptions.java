package org.tokenlab.cli;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a model: thread count and backend. */
final class RuntimeOptions {
    @Option(names = "--threads", description = "Worker threads (default: -Dtokenlab.threads or all cores).")
    Integer threads;

    @Option(names = "--backend", description = "Kernel backend: scalar, simd, cuda (default: best available).")
    String backend;

    /** Applies the options and prints the capability line to stderr. */
    void apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        if (backend != null) {
            Engine.setBackend(Backends.create(backend));
        }
        System.err.println(InfoCommand.capabilityLine() + " | using " + Engine.backend().name());
    }
}
