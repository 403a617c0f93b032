package org.tokenlab.experiments.report;

import java.util.List;

/**
 * A small result table for report.md (cells are already formatted strings, so the table prints the
 * same on every run).
 */
public record Table(String title, List<String> columns, List<List<String>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "': row " + i + " has " + rows.get(i).size()
                        + " cells for " + columns.size() + " columns");
            }
        }
    }

    /** The table as GitHub-flavoured markdown (pipes in cells escaped). */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", columns.stream().map(Table::cell).toList())).append(" |\n");
        sb.append("|").append("---|".repeat(columns.size())).append("\n");
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row.stream().map(Table::cell).toList())).append(" |\n");
        }
        return sb.toString();
    }

    static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
