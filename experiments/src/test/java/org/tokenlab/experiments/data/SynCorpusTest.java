package org.tokenlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SynCorpusTest {

    @Test
    void sameSeedSameBytesDifferentSeedDifferentBytes() {
        byte[] a = SynCorpus.generate(3, 50_000);
        byte[] b = SynCorpus.generate(3, 50_000);
        byte[] c = SynCorpus.generate(4, 50_000);
        assertEquals(50_000, a.length);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void documentsDoNotDependOnWhatWasGeneratedBefore() {
        SynCorpus c = new SynCorpus(11);
        String d5 = c.document(5);
        c.document(0);
        c.document(9);
        assertEquals(d5, new SynCorpus(11).document(5));
    }

    @Test
    void characterSetIsSmallAndPrintable() {
        byte[] text = SynCorpus.generate(1, 300_000);
        Set<Integer> distinct = new HashSet<>();
        for (byte x : text) {
            int v = x & 0xFF;
            assertTrue(v == '\n' || (v >= 32 && v < 127), "unexpected byte " + v);
            distinct.add(v);
        }
        assertTrue(distinct.size() >= 40 && distinct.size() <= 70, "distinct bytes: " + distinct.size());
    }

    @Test
    void lexiconHasThreeHundredToAThousandWordsAndTheCorpusUsesMostOfThem() {
        String text = new String(SynCorpus.generate(2, 400_000), StandardCharsets.US_ASCII).toLowerCase();
        Set<String> words = new HashSet<>(List.of(text.split("[^a-z]+")));
        words.remove("");
        assertTrue(words.size() >= 300 && words.size() <= 1000, "distinct words: " + words.size());
    }

    @Test
    void splitsAreDisjoint() {
        SynCorpus c = new SynCorpus(5);
        Set<String> train = new HashSet<>(c.documents(SynCorpus.Split.TRAIN, 400));
        List<String> valid = c.documents(SynCorpus.Split.VALIDATION, 50);
        List<String> hyper = c.documents(SynCorpus.Split.HYPERFIT, 50);
        for (String d : valid) {
            assertFalse(train.contains(d));
            assertFalse(hyper.contains(d));
        }
        for (String d : hyper) {
            assertFalse(train.contains(d));
        }
        for (long i = 0; i < 100; i++) {
            int member = 0;
            for (SynCorpus.Split s : SynCorpus.Split.values()) {
                member += s.contains(i) ? 1 : 0;
            }
            assertEquals(1, member, "document " + i + " must be in exactly one split");
        }
        byte[] v = c.split(SynCorpus.Split.VALIDATION, 10_000);
        assertEquals(10_000, v.length);
        assertTrue(new String(v, StandardCharsets.US_ASCII).startsWith(valid.get(0).substring(0, 100)));
    }

    @Test
    void presentTenseAgreesWithItsSubject() {
        String text = new String(SynCorpus.generate(9, 200_000), StandardCharsets.US_ASCII);
        // "he"/"she" + present verb takes the -s form (except after "does"/"did"); "they" never does.
        Matcher bad = Pattern.compile("(?<![Dd]oes |[Dd]id )\\b(?:[Hh]e|[Ss]he) (?:run|sleep|sing|like|want|see)\\b"
                + "|\\b(?:[Tt]hey|[Ww]e) (?:runs|sleeps|sings|likes|wants|sees)\\b").matcher(text);
        assertFalse(bad.find(), () -> "agreement error: " + bad.group());
        assertTrue(Pattern.compile("\\b(?:He|She|he|she) (?:runs|sleeps|sings|likes|wants|sees)\\b").matcher(text).find());
        assertTrue(text.contains("\n\n"), "paragraphs");
        assertTrue(text.contains("\""), "dialogue");
        assertTrue(text.contains("?"), "questions");
    }
}
