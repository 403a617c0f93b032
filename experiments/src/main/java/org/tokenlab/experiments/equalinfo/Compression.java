package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tokenlab.theory.coding.ArithmeticCoding;
import org.tokenlab.theory.coding.BitBuffer;
import org.tokenlab.theory.coding.CompressionStats;
import org.tokenlab.theory.coding.DeflateBaseline;
import org.tokenlab.theory.coding.EqualInfoWindows;
import org.tokenlab.theory.coding.ProbabilityModel;
import org.tokenlab.theory.coding.RangeDecoder;

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

    /**
     * E1: encodes and decodes every chunk with plain AC and with EqualInfoAC[W] (exact decoder with
     * per-window counts, and the count-free look-ahead decoder of App. D.5), and sums AC bits and ideal bits.
     */
    static Codec codec(ProbabilityModel m1, List<byte[]> chunks, int windowBits) {
        int acExact = 0;
        int eqExact = 0;
        int eqLookahead = 0;
        long bytes = 0;
        long acBits = 0;
        double ideal = 0;
        for (byte[] chunk : chunks) {
            int[] x = symbols(chunk);
            bytes += chunk.length;
            BitBuffer code = ArithmeticCoding.encode(m1, x);
            acBits += code.length();
            ideal += m1.idealBits(x);
            if (Arrays.equals(x, ArithmeticCoding.decode(m1, code, x.length))) {
                acExact++;
            }
            EqualInfoWindows.Encoded eq = EqualInfoWindows.encode(m1, x, windowBits);
            if (Arrays.equals(x, EqualInfoWindows.decode(m1, eq))) {
                eqExact++;
            }
            if (lookaheadExact(m1, eq, windowBits, x)) {
                eqLookahead++;
            }
        }
        return new Codec(chunks.size(), bytes, acExact, eqExact, eqLookahead, acBits, ideal);
    }

    /** Whether the count-free decoder recovers {@code x}; a stream it cannot split counts as a miss. */
    private static boolean lookaheadExact(ProbabilityModel m1, EqualInfoWindows.Encoded eq, int windowBits, int[] x) {
        try {
            return Arrays.equals(x, EqualInfoWindows.decodeLookahead(m1, eq.bits(), windowBits, x.length));
        } catch (RangeDecoder.CorruptCodeException e) {
            return false;
        }
    }

    /** AC: the sum of each chunk's code length. */
    static Method ac(String name, ProbabilityModel model, List<byte[]> chunks) {
        long bits = 0;
        long bytes = 0;
        for (byte[] c : chunks) {
            bits += ArithmeticCoding.encode(model, symbols(c)).length();
            bytes += c.length;
        }
        return new Method(name, bytes, bits);
    }

    /** EqualInfoAC[W]: every window counts its full W bits (padding included). */
    static Method equalInfo(ProbabilityModel model, List<byte[]> chunks, int windowBits) {
        long bits = 0;
        long bytes = 0;
        for (byte[] c : chunks) {
            bits += EqualInfoWindows.encode(model, symbols(c), windowBits).bits().length();
            bytes += c.length;
        }
        return new Method("EqualInfoAC[" + windowBits + "]", bytes, bits);
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
