package org.tokenlab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tokenlab.experiments.report.Figure;
import org.tokenlab.experiments.report.Table;
import org.tokenlab.experiments.runner.Check;

/**
 * What an experiment hands back to the runner: the setup in a sentence or two, its checks, key numbers,
 * tables and figures. Everything here must be a function of (seed, profile, time-box decisions) only;
 * wall times belong to the runner's timings, never here.
 */
public record Outcome(String setup, List<Check> checks, Map<String, Object> numbers, List<Table> tables,
                      List<Figure> figures) {

    public Outcome {
        checks = List.copyOf(checks);
        numbers = new TreeMap<>(numbers);
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
    }

    /** A builder, for experiments that assemble their outcome piece by piece. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects checks, numbers, tables and figures in order. */
    public static final class Builder {
        private String setup = "";
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, Object> numbers = new TreeMap<>();
        private final List<Table> tables = new ArrayList<>();
        private final List<Figure> figures = new ArrayList<>();

        public Builder setup(String text) {
            this.setup = text;
            return this;
        }

        public Builder check(Check c) {
            checks.add(c);
            return this;
        }

        /** A key number (a double, long, string or small list), shown in results.json. */
        public Builder number(String key, Object value) {
            if (numbers.put(key, value) != null) {
                throw new IllegalArgumentException("number '" + key + "' recorded twice");
            }
            return this;
        }

        public Builder table(Table t) {
            tables.add(t);
            return this;
        }

        public Builder figure(Figure f) {
            figures.add(f);
            return this;
        }

        public Outcome build() {
            return new Outcome(setup, checks, numbers, tables, figures);
        }
    }
}
