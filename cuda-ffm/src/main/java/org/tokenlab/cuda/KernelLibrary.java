package org.tokenlab.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tokenlab.cuda.bindings.Cudart;

/**
 * Our kernels, compiled ahead of time into {@code kernels.fatbin} (build-kernels.sh), loaded with
 * {@code cudaLibraryLoadData} and launched with {@code cudaLaunchKernel}: only libcudart is needed,
 * no NVRTC and no direct driver calls. Kernel handles are looked up once per name.
 */
public final class KernelLibrary {
    /** The committed fatbin (sm_90 SASS + compute_90 PTX) and its PTX text. */
    public static final String FATBIN = "/org/tokenlab/cuda/kernels.fatbin";
    public static final String PTX = "/org/tokenlab/cuda/kernels.ptx";

    private final Arena arena;
    private final MemorySegment library;
    private final Map<String, MemorySegment> kernels = new HashMap<>();

    KernelLibrary(Arena arena) {
        this.arena = arena;
        byte[] image = resource(FATBIN);
        MemorySegment code = arena.allocate(image.length, 16);
        code.copyFrom(MemorySegment.ofArray(image));
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        CudaCalls.check("cudaLibraryLoadData", Cudart.cudaLibraryLoadData(out, code, MemorySegment.NULL,
                MemorySegment.NULL, 0, MemorySegment.NULL, MemorySegment.NULL, 0));
        library = out.get(ValueLayout.ADDRESS, 0);
    }

    /** The kernel handle for an {@code extern "C"} entry point, looked up on first use. */
    MemorySegment kernel(String name) {
        MemorySegment k = kernels.get(name);
        if (k == null) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            CudaCalls.check("cudaLibraryGetKernel(" + name + ")",
                    Cudart.cudaLibraryGetKernel(out, library, arena.allocateFrom(name)));
            k = out.get(ValueLayout.ADDRESS, 0);
            kernels.put(name, k);
        }
        return k;
    }

    void unload() {
        Cudart.cudaLibraryUnload(library);
    }

    /** The bytes of a class-path resource, or a clear error naming it. */
    public static byte[] resource(String name) {
        try (InputStream in = KernelLibrary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " (run cuda-ffm/build-kernels.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /** The {@code .entry} names of a PTX text, in order of appearance. */
    public static List<String> entries(String ptx) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(").matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return new ArrayList<>(names);
    }

    /**
     * Each entry's parameter sizes in bytes, from its PTX declaration: {@code .u32}/{@code .f32} 4,
     * {@code .u64} (pointers) 8, a by-value struct {@code .b8 name[S]} S.
     */
    public static Map<String, List<Integer>> parameterSizes(String ptx) {
        Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)").matcher(ptx);
        Pattern array = Pattern.compile("\\[(\\d+)\\]");
        Pattern scalar = Pattern.compile("\\.[usbf](8|16|32|64)\\b");
        while (m.find()) {
            List<Integer> sizes = new ArrayList<>();
            for (String param : m.group(2).split(",")) {
                if (param.isBlank()) {
                    continue;
                }
                Matcher a = array.matcher(param);
                if (a.find()) {
                    sizes.add(Integer.parseInt(a.group(1)));
                } else {
                    Matcher t = scalar.matcher(param);
                    if (!t.find()) {
                        throw new IllegalArgumentException("unknown PTX parameter type in " + m.group(1) + ": " + param.trim());
                    }
                    sizes.add(Integer.parseInt(t.group(1)) / 8);
                }
            }
            out.put(m.group(1), sizes);
        }
        return out;
    }

    /** Each entry with its parameter count, e.g. {@code axpy_f32/4}: the kernels' ABI as the PTX states it. */
    public static List<String> signatures(String ptx) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)").matcher(ptx);
        while (m.find()) {
            String params = m.group(2).trim();
            int count = params.isEmpty() ? 0 : params.split(",").length;
            out.add(m.group(1) + "/" + count);
        }
        return out;
    }
}
