package org.tokenlab.cli;

import java.util.concurrent.Callable;
import org.tokenlab.experiments.runner.Environment;
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
        return Environment.capabilityLine();
    }
}
