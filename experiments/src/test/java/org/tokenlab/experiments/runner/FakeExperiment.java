package org.tokenlab.experiments.runner;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;

/**
 * A two-phase experiment for runner tests: phase "draw" sums random numbers (through the thread pool),
 * phase "train" runs a time-boxed fake training loop; it can be told to die between the two phases.
 */
final class FakeExperiment implements Experiment {
    /** A number drawn in phase one. */
    record Draw(double sum, long count) {
    }

    /** A number computed in phase two. */
    record Train(double finalLoss, long steps) {
    }

    final AtomicInteger drawRuns = new AtomicInteger();
    final AtomicInteger trainRuns = new AtomicInteger();
    volatile boolean dieBetweenPhases;

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public String title() {
        return "A fake experiment";
    }

    @Override
    public String paper() {
        return "Nobody; 2026";
    }

    @Override
    public String claim() {
        return "Sums of uniforms concentrate.";
    }

    @Override
    public String analogue() {
        return "We sum uniforms.";
    }

    @Override
    public long estimatedSeconds(Profile profile) {
        return 1;
    }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        Draw d = ctx.phase("draw", Draw.class, () -> {
            drawRuns.incrementAndGet();
            double s = TestParallelSums.sumOfUniforms(ctx.random().child("draw"), 10_000);
            return new Draw(s, 10_000);
        });
        if (dieBetweenPhases) {
            throw new IllegalStateException("killed between phases");
        }
        Train t = ctx.phase("train", Train.class, () -> {
            trainRuns.incrementAndGet();
            double[] loss = {2.0};
            TimeBox tb = ctx.timeBox("train", 0.05, 64, 2, 4, 50, () -> loss[0] *= 0.9);
            for (long s = tb.probeSteps(); s < tb.steps(); s++) {
                loss[0] *= 0.9;
                ctx.metric("train", s, Map.of("loss", loss[0], "tokens", (s + 1) * 64));
            }
            return new Train(loss[0], tb.steps());
        });
        double mean = d.sum() / d.count();
        return Outcome.builder()
                .setup("10 000 uniforms; " + t.steps() + " fake steps.")
                .check(Check.within("F1", "mean of uniforms is 1/2", mean, 0.5, 0.02))
                .check(Check.atMost("F2", "fake loss falls below 3", t.finalLoss(), 3.0))
                .check(Check.atLeast("F3", "an impossible threshold", mean, 2.0))
                .check(Check.skipped("F4", "later", "full profile only"))
                .check(Check.reported("F5", "exploratory", Check.fmt(mean)))
                .number("mean", mean)
                .table(new Table("sums", List.of("n", "sum"), List.of(List.of("10000", Check.fmt(d.sum())))))
                .figure(Figure.line("curve.png", "A curve", "a caption", "x", "y",
                        List.of(new Figure.Series("s", new double[] {1, 2, 3}, new double[] {3, 2, 1})),
                        List.of(new Figure.Reference("H", 1.5)), false))
                .figure(Figure.bar("bars.png", "Bars", "bars caption", "method", "ratio", List.of("a", "b"),
                        List.of(new Figure.Series("r", new double[] {0, 1}, new double[] {2, 3})), List.of()))
                .build();
    }
}
