package org.tokenlab.experiments.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tokenlab.tensor.io.AtomicFiles;

/** Draws a {@link Figure} to PNG with XChart, headless, written atomically. */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * Why figures cannot be drawn in this JVM, or empty when they can. XChart draws with java.awt, which
     * lives in the java.desktop module; a trimmed runtime (the device check's jlink'd JRE) may leave it out.
     */
    public static Optional<String> unavailable() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent()
                ? Optional.empty()
                : Optional.of("this Java runtime has no java.desktop module");
    }

    /** Renders {@code figure} into {@code folder/figure.file()}. */
    public static void render(Figure figure, Path folder) {
        Chart<?, ?> chart = switch (figure.kind()) {
            case LINE -> line(figure);
            case BAR -> bar(figure);
        };
        try {
            AtomicFiles.write(folder.resolve(figure.file()), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode plot " + figure.file() + ": " + e.getMessage(), e);
        }
    }

    private static XYChart line(Figure f) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(f.logX());
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (Figure.Series s : f.series()) {
            if (s.x().length == 0) {
                continue;
            }
            chart.addSeries(s.name(), s.x(), s.y());
            xMin = Math.min(xMin, Arrays.stream(s.x()).min().orElseThrow());
            xMax = Math.max(xMax, Arrays.stream(s.x()).max().orElseThrow());
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        }
        for (Figure.Reference r : f.references()) {
            XYSeries s = chart.addSeries(r.name(), new double[] {xMin, xMax}, new double[] {r.y(), r.y()});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return chart;
    }

    private static CategoryChart bar(Figure f) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Figure.Series s : f.series()) {
            List<Double> ys = new ArrayList<>();
            for (double y : s.y()) {
                ys.add(y);
            }
            chart.addSeries(s.name(), f.categories(), ys);
        }
        for (Figure.Reference r : f.references()) {
            // Category charts have no free lines: show a reference as a flat series across the categories.
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < f.categories().size(); i++) {
                ys.add(r.y());
            }
            chart.addSeries(r.name(), f.categories(), ys)
                    .setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        }
        return chart;
    }
}
