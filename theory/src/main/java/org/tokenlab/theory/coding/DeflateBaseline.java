package org.tokenlab.theory.coding;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The GZip baseline of EqualInfoAC: {@link Deflater} at the default level with the zlib header and
 * trailer (Python's {@code zlib.compress} default), as the paper does.
 */
public final class DeflateBaseline {
    private DeflateBaseline() {
    }

    /** zlib-compresses {@code data} at the default level. */
    public static byte[] compress(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * Inflates a zlib stream that must hold exactly {@code expectedLength} bytes; output beyond that,
     * a truncated stream or a corrupt one is an {@link IllegalArgumentException} (bounded memory).
     */
    public static byte[] decompress(byte[] compressed, int expectedLength) {
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[expectedLength];
            int n = 0;
            while (n < expectedLength) {
                int got = inflater.inflate(out, n, expectedLength - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("zlib stream ends after " + n + " of " + expectedLength + " bytes");
                }
                n += got;
            }
            if (!inflater.finished()) {
                byte[] probe = new byte[1];
                if (inflater.inflate(probe) > 0) {
                    throw new IllegalArgumentException("zlib stream holds more than " + expectedLength + " bytes");
                }
                if (!inflater.finished()) {
                    throw new IllegalArgumentException("zlib stream is truncated (no end marker)");
                }
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
