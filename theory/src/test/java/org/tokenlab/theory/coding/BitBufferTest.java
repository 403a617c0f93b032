package org.tokenlab.theory.coding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitBufferTest {

    @Test
    void bulkReadsAndWritesMatchBitByBit() {
        SplittableRandom rng = new SplittableRandom(17);
        BitBuffer bulk = new BitBuffer();
        BitBuffer single = new BitBuffer();
        for (int step = 0; step < 5000; step++) {
            int count = rng.nextInt(65);
            long value = rng.nextLong();
            bulk.appendBits(value, count);
            for (int i = count - 1; i >= 0; i--) {
                single.append((int) ((value >>> i) & 1));
            }
            if (step % 7 == 0) {
                long zeros = rng.nextInt(20);
                bulk.appendRepeated(0, zeros);
                single.appendRepeated(0, 0);
                for (long i = 0; i < zeros; i++) {
                    single.append(0);
                }
            }
        }
        assertEquals(single, bulk);
        for (int probe = 0; probe < 5000; probe++) {
            long index = rng.nextLong(bulk.length() + 100);
            int count = rng.nextInt(57);
            long expected = 0;
            for (int i = 0; i < count; i++) {
                expected = (expected << 1) | single.get(index + i);
            }
            assertEquals(expected, bulk.getBits(index, count), "index " + index + " count " + count);
        }
        BitBuffer cut = bulk.prefix(bulk.length());
        cut.truncate(13);
        assertEquals(bulk.prefix(13), cut);
        assertEquals(0, cut.getBits(13, 40));
        assertThrows(IllegalArgumentException.class, () -> cut.truncate(14));
        assertThrows(IllegalArgumentException.class, () -> cut.getBits(0, 57));
    }
}
