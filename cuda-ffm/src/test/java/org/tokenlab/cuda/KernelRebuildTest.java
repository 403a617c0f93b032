package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilds the kernels with build-kernels.sh when nvcc is on PATH and compares with the committed
 * resources. What is compared: the entry points with their parameter counts (the ABI the backend
 * packs arguments for), the presence of every entry's SASS section in the fatbin, and, when the nvcc
 * release is the one that built the committed PTX, the PTX text itself. Fatbin bytes are not
 * compared: they embed build details that differ between nvcc builds.
 */
class KernelRebuildTest {
    @TempDir
    Path tmp;

    private static String nvccVersionLine() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.lines().filter(l -> l.startsWith("Cuda compilation tools")).findFirst().orElse("?");
    }

    private static boolean nvccOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, "nvcc"))) {
                return true;
            }
        }
        return false;
    }

    /** "" when equal, else the first differing line of each text. */
    private static String firstDifference(String a, String b) {
        List<String> la = a.lines().toList(), lb = b.lines().toList();
        for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
            String x = i < la.size() ? la.get(i) : "<end>", y = i < lb.size() ? lb.get(i) : "<end>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": committed '" + x + "' rebuilt '" + y + "'";
            }
        }
        return "";
    }

    @Test
    void rebuildingGivesTheCommittedEntryPointsAndPtx() throws Exception {
        assumeTrue(nvccOnPath(), "nvcc is not on PATH: the committed kernels cannot be rebuilt here");
        Process p = new ProcessBuilder("bash", "build-kernels.sh", tmp.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);

        String committed = KernelResourcesTest.ptx();
        String rebuilt = Files.readString(tmp.resolve("kernels.ptx"), StandardCharsets.US_ASCII);
        assertEquals(KernelLibrary.signatures(committed), KernelLibrary.signatures(rebuilt));

        String fatbin = new String(Files.readAllBytes(tmp.resolve("kernels.fatbin")), StandardCharsets.ISO_8859_1);
        for (String e : KernelLibrary.entries(rebuilt)) {
            assertEquals(true, fatbin.contains(".text." + e), "rebuilt fatbin lacks .text." + e);
        }
        String version = nvccVersionLine();
        if (committed.contains(version)) {
            assertEquals("", firstDifference(committed, rebuilt),
                    "same nvcc (" + version + ") but different PTX: rerun build-kernels.sh and commit");
        }
        List<String> missing = KernelResourcesTest.EXPECTED.stream()
                .filter(s -> !KernelLibrary.signatures(rebuilt).contains(s)).toList();
        assertEquals(List.of(), missing);
    }
}
