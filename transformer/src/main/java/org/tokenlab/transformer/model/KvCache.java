package org.tokenlab.transformer.model;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.backend.Backend;

/**
 * Keys and values of every layer for the positions processed so far, so that generation feeds only
 * the new positions (B, Tq) and attends over all Tk cached ones. Used without autograd.
 */
public final class KvCache {
    private final int B;
    private final int capacity;
    private final int C;
    private final Tensor[] keys;   // per layer (B, capacity, C)
    private final Tensor[] values; // per layer (B, capacity, C)
    private int length;

    /** A cache for {@code layers} layers, B sequences and up to {@code capacity} positions of C channels. */
    public KvCache(int layers, int B, int capacity, int C) {
        this.B = B;
        this.capacity = capacity;
        this.C = C;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = Tensor.zeros(B, capacity, C);
            values[l] = Tensor.zeros(B, capacity, C);
        }
    }

    /** Positions cached so far (the absolute position of the next one). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public int batch() {
        return B;
    }

    /** Forgets every position (the buffers are reused). */
    public void clear() {
        length = 0;
    }

    /**
     * Stores layer {@code layer}'s new keys and values, k and v (B,Tq,C), at positions
     * [length, length+Tq), and returns the cached (B, length+Tq, C) views to attend over. The length
     * advances once per forward, in {@link #advance}.
     */
    Tensor[] append(int layer, Tensor k, Tensor v) {
        int Tq = k.size(1);
        if (k.size(0) != B || k.size(2) != C) {
            throw new IllegalArgumentException("KV cache: keys of shape (" + k.size(0) + "," + Tq + "," + k.size(2)
                    + ") do not fit a cache of B=" + B + " C=" + C);
        }
        if (length + Tq > capacity) {
            throw new IllegalStateException("KV cache full: " + length + " + " + Tq + " positions > capacity " + capacity);
        }
        write(k.contiguous(), keys[layer], Tq);
        write(v.contiguous(), values[layer], Tq);
        int Tk = length + Tq;
        return new Tensor[]{keys[layer].slice(1, 0, Tk), values[layer].slice(1, 0, Tk)};
    }

    // src (B,Tq,C) contiguous -> dst (B,capacity,C) rows [length, length+Tq)
    private void write(Tensor src, Tensor dst, int Tq) {
        Backend be = Engine.backend();
        for (int b = 0; b < B; b++) {
            be.copy(src.storage(), src.offset() + b * Tq * C, dst.storage(), (b * capacity + length) * C, Tq * C);
        }
    }

    /** Marks {@code Tq} more positions as cached (called once after every layer appended them). */
    void advance(int Tq) {
        length += Tq;
    }
}
