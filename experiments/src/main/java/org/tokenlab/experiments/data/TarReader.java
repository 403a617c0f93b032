package org.tokenlab.experiments.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small reader of (ustar / pax) tar streams, enough for npm tarballs: it returns the regular files
 * whose path a predicate accepts, in archive order. Pax extended headers ({@code path=}) and GNU long
 * names are honoured; links and devices are skipped.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private TarReader() {
    }

    /** Reads every wanted regular file of {@code tar}; fails on a truncated or malformed archive. */
    public static Map<String, byte[]> read(InputStream tar, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] header = new byte[BLOCK];
        String nextName = null;
        while (true) {
            if (!readFully(tar, header)) {
                throw new IOException("tar: archive ends without its end-of-archive blocks");
            }
            if (isZero(header)) {
                return files; // end of archive (the second zero block need not be read)
            }
            verifyChecksum(header);
            String name = nextName != null ? nextName : name(header);
            nextName = null;
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            byte[] body = readBody(tar, size);
            switch (type) {
                case 'x' -> nextName = paxPath(body);
                case 'L' -> nextName = cString(body, 0, body.length);
                case '0', '\0' -> {
                    if (wanted.test(name)) {
                        files.put(name, body);
                    }
                }
                default -> {
                    // directories, links, global pax headers: nothing to extract
                }
            }
        }
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        String magic = cString(h, 257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxPath(byte[] body) throws IOException {
        // Records are "<len> <key>=<value>\n", len counting the whole record in bytes.
        int i = 0;
        String path = null;
        while (i < body.length) {
            int sp = i;
            while (sp < body.length && body[sp] != ' ') {
                sp++;
            }
            if (sp >= body.length) {
                throw new IOException("tar: malformed pax header");
            }
            int len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII).trim());
            if (len <= sp - i || i + len > body.length) {
                throw new IOException("tar: malformed pax record length " + len);
            }
            String rec = new String(body, sp + 1, len - (sp - i) - 2, StandardCharsets.UTF_8);
            if (rec.startsWith("path=")) {
                path = rec.substring(5);
            }
            i += len;
        }
        return path;
    }

    private static byte[] readBody(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - BLOCK) {
            throw new IOException("tar: entry size " + size + " out of range");
        }
        int padded = (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        byte[] buf = new byte[padded];
        if (!readFully(in, buf)) {
            throw new IOException("tar: truncated entry (" + size + " bytes expected)");
        }
        byte[] body = new byte[(int) size];
        System.arraycopy(buf, 0, body, 0, (int) size);
        return body;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long stored = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
        }
        if (sum != stored) {
            throw new IOException("tar: header checksum mismatch (stored " + stored + ", computed " + sum + ")");
        }
    }

    static long octal(byte[] h, int off, int len) throws IOException {
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            v = v * 8 + (h[i] - '0');
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) {
                throw new IOException("tar: bad octal field at offset " + off);
            }
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        return n == buf.length;
    }

    /** Writes a minimal ustar archive of (name → bytes) entries; used by tests to build tarballs. */
    public static byte[] write(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] h = new byte[BLOCK];
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                throw new IllegalArgumentException("tar writer: name longer than 100 bytes: " + e.getKey());
            }
            System.arraycopy(name, 0, h, 0, name.length);
            putOctal(h, 100, 8, 0644);
            putOctal(h, 108, 8, 0);
            putOctal(h, 116, 8, 0);
            putOctal(h, 124, 12, e.getValue().length);
            putOctal(h, 136, 12, 0);
            h[156] = '0';
            System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
            h[263] = '0';
            h[264] = '0';
            long sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
            }
            putOctal(h, 148, 8, sum);
            out.writeBytes(h);
            out.writeBytes(e.getValue());
            out.writeBytes(new byte[(BLOCK - e.getValue().length % BLOCK) % BLOCK]);
        }
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private static void putOctal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
