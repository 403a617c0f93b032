package org.tokenlab.experiments.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tokenlab.tensor.io.AtomicFiles;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.Verdict;

/** {@code summary.md} of a multi-experiment run: one verdict row per experiment. */
public final class Summary {
    private Summary() {
    }

    /** Writes summary.md into {@code folder}; each experiment's report is linked from its row. */
    public static void write(List<Results> all, String runLine, Path folder, boolean subfolders) {
        AtomicFiles.writeString(folder.resolve("summary.md"), render(all, runLine, subfolders));
    }

    /** The markdown text of the summary. */
    public static String render(List<Results> all, String runLine, boolean subfolders) {
        List<List<String>> rows = new ArrayList<>();
        long pass = 0;
        long fail = 0;
        long skipped = 0;
        for (Results r : all) {
            String link = subfolders ? "[" + r.experiment() + "](" + r.experiment() + "/report.md)" : r.experiment();
            String status = switch (r.status()) {
                case Results.FAILED -> "failed: " + r.error();
                default -> "ran";
            };
            rows.add(List.of(link, status,
                    Long.toString(r.count(Verdict.PASS)), Long.toString(r.count(Verdict.FAIL)),
                    Long.toString(r.count(Verdict.SKIPPED)), Long.toString(r.count(Verdict.REPORTED)),
                    String.format(Locale.ROOT, "%.1f s", r.timings().wallSeconds())));
            pass += r.count(Verdict.PASS);
            fail += r.count(Verdict.FAIL);
            skipped += r.count(Verdict.SKIPPED);
        }
        long failed = all.stream().filter(r -> Results.FAILED.equals(r.status())).count();
        StringBuilder sb = new StringBuilder("# TokenLab run summary\n\n").append(runLine).append("\n\n");
        sb.append(new Table("summary", List.of("experiment", "status", "passed", "failed", "skipped", "reported",
                "wall time"), rows).markdown()).append("\n");
        sb.append(String.format(Locale.ROOT, "Over %d experiments: %d checks passed, %d failed, %d not evaluated "
                + "(see each report for why); %d experiment(s) failed to run.%n",
                all.size(), pass, fail, skipped, failed));
        return sb.toString();
    }
}
