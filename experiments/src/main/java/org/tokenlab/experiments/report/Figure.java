package org.tokenlab.experiments.report;

import java.util.List;
import java.util.Objects;

/**
 * The data of one plot, kept in results.json so that {@code tokenlab report DIR} can redraw it.
 *
 * @param file       PNG file name relative to the experiment folder, e.g. {@code "closure.png"}
 * @param title      chart title
 * @param caption    one sentence under the figure in report.md
 * @param kind       line or bar chart
 * @param xLabel     x-axis label
 * @param yLabel     y-axis label
 * @param categories bar charts only: the category labels (each series has one y per category)
 * @param series     the curves or bar groups
 * @param references horizontal reference lines (e.g. H(π) and H∞)
 * @param logX       log-scaled x axis (line charts)
 */
public record Figure(String file, String title, String caption, Kind kind, String xLabel, String yLabel,
                     List<String> categories, List<Series> series, List<Reference> references, boolean logX) {

    /** Chart type. */
    public enum Kind { LINE, BAR }

    /** One named curve: {@code x} and {@code y} of equal length (x is ignored by bar charts). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            Objects.requireNonNull(name, "series name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': x has " + x.length
                        + " points but y has " + y.length);
            }
        }
    }

    /** A horizontal line at {@code y}, labelled {@code name}. */
    public record Reference(String name, double y) {
    }

    public Figure {
        Objects.requireNonNull(file, "figure file");
        if (!file.endsWith(".png") || file.contains("/") || file.contains("\\")) {
            throw new IllegalArgumentException("figure file must be a plain name ending in .png, got '" + file + "'");
        }
        categories = categories == null ? List.of() : List.copyOf(categories);
        series = List.copyOf(series);
        references = references == null ? List.of() : List.copyOf(references);
        if (kind == Kind.BAR) {
            for (Series s : series) {
                if (s.y().length != categories.size()) {
                    throw new IllegalArgumentException("bar figure " + file + ": series '" + s.name() + "' has "
                            + s.y().length + " values for " + categories.size() + " categories");
                }
            }
        }
    }

    /** A line chart. */
    public static Figure line(String file, String title, String caption, String xLabel, String yLabel,
                              List<Series> series, List<Reference> references, boolean logX) {
        return new Figure(file, title, caption, Kind.LINE, xLabel, yLabel, List.of(), series, references, logX);
    }

    /** A bar chart: one group per category, one bar per series. */
    public static Figure bar(String file, String title, String caption, String xLabel, String yLabel,
                             List<String> categories, List<Series> series, List<Reference> references) {
        return new Figure(file, title, caption, Kind.BAR, xLabel, yLabel, categories, series, references, false);
    }
}
