package org.tokenlab.tensor.rng;

import java.nio.charset.StandardCharsets;

/**
 * A counter-based random stream: value number {@code i} of a stream is a pure function of the stream's
 * key and {@code i}, so what one stream yields never depends on what any other stream drew.
 *
 * <p>Streams are derived from one run seed by name ({@code RandomStream.root(seed).child("init")
 * .child("block.3")}). The generator is SplitMix64's finaliser applied to {@code key + i·γ}: cheap,
 * statistically solid for simulation, and trivially splittable. Its position is one {@code long}
 * ({@link #position()}), which checkpoints store to resume a stream exactly.
 *
 * <p>Not thread-safe; give each thread its own stream, or use the stateless {@link #uniformAt(long)}.
 */
public final class RandomStream {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private final long key;
    private long counter;

    private RandomStream(long key, long counter) {
        this.key = key;
        this.counter = counter;
    }

    /** The root stream of a run. */
    public static RandomStream root(long seed) {
        return new RandomStream(mix64(seed ^ 0x5DEECE66DL), 0);
    }

    /** A stream identified by its key, at a given position (for checkpoint restore). */
    public static RandomStream ofKey(long key, long position) {
        return new RandomStream(key, position);
    }

    /** A child stream named {@code name}; its values do not depend on this stream's position. */
    public RandomStream child(String name) {
        long h = key;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix64(h ^ (b & 0xFF)) + GAMMA;
        }
        return new RandomStream(mix64(h ^ 0x2545F4914F6CDD1DL), 0);
    }

    /** A child stream identified by a number (a sequence index, a layer index ...). */
    public RandomStream child(long index) {
        return new RandomStream(mix64(key ^ mix64(index + GAMMA)), 0);
    }

    public long key() {
        return key;
    }

    /** How many 64-bit values this stream has produced. */
    public long position() {
        return counter;
    }

    /** Skips {@code n} values (as if {@code n} values had been drawn); used by counter-based kernels. */
    public void advance(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("advance: n must be >= 0, got " + n);
        }
        counter += n;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        return bitsAt(counter++);
    }

    /** 64 random bits at index {@code i}, without moving the stream. */
    public long bitsAt(long i) {
        return mix64(key + (i + 1) * GAMMA);
    }

    /** Uniform in [0, 1) with 24 random bits, at index {@code i}; stateless, safe from any thread. */
    public float uniformAt(long i) {
        return uniformAt(key, i);
    }

    /** {@code RandomStream.ofKey(key, 0).uniformAt(i)} without creating a stream (for kernels). */
    public static float uniformAt(long key, long i) {
        return (mix64(key + (i + 1) * GAMMA) >>> 40) * 0x1.0p-24f;
    }

    /** Uniform float in [0, 1). */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform double in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform int in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 33; // 31 bits
        long m = r * bound;
        long low = m & 0x7FFFFFFFL;
        if (low < bound) {
            long threshold = (0x80000000L - bound) % bound;
            while (low < threshold) {
                r = nextLong() >>> 33;
                m = r * bound;
                low = m & 0x7FFFFFFFL;
            }
        }
        return (int) (m >>> 31);
    }

    /** A standard normal draw (Box–Muller on two fresh uniforms; the second value is discarded). */
    public double nextGaussian() {
        double u1 = ((nextLong() >>> 11) + 1) * 0x1.0p-53; // (0, 1]
        double u2 = (nextLong() >>> 11) * 0x1.0p-53;
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** SplitMix64's finaliser: a bijective 64-bit mixer. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
