package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.cuda.bindings.Cudart;
import org.tokenlab.cuda.bindings.Native;

/** The binding classes declare exactly the committed symbol list, and every descriptor links. */
class BindingsTest {
    private static final Map<String, MemoryLayout> TYPES = Map.of("int", Native.C_INT, "size_t", Native.C_LONG,
            "longlong", Native.C_LONG, "float", Native.C_FLOAT, "pointer", Native.C_POINTER, "string", Native.C_POINTER,
            "dim3", Cudart.DIM3);

    /** library → (function → descriptor), from bindings/symbols.txt. */
    private static Map<String, Map<String, FunctionDescriptor>> symbols() throws IOException {
        Map<String, Map<String, FunctionDescriptor>> out = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("bindings/symbols.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            List<MemoryLayout> params = new ArrayList<>();
            for (int i = 3; i < f.length; i++) {
                params.add(TYPES.get(f[i].split(":")[0]));
            }
            FunctionDescriptor d = FunctionDescriptor.of(TYPES.get(f[2]), params.toArray(MemoryLayout[]::new));
            out.computeIfAbsent(f[0], k -> new TreeMap<>()).put(f[1], d);
        }
        return out;
    }

    private static Map<String, FunctionDescriptor> declared(Class<?> c) throws IllegalAccessException {
        Map<String, FunctionDescriptor> out = new TreeMap<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().endsWith("$DESC")) {
                out.put(f.getName().substring(0, f.getName().length() - 5), (FunctionDescriptor) f.get(null));
            }
        }
        return out;
    }

    @Test
    void classesMatchTheSymbolList() throws Exception {
        Map<String, Map<String, FunctionDescriptor>> sym = symbols();
        assertEquals(sym.get("cudart"), declared(Cudart.class));
        assertEquals(sym.get("cublas"), declared(Cublas.class));
    }

    @Test
    void everyDescriptorLinksAgainstAFakeLookup() throws Exception {
        List<String> asked = new ArrayList<>();
        SymbolLookup fake = name -> {
            asked.add(name);
            return Optional.of(MemorySegment.ofAddress(0x1000)); // never called, only linked
        };
        int n = 0;
        for (Class<?> c : List.of(Cudart.class, Cublas.class)) {
            for (Map.Entry<String, FunctionDescriptor> e : declared(c).entrySet()) {
                MethodHandle h = Native.downcall(fake, e.getKey(), e.getValue());
                assertNotNull(h);
                assertEquals(e.getValue().toMethodType(), h.type(), e.getKey());
                n++;
            }
        }
        assertEquals(n, asked.size());
        assertEquals(symbols().values().stream().mapToInt(Map::size).sum(), n);
    }
}
