package org.tokenlab.experiments.runner;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long phase with an ETA: a live bar (me.tongfei:progressbar) when stdout is a terminal,
 * otherwise a plain line at every 10 % so that logs stay readable.
 */
public final class Progress implements AutoCloseable {
    private final String task;
    private final long total;
    private final PrintStream out;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long done;
    private int lastDecile;

    Progress(String task, long total, PrintStream out, boolean terminal) {
        if (total < 0) {
            throw new IllegalArgumentException("progress '" + task + "': total must be ≥ 0, got " + total);
        }
        this.task = task;
        this.total = total;
        this.out = out;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build() : null;
    }

    /** Whether this JVM's stdout is an interactive terminal. */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Advances by {@code n} units; {@code message} (e.g. "loss 1.234") is shown beside the bar. */
    public void step(long n, String message) {
        done += n;
        if (bar != null) {
            bar.stepBy(n);
            if (message != null) {
                bar.setExtraMessage(" " + message);
            }
            return;
        }
        int decile = total == 0 ? 10 : (int) Math.min(10, done * 10 / total);
        if (decile > lastDecile) {
            lastDecile = decile;
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double eta = done == 0 ? 0 : elapsed * (total - done) / done;
            out.printf(Locale.ROOT, "  %s: %d/%d (%d%%) elapsed %s, ETA %s%s%n", task, done, total, decile * 10,
                    clock(elapsed), clock(eta), message == null ? "" : " | " + message);
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
