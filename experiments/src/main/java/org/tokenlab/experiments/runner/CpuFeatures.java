package org.tokenlab.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU facts the JDK does not expose: read from /proc/cpuinfo on Linux, "unknown" elsewhere. */
public final class CpuFeatures {
    private CpuFeatures() {
    }

    public static boolean hasFma() {
        String flags = flags();
        return flags.contains(" fma ") || flags.contains(" asimd ");
    }

    public static String modelName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return "unknown CPU";
    }

    private static String flags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags") || line.startsWith("Features")) {
                    return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return " ";
    }
}
