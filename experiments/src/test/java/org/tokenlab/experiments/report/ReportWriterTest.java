package org.tokenlab.experiments.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.runner.Results;

class ReportWriterTest {
    private static Results withOneFigure() {
        Figure f = Figure.line("loss.png", "Loss by step", "the caption", "step", "loss",
                List.of(new Figure.Series("train", new double[] {0, 1}, new double[] {2, 1})), List.of(), false);
        return new Results("demo", "A title", "A paper", "a claim", "an analogue", "smoke", 1, Results.COMPLETED, null,
                "a setup", List.of(), Map.of(), List.of(), List.of(f), new Results.Timings(1.0, Map.of(), Map.of()));
    }

    @Test
    void figuresAreLinkedWhenDrawn() {
        String md = ReportWriter.render(withOneFigure(), "run line.");
        assertTrue(md.contains("![Loss by step](loss.png)"), md);
        assertTrue(md.contains("*the caption*"), md);
    }

    @Test
    void aRuntimeWithoutJavaDesktopGetsANoteInsteadOfAnImageLink() {
        String md = ReportWriter.render(withOneFigure(), "run line.", Optional.of("no java.desktop here"));
        assertFalse(md.contains("!["), md);
        assertTrue(md.contains("Figure \"Loss by step\" not drawn: no java.desktop here. Its data is in results.json."), md);
    }

    @Test
    void thisTestJvmCanDraw() {
        // the build's JDK has java.desktop, so `tokenlab run` on it draws its figures
        assertTrue(Plots.unavailable().isEmpty());
    }
}
