package org.tokenlab.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that breaks the format; the message names the file and the problem. */
public final class SafeTensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file and what is wrong with it. */
    public SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** The file, what is wrong with it, and the lower-level cause (e.g. a JSON syntax error). */
    public SafeTensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
