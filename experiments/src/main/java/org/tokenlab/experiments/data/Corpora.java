package org.tokenlab.experiments.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where experiments get their text: the synthetic corpus SYN (always available) and the natural corpus
 * NAT (present only after {@code tokenlab data fetch}). Experiments that need NAT and find it missing mark
 * their dependent checks SKIPPED with {@link #NAT_MISSING}.
 */
public final class Corpora {
    /** The reason given when NAT is absent. */
    public static final String NAT_MISSING =
            "natural corpus not found in data/nat; run `./tokenlab data fetch` (needs npm) to get it";

    private Corpora() {
    }

    /** The data folder: {@code -Dtokenlab.data}, else {@code data} in the working directory. */
    public static Path dataDir() {
        return Path.of(System.getProperty("tokenlab.data", "data"));
    }

    /** NAT's State of the Union text, if fetched. */
    public static Optional<byte[]> sotu() {
        return nat(NatData.SOTU.output());
    }

    /** NAT's Moby-Dick text, if fetched. */
    public static Optional<byte[]> mobyDick() {
        return nat(NatData.MOBY_DICK.output());
    }

    private static Optional<byte[]> nat(String file) {
        Path p = dataDir().resolve("nat").resolve(file);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
