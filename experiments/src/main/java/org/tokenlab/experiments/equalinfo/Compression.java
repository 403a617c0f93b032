package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.theory.coding.BitBuffer;
import org.tokenlab.theory.coding.CompressionStats;
import org.tokenlab.theory.coding.DeflateBaseline;
import org.tokenlab.theory.coding.EqualInfoWindows;

/**
 * The measurements of EqualInfoAC's E1 and E2 (papers.md §3.4) on validation text cut into fixed-size
 * chunks: codec round trips, AC length against the model's cross-entropy, and the compression ratio of
 * every method with 8-bit tokens (v = 256).
 */
final class Compression {
    private Compression() {
    }

    /** E1's numbers. */
    record Codec(int chunks, long bytes, int acExact, int equalInfoExact, int equalInfoLookaheadExact,
                 long acBits, double idealBits) {
        /** AC bits per byte. */
        double acBitsPerByte() {
            return (double) acBits / bytes;
        }

        /** M1's cross-entropy in bits per byte (the ideal code length of its quantised tables). */
        double crossEntropyBitsPerByte() {
            return idealBits / bytes;
        }
    }

    /** One method's size on the validation text. */
    record Method(String name, long inputBytes, long outputBits) {
        CompressionStats stats() {
            return new CompressionStats(inputBytes, outputBits, 8);
        }
    }

    /** Cuts {@code text} into chunks of {@code size} bytes (the last one may be shorter). */
    static List<byte[]> chunks(byte[] text, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < text.length; i += size) {
            out.add(Arrays.copyOfRange(text, i, Math.min(text.length, i + size)));
        }
        return out;
    }

    static int[] symbols(byte[] chunk) {
        int[] s = new int[chunk.length];
        for (int i = 0; i < chunk.length; i++) {
            s[i] = chunk[i] & 0xFF;
        }
        return s;
    }

    static List<int[]> symbols(List<byte[]> chunks) {
        return chunks.stream().map(Compression::symbols).toList();
    }

    /**
     * E1: encodes and decodes every chunk with plain AC and with EqualInfoAC[W] (exact decoder with
     * per-window counts, and, where the coder measures it, the count-free look-ahead decoder of App. D.5),
     * and sums AC bits and M1's ideal bits.
     */
    static Codec codec(M1Coder m1, List<byte[]> chunks, int windowBits) {
        List<int[]> xs = symbols(chunks);
        int[] lengths = xs.stream().mapToInt(x -> x.length).toArray();
        M1Coder.Ac ac = m1.ac(xs);
        List<int[]> acBack = m1.decodeAc(ac.codes(), lengths);
        List<EqualInfoWindows.Encoded> eq = m1.equalInfo(xs, windowBits);
        List<int[]> eqBack = m1.decodeEqualInfo(eq);
        int acExact = 0;
        int eqExact = 0;
        long bytes = 0;
        long acBits = 0;
        for (int i = 0; i < xs.size(); i++) {
            bytes += lengths[i];
            acBits += ac.codes().get(i).length();
            acExact += Arrays.equals(xs.get(i), acBack.get(i)) ? 1 : 0;
            eqExact += Arrays.equals(xs.get(i), eqBack.get(i)) ? 1 : 0;
        }
        return new Codec(chunks.size(), bytes, acExact, eqExact, m1.lookaheadExact(eq, xs), acBits, ac.idealBits());
    }

    /** AC: the sum of each chunk's code length. */
    static Method ac(String name, M1Coder model, List<byte[]> chunks) {
        long bits = model.ac(symbols(chunks)).codes().stream().mapToLong(BitBuffer::length).sum();
        return new Method(name, chunks.stream().mapToLong(c -> c.length).sum(), bits);
    }

    /** EqualInfoAC[W]: every window counts its full W bits (padding included). */
    static Method equalInfo(M1Coder model, List<byte[]> chunks, int windowBits) {
        long bits = model.equalInfo(symbols(chunks), windowBits).stream().mapToLong(e -> e.bits().length()).sum();
        return new Method("EqualInfoAC[" + windowBits + "]", chunks.stream().mapToLong(c -> c.length).sum(), bits);
    }

    /** GZip[v=256]: zlib at the default level per chunk, header and trailer included. */
    static Method gzip(List<byte[]> chunks) {
        long bits = 0;
        long bytes = 0;
        for (byte[] c : chunks) {
            bits += 8L * DeflateBaseline.compress(c).length;
            bytes += c.length;
        }
        return new Method("GZip", bytes, bits);
    }

    /** Bytes: one byte per token, no compression. */
    static Method bytes(List<byte[]> chunks) {
        long bytes = chunks.stream().mapToLong(c -> c.length).sum();
        return new Method("Bytes", bytes, 8 * bytes);
    }
}
