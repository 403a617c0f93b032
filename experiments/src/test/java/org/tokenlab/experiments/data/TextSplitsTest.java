package org.tokenlab.experiments.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tokenlab.experiments.Profile;

class TextSplitsTest {

    @Test
    void quickUsesSynEvenWhenNatIsPresent() {
        TextSplits t = TextSplits.choose(Profile.QUICK, 3, 1000, 200, Optional.of(new byte[5000]));
        assertFalse(t.natural());
        assertEquals(1000, t.train().length);
        assertEquals(200, t.validation().length);
        assertArrayEquals(new SynCorpus(3).split(SynCorpus.Split.VALIDATION, 200), t.validation());
    }

    @Test
    void fullUsesNatFromBothEndsWhenPresent() {
        byte[] nat = new byte[5000];
        for (int i = 0; i < nat.length; i++) {
            nat[i] = (byte) i;
        }
        TextSplits t = TextSplits.choose(Profile.FULL, 3, 1000, 200, Optional.of(nat));
        assertTrue(t.natural());
        assertEquals(nat[0], t.train()[0]);
        assertEquals(nat[4800], t.validation()[0]);
    }

    @Test
    void fullFallsBackToSynAndSaysWhy() {
        TextSplits t = TextSplits.choose(Profile.FULL, 3, 1000, 200, Optional.empty());
        assertFalse(t.natural());
        assertTrue(t.source().contains("data fetch"), t.source());
    }
}
