package org.tokenlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.tokenlab.tensor.backend.BackendProvider;
import org.tokenlab.tensor.backend.Backends;
import org.tokenlab.tensor.parallel.Parallel;
import picocli.CommandLine.Command;

/** {@code tokenlab info}: one capability line (JDK, vector species, FMA, threads, backends). */
@Command(name = "info", description = "Print one capability line: JDK, vector species, FMA, threads, backends.")
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(capabilityLine());
        return 0;
    }

    /** The line also written into every run manifest. */
    static String capabilityLine() {
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        List<String> backends = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = p.availability();
            backends.add(p.name() + (a.available() ? "" : " (unavailable: " + a.detail() + ")"));
        }
        return "TokenLab | JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
                + " | vector " + species.vectorBitSize() + "-bit, " + species.length() + " float lanes"
                + " | FMA " + (CpuFeatures.hasFma() ? "yes" : "no")
                + " | threads " + Parallel.get().threads()
                + " | backends: " + String.join(", ", backends);
    }
}
