package org.tokenlab.experiments.runner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;
import org.tokenlab.tensor.simd.SimdSpecies;

/** Facts about the machine and JVM that every run manifest records. */
public final class Environment {
    private Environment() {
    }

    /** The one capability line: JDK, vector species, FMA, threads, backends (and why one is unavailable). */
    public static String capabilityLine() {
        // the species the SIMD kernels use (-Dtokenlab.simd.bits may narrow it), and the CPU's widest when that differs
        VectorSpecies<Float> species = SimdSpecies.F, preferred = FloatVector.SPECIES_PREFERRED;
        List<String> backends = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = p.availability();
            backends.add(p.name() + (a.available() ? "" : " (unavailable: " + a.detail() + ")"));
        }
        return "TokenLab | JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
                + " | vector " + species.vectorBitSize() + "-bit, " + species.length() + " float lanes"
                + (species.equals(preferred) ? "" : " (CPU's preferred: " + preferred.vectorBitSize() + "-bit)")
                + " | FMA " + (CpuFeatures.hasFma() ? "yes" : "no")
                + " | threads " + Parallel.get().threads()
                + " | backends: " + (backends.isEmpty() ? "none registered" : String.join(", ", backends));
    }

    /** {@code git rev-parse HEAD} in the working directory, or "unknown". */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            String s = new String(out, StandardCharsets.UTF_8).trim();
            return s.matches("[0-9a-f]{40}") ? s : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The JVM's input arguments (flags), as the launcher passed them. */
    public static List<String> jvmFlags() {
        try {
            return List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } catch (RuntimeException | LinkageError e) {
            return List.of("unknown");
        }
    }

    /** "Linux 6.x amd64 | Intel(R) ... | 2 processors". */
    public static String osCpuLine() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + " | " + CpuFeatures.modelName() + " | " + Runtime.getRuntime().availableProcessors() + " processors";
    }

    /** "Temurin 25+36 (OpenJDK 64-Bit Server VM)". */
    public static String jdkLine() {
        return System.getProperty("java.vendor") + " " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")";
    }
}
