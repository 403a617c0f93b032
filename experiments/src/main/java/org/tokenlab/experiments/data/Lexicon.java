package org.tokenlab.experiments.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The word lists of SYN, read from the resource {@code syn-lexicon.txt}: sections such as {@code [noun]}
 * (singular, plural), {@code [verb_t]} (base, third person, past) and {@code [adj]}, one entry per line.
 */
final class Lexicon {
    static final Lexicon DEFAULT = load("syn-lexicon.txt");

    private final Map<String, List<String[]>> sections;

    private Lexicon(Map<String, List<String[]>> sections) {
        this.sections = sections;
    }

    /** The entries of a section; each entry is its forms. */
    List<String[]> section(String name) {
        List<String[]> s = sections.get(name);
        if (s == null || s.isEmpty()) {
            throw new IllegalStateException("SYN lexicon: section [" + name + "] is missing or empty");
        }
        return s;
    }

    static Lexicon load(String resource) {
        try (InputStream in = Lexicon.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SYN lexicon resource '" + resource + "' not found on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SYN lexicon " + resource + ": " + e.getMessage(), e);
        }
    }

    static Lexicon parse(String text, String source) {
        Map<String, List<String[]>> sections = new LinkedHashMap<>();
        List<String[]> current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new ArrayList<>());
            } else if (current == null) {
                throw new IllegalStateException(source + " line " + (i + 1) + ": entry before any [section]");
            } else if (!line.chars().allMatch(c -> c == ' ' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                throw new IllegalStateException(source + " line " + (i + 1) + ": only ASCII letters and spaces allowed: '" + line + "'");
            } else {
                current.add(line.split(" +"));
            }
        }
        return new Lexicon(sections);
    }
}
