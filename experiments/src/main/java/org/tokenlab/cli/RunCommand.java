package org.tokenlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Experiments;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.Runner;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenlab run <experiment|all> [options]} and {@code tokenlab run --resume DIR}. */
@Command(name = "run", description = {"Run an experiment (or all six) into a run folder, or resume one.",
        "Writes config.json, manifest.json, metrics.jsonl, results.json, report.md and plots."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "<experiment|all>", description = "An experiment id (see `tokenlab list`) or `all`.")
        String experiment;

        @Option(names = "--resume", paramLabel = "DIR", description = "Resume the run in DIR: finished experiments and phases are skipped.")
        Path resume;
    }

    @Option(names = "--profile", paramLabel = "smoke|quick|full", defaultValue = "quick",
            description = "Compute profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--seed", defaultValue = "1", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the kernel pool (default: available processors).")
    Integer threads;

    @Option(names = "--backend", paramLabel = "cpu|scalar|simd|cuda", defaultValue = "cpu",
            description = "Compute backend; cpu is the default SIMD backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<experiment>-<profile>-<timestamp>).")
    Path out;

    @Option(names = "--timebox-from", paramLabel = "DIR",
            description = "Replay the time-box decisions (step counts) of an earlier run, to reproduce its results.json.")
    Path timeboxFrom;

    @Override
    public Integer call() {
        ExperimentRegistry registry = Experiments.registry();
        Runner runner = new Runner(registry, System.out);
        List<Results> results;
        Path folder;
        if (target.resume != null) {
            folder = target.resume;
            results = runner.resume(folder);
        } else {
            RunConfig config = config(registry);
            folder = out != null ? out : Runner.defaultFolder(config);
            results = runner.start(config, folder);
        }
        System.out.println("run folder: " + folder.toAbsolutePath().normalize());
        boolean failed = results.stream().anyMatch(r -> Results.FAILED.equals(r.status()));
        return failed ? 1 : 0;
    }

    private RunConfig config(ExperimentRegistry registry) {
        Profile p;
        try {
            p = Profile.parse(profile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--profile: " + e.getMessage());
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be ≥ 1, got " + threads);
        }
        checkBackend();
        List<String> ids;
        if (target.experiment.equals("all")) {
            ids = registry.ids();
        } else {
            Experiment e;
            try {
                e = registry.get(target.experiment);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), ex.getMessage());
            }
            ids = List.of(e.id());
        }
        int n = threads != null ? threads : Parallel.defaultThreads();
        return new RunConfig(target.experiment, ids, p, seed, n, backend,
                timeboxFrom == null ? null : timeboxFrom.toString());
    }

    private void checkBackend() {
        if (backend.equals("cpu")) {
            return;
        }
        if (!List.of("scalar", "simd", "cuda").contains(backend)) {
            throw new ParameterException(spec.commandLine(), "--backend: unknown backend '" + backend
                    + "'; known: cpu, scalar, simd, cuda");
        }
        for (BackendProvider provider : Backends.providers()) {
            if (provider.name().equals(backend)) {
                BackendProvider.Availability a = provider.availability();
                if (!a.available()) {
                    throw new ParameterException(spec.commandLine(), "--backend " + backend + " is unavailable here: " + a.detail());
                }
                return;
            }
        }
        throw new ParameterException(spec.commandLine(), "--backend " + backend + ": no such backend is registered in this build");
    }
}
