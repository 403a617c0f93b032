package org.tokenlab.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds CUDA shared libraries through an explicit, recorded search list (GPU.md), in this order:
 * <ol>
 *   <li>{@code TOKENLAB_CUDA_PATH} (colon-separated folders; each folder, its {@code lib64} and {@code lib});</li>
 *   <li>the {@code nvidia/<package>/lib} folders of Python site-packages (PyTorch wheels ship CUDA there:
 *       {@code nvidia/cu13/lib}, {@code nvidia/cublas/lib}, ...);</li>
 *   <li>{@code CUDA_HOME}, then {@code CUDA_PATH} ({@code lib64}, {@code lib});</li>
 *   <li>{@code /usr/local/cuda/lib64}, then the other {@code /usr/local/cuda-*}/lib64 folders, newest first;</li>
 *   <li>{@code LD_LIBRARY_PATH};</li>
 *   <li>the folders named by the ldconfig cache ({@code ldconfig -p}).</li>
 * </ol>
 * In every folder the versioned sonames ({@code .so.13}, then {@code .so.12}) come before the
 * unversioned name. Nothing is loaded here; this class only answers "which files, in what order".
 */
public final class LibraryLocator {
    /** The sonames' major versions we accept, preferred first. */
    public static final List<Integer> MAJORS = List.of(13, 12);

    /** What the search looks at; injected so tests can use temporary folders. */
    public record Inputs(Map<String, String> env, List<Path> sitePackages, List<String> ldconfigLines,
                         List<Path> usrLocalCudaDirs) {
        /** This process's environment, the site-packages of every python3 on PATH, and {@code ldconfig -p}. */
        public static Inputs system() {
            Map<String, String> env = System.getenv();
            return new Inputs(env, pythonSitePackages(env), ldconfigCache(), usrLocalCuda());
        }
    }

    /** The result of a search: the existing files in preference order, and every path looked at. */
    public record Found(List<Path> candidates, List<String> tried) {
        /** The first candidate whose soname major is {@code major}, else the first one, else null. */
        public Path preferMajor(int major) {
            for (Path p : candidates) {
                if (major(p) == major) {
                    return p;
                }
            }
            return candidates.isEmpty() ? null : candidates.getFirst();
        }
    }

    private final Inputs inputs;

    public LibraryLocator(Inputs inputs) {
        this.inputs = inputs;
    }

    /** The folders to search, in order, without duplicates. */
    public List<Path> folders() {
        Set<Path> out = new LinkedHashSet<>();
        for (String dir : split(inputs.env().get("TOKENLAB_CUDA_PATH"))) {
            Path d = Path.of(dir);
            out.add(d);
            out.add(d.resolve("lib64"));
            out.add(d.resolve("lib"));
        }
        for (Path site : inputs.sitePackages()) {
            out.addAll(nvidiaLibFolders(site.resolve("nvidia")));
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String v = inputs.env().get(var);
            if (v != null && !v.isBlank()) {
                out.add(Path.of(v).resolve("lib64"));
                out.add(Path.of(v).resolve("lib"));
            }
        }
        out.addAll(inputs.usrLocalCudaDirs());
        for (String dir : split(inputs.env().get("LD_LIBRARY_PATH"))) {
            out.add(Path.of(dir));
        }
        for (String line : inputs.ldconfigLines()) {
            Path p = ldconfigPath(line);
            if (p != null && p.getParent() != null) {
                out.add(p.getParent());
            }
        }
        return List.copyOf(out);
    }

    /** Searches for {@code lib<name>.so*}, e.g. {@code find("cublas")}. */
    public Found find(String name) {
        List<Path> found = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        for (Path dir : folders()) {
            for (String file : fileNames(name)) {
                Path p = dir.resolve(file);
                tried.add(p.toString());
                if (Files.isRegularFile(p)) { // follows symlinks
                    found.add(p);
                }
            }
        }
        return new Found(List.copyOf(found), List.copyOf(tried));
    }

    /** {@code libcudart.so.13, libcudart.so.12, libcudart.so}: versioned before unversioned. */
    static List<String> fileNames(String name) {
        List<String> names = new ArrayList<>();
        for (int major : MAJORS) {
            names.add("lib" + name + ".so." + major);
        }
        names.add("lib" + name + ".so");
        return names;
    }

    /** The soname major of {@code libx.so.13} (13), or -1 for an unversioned name. */
    public static int major(Path p) {
        Matcher m = Pattern.compile("\\.so\\.(\\d+)").matcher(p.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** {@code nvidia/cu13/lib}, {@code nvidia/cu12/lib} first, then every other {@code nvidia/<pkg>/lib}, sorted. */
    static List<Path> nvidiaLibFolders(Path nvidia) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(nvidia)) {
            return out;
        }
        for (int major : MAJORS) {
            Path p = nvidia.resolve("cu" + major).resolve("lib");
            if (Files.isDirectory(p)) {
                out.add(p);
            }
        }
        List<Path> rest = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(nvidia)) {
            for (Path pkg : ds) {
                Path lib = pkg.resolve("lib");
                if (Files.isDirectory(lib) && !out.contains(lib)) {
                    rest.add(lib);
                }
            }
        } catch (IOException e) {
            return out; // an unreadable folder is simply not searched
        }
        rest.sort(Comparator.naturalOrder());
        out.addAll(rest);
        return out;
    }

    /** The path of an {@code ldconfig -p} line such as {@code "\tlibcudart.so.13 (libc6,x86-64) => /x/libcudart.so.13"}. */
    static Path ldconfigPath(String line) {
        int arrow = line.indexOf("=>");
        if (arrow < 0) {
            return null;
        }
        String p = line.substring(arrow + 2).trim();
        return p.isEmpty() ? null : Path.of(p);
    }

    private static List<String> split(String pathList) {
        List<String> out = new ArrayList<>();
        if (pathList != null) {
            for (String s : pathList.split(":")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the system's inputs

    /** /usr/local/cuda/lib64 first, then /usr/local/cuda-X.Y/lib64 newest first. */
    static List<Path> usrLocalCuda() {
        List<Path> out = new ArrayList<>();
        out.add(Path.of("/usr/local/cuda/lib64"));
        List<Path> versioned = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/usr/local"), "cuda-*")) {
            ds.forEach(d -> versioned.add(d.resolve("lib64")));
        } catch (IOException e) {
            // no /usr/local: nothing to add
        }
        versioned.sort(Comparator.comparing(Path::toString).reversed());
        out.addAll(versioned);
        return out;
    }

    /** Site-packages of every python3 on PATH (asked, 5 s limit each) plus the common install folders. */
    static List<Path> pythonSitePackages(Map<String, String> env) {
        Set<Path> out = new LinkedHashSet<>();
        Set<Path> pythons = new LinkedHashSet<>();
        for (String dir : split(env.get("PATH"))) {
            Path py = Path.of(dir, "python3");
            if (Files.isExecutable(py)) {
                pythons.add(py);
            }
        }
        for (Path py : pythons) {
            out.addAll(askPython(py));
        }
        for (String glob : List.of("/usr/lib/python3*/site-packages", "/usr/local/lib/python3*/site-packages",
                "/usr/local/lib/python3*/dist-packages", "/usr/lib/python3/dist-packages",
                "/opt/conda/lib/python3*/site-packages")) {
            out.addAll(expand(glob));
        }
        return List.copyOf(out);
    }

    private static List<Path> askPython(Path python) {
        List<Path> out = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import site\nfor s in site.getsitepackages()+[site.getusersitepackages()]: print(s)")
                    .redirectErrorStream(false).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return out;
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    out.add(Path.of(line.trim()));
                }
            }
        } catch (IOException e) {
            // this python could not be asked; the globs below still cover the usual folders
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Expands one {@code *} in the second-to-last or last path element. */
    private static List<Path> expand(String glob) {
        int star = glob.indexOf('*');
        if (star < 0) {
            return Files.isDirectory(Path.of(glob)) ? List.of(Path.of(glob)) : List.of();
        }
        int slash = glob.lastIndexOf('/', star);
        Path parent = Path.of(glob.substring(0, slash));
        String rest = glob.substring(slash + 1);
        int next = rest.indexOf('/');
        String pattern = next < 0 ? rest : rest.substring(0, next);
        String tail = next < 0 ? "" : rest.substring(next + 1);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, pattern)) {
            for (Path d : ds) {
                Path full = tail.isEmpty() ? d : d.resolve(tail);
                if (Files.isDirectory(full)) {
                    out.add(full);
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** The lines of {@code ldconfig -p}, or none when ldconfig is absent. */
    static List<String> ldconfigCache() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "/sbin/ldconfig.real")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return List.of();
                }
                return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
