package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.UnaryOp;

/** The committed kernel resources hold every entry point the backend launches. */
class KernelResourcesTest {
    /** Every kernel CudaBackend launches, with its parameter count (the launch packs that many). */
    static final List<String> EXPECTED = List.of(
            "fill_f32/3", "gather_f32/4", "f32_to_bf16/3",
            "binary_f32/6", "unary_f32/5", "unary_backward_f32/7", "axpy_f32/4", "dropout_f32/7", "adamw_f32/13",
            "reduce_f32/7", "reduce_sum_rows_f32/3", "reduce_sum_cols_f32/5", "sum_squares_partial/3", "sum_squares_final/3",
            "softmax_f32/5", "softmax_backward_f32/6", "cross_entropy_f32/8", "cross_entropy_backward_f32/9",
            "layernorm_f32/9", "layernorm_backward_dx/8", "layernorm_backward_dwdb/8",
            "rmsnorm_f32/7", "rmsnorm_backward_dx/7", "rmsnorm_backward_dw/6",
            "embedding_f32/5", "embedding_backward_f32/7",
            "attention_forward/7", "attention_backward_delta/4", "attention_backward_dq/9", "attention_backward_dkdv/10",
            "attention_forward_tiled32/6", "attention_backward_dq_tiled32/8", "attention_backward_dkdv_tiled32/9",
            "attention_forward_tiled64/6", "attention_backward_dq_tiled64/8", "attention_backward_dkdv_tiled64/9",
            "attention_forward_tiled32_dropout/7", "attention_backward_dq_tiled32_dropout/9",
            "attention_backward_dkdv_tiled32_dropout/10", "attention_forward_tiled64_dropout/7",
            "attention_backward_dq_tiled64_dropout/9", "attention_backward_dkdv_tiled64_dropout/10");

    static String ptx() {
        return new String(KernelLibrary.resource(KernelLibrary.PTX), StandardCharsets.US_ASCII);
    }

    @Test
    void thePtxDeclaresExactlyTheExpectedEntryPoints() {
        List<String> sigs = KernelLibrary.signatures(ptx());
        assertEquals(EXPECTED.stream().sorted().toList(), sigs.stream().sorted().toList());
        assertTrue(ptx().contains(".target sm_90"), "PTX must target compute_90");
    }

    @Test
    void theFatbinCarriesSm90CodeForEveryEntryPoint() {
        byte[] fatbin = KernelLibrary.resource(KernelLibrary.FATBIN);
        String bytes = new String(fatbin, StandardCharsets.ISO_8859_1);
        // the fatbin header magic (0xBA55ED50, little-endian)
        assertEquals(0x50, fatbin[0] & 0xFF);
        assertEquals(0xED, fatbin[1] & 0xFF);
        assertEquals(0x55, fatbin[2] & 0xFF);
        assertEquals(0xBA, fatbin[3] & 0xFF);
        for (String e : KernelLibrary.entries(ptx())) {
            assertTrue(bytes.contains(".text." + e), "no SASS section .text." + e + " in kernels.fatbin");
        }
    }

    /**
     * No kernel keeps a per-thread local-memory frame. A struct argument indexed with a run-time value (Dims
     * in binary_f32 and gather_f32) is copied into every thread's local memory unless it is declared
     * {@code const __grid_constant__}; in PTX the copy shows as a {@code __local_depot} (that copy made those
     * two kernels three times slower than axpy on the H200).
     */
    @Test
    void noKernelHasALocalMemoryFrame() {
        String[] parts = ptx().split("\\.entry ");
        List<String> withFrame = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].contains("__local_depot")) {
                withFrame.add(parts[i].substring(0, parts[i].indexOf('(')).trim());
            }
        }
        assertEquals(List.of(), withFrame, "kernels with a __local_depot in kernels.ptx");
    }

    /** The kernels switch on enum ordinals; their C enums must list the Java constants in order. */
    @Test
    void cEnumsMatchJavaOrdinals() throws IOException {
        String src = Files.readString(Path.of("src/main/cuda/elementwise.cu"));
        assertEquals(names(BinaryOp.values(), "B_"), cEnum(src, "B_ADD"));
        assertEquals(names(UnaryOp.values(), "U_"), cEnum(src, "U_NEG"));
        assertEquals(List.of("SUM", "MAX"), Arrays.stream(ReduceOp.values()).map(Enum::name).toList());
        String reduce = Files.readString(Path.of("src/main/cuda/reduce.cu"));
        assertTrue(reduce.contains("op 0 SUM, 1 MAX"));
    }

    private static List<String> names(Enum<?>[] values, String prefix) {
        return Arrays.stream(values).map(v -> prefix + v.name()).collect(Collectors.toList());
    }

    private static List<String> cEnum(String src, String first) {
        Matcher m = Pattern.compile("enum \\{ (" + first + "[^}]*)\\}").matcher(src);
        assertTrue(m.find(), "no enum starting with " + first);
        List<String> out = new ArrayList<>();
        for (String s : m.group(1).split(",")) {
            out.add(s.trim());
        }
        return out;
    }
}
