package org.tokenlab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Experiments;
import org.tokenlab.experiments.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenlab list}: the experiments, whether they run, and their estimated time per profile. */
@Command(name = "list", description = "List the experiments, the profiles, and the estimated time of each run.")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-14s %8s %8s %8s  %s%n", "experiment", "smoke", "quick", "full", "paper");
        long[] totals = new long[Profile.values().length];
        for (Experiment e : Experiments.registry().all()) {
            StringBuilder times = new StringBuilder();
            for (Profile p : Profile.values()) {
                long s = e.estimatedSeconds(p);
                totals[p.ordinal()] += s;
                times.append(String.format("%8s ", duration(s)));
            }
            out.printf("%-14s %s %s%n", e.id(), times, e.title());
        }
        out.printf("%-14s %8s %8s %8s%n", "all", duration(totals[0]), duration(totals[1]), duration(totals[2]));
        out.println();
        out.println("profiles: smoke = plumbing check with fixed tiny step counts (seconds);");
        out.println("          quick = the papers.md quick checks (about 2 min per experiment);");
        out.println("          full  = the full-profile checks (about 30 min per experiment; natural text via `tokenlab data fetch`).");
        out.flush();
        return 0;
    }

    static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min" + (seconds % 60 == 0 ? "" : " " + (seconds % 60) + " s");
    }
}
