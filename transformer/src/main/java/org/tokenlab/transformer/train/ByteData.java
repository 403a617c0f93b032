package org.tokenlab.transformer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A data file read as byte tokens (ids 0–255), the CLI's tokenizer. */
public final class ByteData {
    private ByteData() {
    }

    /** The bytes of {@code file} as token ids; a clear error when it is missing, unreadable or empty. */
    public static int[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("data file not found: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read data file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("data file is empty: " + file);
        }
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xFF;
        }
        return tokens;
    }
}
