package org.tokenlab.theory.tokenize;

import java.util.Arrays;

/** A growable list of primitive ints. */
final class IntList {
    private int[] data;
    private int size;

    IntList() {
        this(8);
    }

    IntList(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return data[i];
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
