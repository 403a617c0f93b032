package org.tokenlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.Runner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tokenlab report DIR}: re-renders report.md, the plots and summary.md from a run's files. */
@Command(name = "report", description = "Re-render report.md, plots and summary.md of a finished run from its files.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A run folder (runs/...).")
    Path folder;

    @Override
    public Integer call() {
        for (Results r : Runner.rerender(folder)) {
            System.out.println("[" + r.experiment() + "] " + r.status() + ": report.md and " + r.figures().size() + " plot(s) written");
        }
        return 0;
    }
}
