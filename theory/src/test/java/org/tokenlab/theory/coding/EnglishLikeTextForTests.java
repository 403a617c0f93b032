package org.tokenlab.theory.coding;

import org.tokenlab.theory.tokenize.WordSalad;

/** Test text: the seeded word salad of {@code tokenize}. */
final class EnglishLikeTextForTests {
    private EnglishLikeTextForTests() {
    }

    static byte[] text(int bytes, long seed) {
        return WordSalad.generate(bytes, seed);
    }
}
