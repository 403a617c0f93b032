package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmbeddingGroupsTest {
    @Test
    void positionsAreGroupedByRowInIncreasingOrder() {
        EmbeddingGroups g = EmbeddingGroups.of(new int[] {3, 1, 3, 0, 1, 3}, 6, 4);
        assertArrayEquals(new int[] {3, 1, 0}, g.rows());
        assertArrayEquals(new int[] {0, 3, 5, 6}, g.starts());
        assertArrayEquals(new int[] {0, 2, 5, 1, 4, 3}, g.positions());
        assertEquals(3, g.rowCount());
        assertArrayEquals(new int[] {3, 1, 0, 0, 3, 5, 6, 0, 2, 5, 1, 4, 3}, g.packed());
    }

    @Test
    void anIndexOutsideTheTableNamesItsPosition() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> EmbeddingGroups.of(new int[] {0, 4}, 2, 4));
        assertEquals("embeddingBackward: index 4 at position 1 is outside [0, 4)", e.getMessage());
    }
}
