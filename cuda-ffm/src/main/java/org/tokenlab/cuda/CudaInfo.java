package org.tokenlab.cuda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints what CUDA discovery found: the status line, the libraries and versions, and how many paths
 * were searched. {@code CudaInfo [--json FILE]} also writes the record as JSON (atomically). Used by
 * the device check and handy as {@code java -cp ... org.tokenlab.cuda.CudaInfo} on any machine.
 */
public final class CudaInfo {
    private CudaInfo() {
    }

    /** The availability record as a JSON-ready map. */
    public static Map<String, Object> describe(CudaAvailability a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", a.status().name());
        m.put("detail", a.detail());
        m.put("cudart", a.cudartPath() == null ? null : a.cudartPath().toString());
        m.put("cublas", a.cublasPath() == null ? null : a.cublasPath().toString());
        m.put("runtimeVersion", a.runtimeVersion());
        m.put("driverVersion", a.driverVersion());
        m.put("cublasVersion", a.cublasVersion());
        m.put("deviceCount", a.deviceCount());
        m.put("pathsTried", a.tried());
        return m;
    }

    /** Writes {@code value} as pretty JSON to {@code file} via a temporary file and a rename. */
    public static void writeJson(Path file, Object value) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), value);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void main(String[] args) throws IOException {
        CudaAvailability a = Cuda.availability();
        System.out.println("cuda: " + (a.available() ? "available" : "unavailable") + ": " + a.summary());
        System.out.println("  libcudart: " + a.cudartPath() + "  (runtime " + a.runtimeVersion() + ", driver "
                + a.driverVersion() + ")");
        System.out.println("  libcublas: " + a.cublasPath() + "  (version " + a.cublasVersion() + ")");
        System.out.println("  devices: " + a.deviceCount() + ", library paths searched: " + a.tried().size());
        if (args.length == 2 && args[0].equals("--json")) {
            writeJson(Path.of(args[1]), describe(a));
        } else if (args.length != 0) {
            System.err.println("usage: CudaInfo [--json FILE]");
            System.exit(2);
        }
    }
}
