package org.tokenlab.experiments.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tokenlab.tensor.io.AtomicFiles;
import org.tokenlab.experiments.runner.Check;
import org.tokenlab.experiments.runner.Results;
import org.tokenlab.experiments.runner.Verdict;

/**
 * Assembles an experiment's report.md, a short paper section: the claim, our analogue, the setup, the
 * checks table, the result tables, the figures, and a closing paragraph generated from the verdicts
 * (never canned). Also draws the figures.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Writes report.md and every figure's PNG into {@code folder}. {@code runLine} describes the run. Where
     * this JVM cannot draw ({@link Plots#unavailable}), the report says so in each figure's place; the
     * figures' data stays in results.json.
     */
    public static void write(Results r, String runLine, Path folder) {
        Optional<String> noPlots = Plots.unavailable();
        if (noPlots.isEmpty()) {
            for (Figure f : r.figures()) {
                Plots.render(f, folder);
            }
        }
        AtomicFiles.writeString(folder.resolve("report.md"), render(r, runLine, noPlots));
    }

    /** The markdown text of the report, its figures drawn. */
    public static String render(Results r, String runLine) {
        return render(r, runLine, Optional.empty());
    }

    /** The markdown text of the report; {@code noPlots}, when present, says why no figure was drawn. */
    static String render(Results r, String runLine, Optional<String> noPlots) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.title()).append("\n\n");
        sb.append("*").append(r.paper()).append("* — experiment `").append(r.experiment()).append("`, profile `")
                .append(r.profile()).append("`, seed ").append(r.seed()).append(".\n\n");
        sb.append("## The claim\n\n").append(r.claim()).append("\n\n");
        sb.append("## Our analogue\n\n").append(r.analogue()).append("\n\n");
        sb.append("## Setup\n\n");
        if (r.setup() != null && !r.setup().isBlank()) {
            sb.append(r.setup()).append("\n\n");
        }
        sb.append(runLine).append(String.format(Locale.ROOT, " Wall time %.1f s.", r.timings().wallSeconds()));
        if (!r.timings().timeBoxes().isEmpty()) {
            sb.append(" Time boxes: ").append(r.timings().timeBoxes().values().stream()
                    .map(tb -> String.format(Locale.ROOT, "%s %d steps = %d tokens (%s)", tb.name(), tb.steps(),
                            tb.tokens(), tb.source()))
                    .collect(Collectors.joining("; "))).append(".");
        }
        sb.append("\n\n");
        sb.append("## Checks\n\n");
        if (r.checks().isEmpty()) {
            sb.append("(no checks)\n\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Check c : r.checks()) {
                String verdict = c.verdict() == Verdict.SKIPPED ? "SKIPPED (" + c.reason() + ")" : c.verdict().name();
                rows.add(List.of(c.id(), c.claim(), c.measured(), c.threshold(), verdict));
            }
            sb.append(new Table("checks", List.of("id", "check", "measured", "threshold", "verdict"), rows).markdown())
                    .append("\n");
        }
        for (Table t : r.tables()) {
            sb.append("### ").append(t.title()).append("\n\n").append(t.markdown()).append("\n");
        }
        if (!r.numbers().isEmpty()) {
            sb.append("### Key numbers\n\n");
            for (Map.Entry<String, Object> e : r.numbers().entrySet()) {
                sb.append("- `").append(e.getKey()).append("`: ").append(number(e.getValue())).append("\n");
            }
            sb.append("\n");
        }
        for (Figure f : r.figures()) {
            if (noPlots.isPresent()) {
                sb.append("*Figure \"").append(f.title()).append("\" not drawn: ").append(noPlots.get())
                        .append(". Its data is in results.json.*\n\n");
                continue;
            }
            sb.append("![").append(f.title()).append("](").append(f.file()).append(")\n\n");
            if (f.caption() != null && !f.caption().isBlank()) {
                sb.append("*").append(f.caption()).append("*\n\n");
            }
        }
        sb.append("## What held\n\n").append(verdictParagraph(r)).append("\n");
        return sb.toString();
    }

    private static String number(Object v) {
        return v instanceof Double d ? Check.fmt(d) : String.valueOf(v);
    }

    /** The closing paragraph, generated from the status and the verdicts. */
    public static String verdictParagraph(Results r) {
        if (Results.FAILED.equals(r.status())) {
            return "The run failed before its checks could be evaluated (" + r.error()
                    + "), so nothing is claimed; the run folder can be resumed with `tokenlab run --resume`.";
        }
        List<Check> pass = by(r, Verdict.PASS);
        List<Check> fail = by(r, Verdict.FAIL);
        List<Check> skip = by(r, Verdict.SKIPPED);
        List<Check> rep = by(r, Verdict.REPORTED);
        int evaluated = pass.size() + fail.size();
        List<String> parts = new ArrayList<>();
        if (evaluated == 0) {
            parts.add("No check could be evaluated in this run, so it says nothing about the claim yet.");
        } else if (fail.isEmpty()) {
            parts.add((evaluated == 1 ? "The one evaluated check held" : "All " + evaluated + " evaluated checks held")
                    + " (" + ids(pass) + ").");
        } else {
            parts.add(pass.size() + " of " + evaluated + " evaluated checks held"
                    + (pass.isEmpty() ? "" : " (" + ids(pass) + ")") + "; "
                    + fail.stream().map(c -> c.id() + " did not (" + c.claim() + ": measured " + c.measured()
                            + ", needed " + c.threshold() + ")").collect(Collectors.joining("; ")) + ".");
        }
        if (!skip.isEmpty()) {
            parts.add(skip.size() + (skip.size() == 1 ? " check was" : " checks were") + " not evaluated: "
                    + skip.stream().map(c -> c.id() + " (" + c.reason() + ")").collect(Collectors.joining(", ")) + ".");
        }
        if (!rep.isEmpty()) {
            parts.add("Exploratory, without a verdict: " + ids(rep) + ".");
        }
        return String.join(" ", parts);
    }

    private static List<Check> by(Results r, Verdict v) {
        return r.checks().stream().filter(c -> c.verdict() == v).toList();
    }

    private static String ids(List<Check> checks) {
        return checks.stream().map(Check::id).collect(Collectors.joining(", "));
    }
}
