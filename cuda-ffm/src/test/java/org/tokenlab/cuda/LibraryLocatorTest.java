package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryLocatorTest {
    @TempDir
    Path tmp;

    private Path touch(String rel) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {0});
        return p;
    }

    private static LibraryLocator locator(Map<String, String> env, List<Path> site, List<String> ldconfig, List<Path> usrLocal) {
        return new LibraryLocator(new LibraryLocator.Inputs(env, site, ldconfig, usrLocal));
    }

    @Test
    void versionedSonamesComeBeforeTheUnversionedNameInOneFolder() throws IOException {
        Path plain = touch("cuda/lib64/libcudart.so");
        Path v12 = touch("cuda/lib64/libcudart.so.12");
        Path v13 = touch("cuda/lib64/libcudart.so.13");
        LibraryLocator.Found f = locator(Map.of("CUDA_HOME", tmp.resolve("cuda").toString()), List.of(), List.of(), List.of())
                .find("cudart");
        assertEquals(List.of(v13, v12, plain), f.candidates());
    }

    @Test
    void tokenlabCudaPathWinsOverEveryOtherSource() throws IOException {
        Path mine = touch("mine/libcublas.so"); // unversioned, still first: the variable is the user's choice
        Path home = touch("home/lib64/libcublas.so.13");
        Path site = touch("site/nvidia/cu13/lib/libcublas.so.13");
        Path ld = touch("ld/libcublas.so.13");
        Map<String, String> env = Map.of("TOKENLAB_CUDA_PATH", tmp.resolve("mine").toString(),
                "CUDA_HOME", tmp.resolve("home").toString(), "LD_LIBRARY_PATH", tmp.resolve("ld").toString());
        LibraryLocator.Found f = locator(env, List.of(tmp.resolve("site")), List.of(), List.of()).find("cublas");
        assertEquals(List.of(mine, site, home, ld), f.candidates());
    }

    @Test
    void pythonNvidiaFoldersPreferCu13ThenCu12ThenOtherPackagesSorted() throws IOException {
        Path other = touch("site/nvidia/cublas/lib/libcublas.so.12");
        Path cu12 = touch("site/nvidia/cu12/lib/libcublas.so.12");
        Path cu13 = touch("site/nvidia/cu13/lib/libcublas.so.13");
        LibraryLocator.Found f = locator(Map.of(), List.of(tmp.resolve("site")), List.of(), List.of()).find("cublas");
        assertEquals(List.of(cu13, cu12, other), f.candidates());
    }

    @Test
    void ldconfigCacheAndUsrLocalFoldersAreSearchedInOrder() throws IOException {
        Path usr = touch("usr/local/cuda/lib64/libcudart.so.13");
        Path cache = touch("cache/libcudart.so.12");
        List<String> lines = List.of("1 libs found in cache `/etc/ld.so.cache'",
                "\tlibcudart.so.12 (libc6,x86-64) => " + cache);
        LibraryLocator.Found f = locator(Map.of(), List.of(), lines, List.of(usr.getParent())).find("cudart");
        assertEquals(List.of(usr, cache), f.candidates());
    }

    @Test
    void everyPathTriedIsRecordedAndNothingFoundIsEmpty() {
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", tmp.resolve("a") + ":" + tmp.resolve("b"));
        LibraryLocator.Found f = locator(env, List.of(), List.of(), List.of()).find("cudart");
        assertTrue(f.candidates().isEmpty());
        assertEquals(List.of(
                tmp.resolve("a/libcudart.so.13").toString(), tmp.resolve("a/libcudart.so.12").toString(),
                tmp.resolve("a/libcudart.so").toString(), tmp.resolve("b/libcudart.so.13").toString(),
                tmp.resolve("b/libcudart.so.12").toString(), tmp.resolve("b/libcudart.so").toString()), f.tried());
        assertNull(f.preferMajor(13));
    }

    @Test
    void preferMajorPicksTheMatchingSonameElseTheFirst() throws IOException {
        Path v13 = touch("x/libcublas.so.13");
        Path v12 = touch("y/libcublas.so.12");
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", tmp.resolve("x") + ":" + tmp.resolve("y"));
        LibraryLocator.Found f = locator(env, List.of(), List.of(), List.of()).find("cublas");
        assertEquals(v12, f.preferMajor(12));
        assertEquals(v13, f.preferMajor(13));
        assertEquals(v13, f.preferMajor(11));
        assertEquals(13, LibraryLocator.major(v13));
        assertEquals(-1, LibraryLocator.major(Path.of("libcublas.so")));
    }

    @Test
    void aLibraryThatIsNotLoadableBecomesAStatusNotAnError() throws IOException {
        touch("bad/libcudart.so.13"); // one zero byte: dlopen rejects it
        LibraryLocator loc = locator(Map.of("TOKENLAB_CUDA_PATH", tmp.resolve("bad").toString()), List.of(), List.of(), List.of());
        CudaLibraries.Loaded l = CudaLibraries.load(loc);
        assertNull(l.cudart());
        assertTrue(l.cudartError().contains("failed to load"), l.cudartError());
        CudaAvailability a = CudaAvailability.probe(l);
        assertEquals(CudaAvailability.Status.CUDART_NOT_FOUND, a.status());
        assertTrue(a.summary().startsWith("CUDART_NOT_FOUND: "), a.summary());
    }

    @Test
    void noLibraryAnywhereIsCudartNotFoundWithTheSearchHint() {
        LibraryLocator loc = locator(Map.of("LD_LIBRARY_PATH", tmp.toString()), List.of(), List.of(), List.of());
        CudaAvailability a = CudaAvailability.probe(CudaLibraries.load(loc));
        assertEquals(CudaAvailability.Status.CUDART_NOT_FOUND, a.status());
        assertTrue(a.detail().contains("not found in 3 places"), a.detail());
        assertTrue(a.detail().contains("TOKENLAB_CUDA_PATH"), a.detail());
        assertEquals(3, a.tried().size());
    }
}
