package org.tokenlab.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tokenlab.cuda.bindings.Cublas;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.BinaryOp;
import org.tokenlab.tensor.backend.MatmulPrecision;
import org.tokenlab.tensor.backend.ReduceOp;
import org.tokenlab.tensor.backend.Storage;
import org.tokenlab.tensor.backend.Strided;
import org.tokenlab.tensor.backend.UnaryOp;

/**
 * Without a GPU: drives every Backend method of CudaBackend over a {@link RecordingDevice} and checks
 * each launch against the kernel's PTX declaration (name exists, same number of parameters, same
 * byte size for each), plus launch shapes and the GEMM pointers. This is the CPU-side guard of the
 * Java ↔ CUDA argument ABI.
 */
class LaunchAbiTest {
    private static final Map<String, List<Integer>> PTX = KernelLibrary.parameterSizes(KernelResourcesTest.ptx());

    private static void checkAbi(RecordingDevice dev) {
        for (RecordingDevice.Launch l : dev.launches) {
            List<Integer> want = PTX.get(l.kernel());
            assertTrue(want != null, "no kernel " + l.kernel() + " in kernels.ptx");
            assertEquals(want.stream().map(Integer::longValue).toList(), l.sizes(), "parameter sizes of " + l.kernel());
            assertTrue(l.threads() % 32 == 0 && l.threads() <= 1024, l.kernel() + " threads " + l.threads());
            assertTrue(l.gy() <= 65535 && l.gz() <= 65535, l.kernel() + " grid y/z");
            assertTrue(l.shared() <= CudaBackend.MAX_SHARED_BYTES, l.kernel() + " shared " + l.shared());
        }
    }

    @Test
    void everyKernelLaunchMatchesItsPtxSignature() {
        RecordingDevice dev = new RecordingDevice();
        try (CudaBackend be = new CudaBackend(dev)) {
            int N = 6, C = 8, V = 5;
            Storage x = be.allocate(N * C), y = be.allocate(N * C), d = be.allocate(N * C), e = be.allocate(N * C);
            Storage w = be.allocate(C), b = be.allocate(C), mean = be.allocate(N), rstd = be.allocate(N);
            be.fill(x, 0, N * C, 1f);
            be.copy(x, 0, y, 0, N * C);
            be.gather(new int[] {C, N}, x, 0, new int[] {1, C}, y, 0);
            for (BinaryOp op : BinaryOp.values()) {
                be.binary(op, new int[] {N, C}, x, 0, new int[] {C, 1}, w, 0, new int[] {0, 1}, y, 0);
            }
            for (UnaryOp op : UnaryOp.values()) {
                be.unary(op, 2f, x, 0, y, 0, N * C);
                be.unaryBackward(op, 2f, x, 0, y, 0, d, 0, e, 0, N * C);
            }
            be.axpy(N * C, 0.5f, x, 0, y, 0);
            be.reduce(ReduceOp.SUM, 1, N, C, x, 0, w, 0, null);
            be.reduce(ReduceOp.MAX, N, C, 1, x, 0, mean, 0, new int[N]);
            Storage longRows = be.allocate(2 * CudaBackend.ROWS_KERNEL_MIN_R);
            be.reduce(ReduceOp.SUM, 2, CudaBackend.ROWS_KERNEL_MIN_R, 1, longRows, 0, w, 0, null);
            be.sumOfSquares(x, 0, N * C);
            be.softmax(N, C, x, 0, y, 0, true);
            be.softmaxBackward(N, C, y, 0, d, 0, e, 0, false);
            be.layerNorm(N, C, 1e-5f, x, 0, w, b, y, 0, mean, rstd);
            be.layerNorm(N, C, 1e-5f, x, 0, w, null, y, 0, mean, rstd);
            be.layerNormBackward(N, C, x, 0, w, mean, rstd, d, 0, e, 0, w, b);
            be.rmsNorm(N, C, 1e-6f, x, 0, w, y, 0, rstd);
            be.rmsNormBackward(N, C, x, 0, w, rstd, d, 0, e, 0, w);
            Storage table = be.allocate(V * C);
            be.embedding(N, C, new int[] {0, 1, 4, 1, 0, 0}, table, y, 0);
            be.embeddingBackward(N, C, new int[] {0, 1, 4, 1, 0, 0}, d, 0, table);
            Storage logits = be.allocate(N * V), losses = be.allocate(N), lse = be.allocate(N);
            be.crossEntropy(N, V, logits, 0, new int[] {0, 1, -1, 4, 2, 3}, new float[N], -1, losses, lse);
            be.crossEntropyBackward(N, V, logits, 0, new int[] {0, 1, -1, 4, 2, 3}, null, -1, lse, losses, logits, 0);
            be.dropout(N * C, 0.1f, 42L, 7L, x, 0, y, 0, d);
            be.adamW(N * C, x, y, d, e, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1, 1f);
            int NH = 2, T = 3;
            for (int HS : new int[] {4, 40, 80}) { // tiled with D = 32, tiled with D = 64, untiled
                int AC = NH * HS; // (B=1, T, NH·HS)
                Storage ax = be.allocate(T * AC), ay = be.allocate(T * AC), ad = be.allocate(T * AC), ae = be.allocate(T * AC);
                Strided q = new Strided(ax, 0, T * AC, AC), o = new Strided(ay, 0, T * AC, AC);
                Storage l2 = be.allocate(NH * T);
                for (float dropout : new float[] {0f, 0.1f}) {
                    AttentionShape s = new AttentionShape(1, NH, T, T, HS, 0.5f, true, dropout, 5L, 0L);
                    be.attention(s, q, q, q, o, l2);
                    be.attentionBackward(s, q, q, q, o, l2, o, new Strided(ad, 0, T * AC, AC),
                            new Strided(ae, 0, T * AC, AC), new Strided(ae, 0, T * AC, AC));
                }
            }
        }
        checkAbi(dev);
        // the untiled attention kernels get their scores' shared memory plus the slack ptxas's tail loads
        // need (T = 3 here: the forward and dQ keep Tk scores, dK/dV 2·Tq)
        for (RecordingDevice.Launch l : dev.launches) {
            switch (l.kernel()) {
                case "attention_forward", "attention_backward_dq" -> assertEquals(4L * (3 + 4), l.shared(), l.kernel());
                case "attention_backward_dkdv" -> assertEquals(4L * (2 * 3 + 4), l.shared(), l.kernel());
                default -> { }
            }
        }
        Set<String> launched = new TreeSet<>();
        dev.launches.forEach(l -> launched.add(l.kernel()));
        Set<String> all = new TreeSet<>(PTX.keySet());
        all.remove("f32_to_bf16"); // only matmulBf16, checked below
        assertEquals(all, launched, "every kernel in the library is exercised");
    }

    @Test
    void attentionDropoutTravelsAsOneStructToTheDropoutKernels() {
        for (int HS : new int[] {16, 80}) { // tiled, untiled
            AttentionShape s = new AttentionShape(2, 3, 5, 5, HS, 0.25f, true, 0.3f, 0x0123_4567_89AB_CDEFL, 1_000_000_007L);
            RecordingDevice dev = runAttention(s);
            checkAbi(dev);
            for (RecordingDevice.Launch l : dev.launches) {
                if (l.kernel().equals("attention_backward_delta")) {
                    continue; // delta = Σ dOut·out needs no mask
                }
                assertTrue(HS > 64 || l.kernel().endsWith("_dropout"), l.kernel());
                ByteBuffer shape = ByteBuffer.wrap(l.bytes().getFirst()).order(ByteOrder.nativeOrder());
                assertEquals(List.of(2, 3, 5, 5, HS), List.of(shape.getInt(0), shape.getInt(4), shape.getInt(8),
                        shape.getInt(12), shape.getInt(16)), l.kernel() + " sizes");
                assertEquals(0.25f, shape.getFloat(20), l.kernel() + " scale");
                assertEquals(1, shape.getInt(24), l.kernel() + " causal");
                assertEquals((long) CudaBackend.ATTN_DROPOUT_BYTES, l.sizes().getLast(), l.kernel());
                ByteBuffer dr = ByteBuffer.wrap(l.bytes().getLast()).order(ByteOrder.nativeOrder());
                assertEquals(0.3f, dr.getFloat(0), l.kernel() + " p");
                assertEquals(keptMultiplier(s), dr.getFloat(4), l.kernel() + " keep scale: the CPU's, bit for bit");
                assertEquals(0x0123_4567_89AB_CDEFL, dr.getLong(8), l.kernel() + " key");
                assertEquals(1_000_000_007L, dr.getLong(16), l.kernel() + " offset");
            }
            assertEquals(4, dev.launches.size(), "forward, delta, dQ and dK/dV");
        }
        // without dropout the tiled kernels are the plain ones, with the plain signature
        RecordingDevice plain = runAttention(new AttentionShape(2, 3, 5, 5, 16, 0.25f, true));
        checkAbi(plain);
        assertEquals(List.of("attention_forward_tiled32", "attention_backward_delta", "attention_backward_dq_tiled32",
                "attention_backward_dkdv_tiled32"), plain.launches.stream().map(RecordingDevice.Launch::kernel).toList());
    }

    private static RecordingDevice runAttention(AttentionShape s) {
        RecordingDevice dev = new RecordingDevice();
        try (CudaBackend be = new CudaBackend(dev)) {
            int C = s.NH() * s.HS();
            Storage x = be.allocate(s.B() * s.Tq() * C), lse = be.allocate(s.B() * s.NH() * s.Tq());
            Strided q = new Strided(x, 0, s.Tq() * C, C);
            be.attention(s, q, q, q, q, lse);
            be.attentionBackward(s, q, q, q, q, lse, q, q, q, q);
        }
        return dev;
    }

    /** The multiplier ScalarBackend applies to a kept probability (the first kept mask entry's). */
    private static float keptMultiplier(AttentionShape s) {
        for (int bh = 0; bh < s.B() * s.NH(); bh++) {
            for (int j = 0; j < s.Tk(); j++) {
                float m = s.dropKeep(bh, s.Tq() - 1, j);
                if (m != 0f) {
                    return m;
                }
            }
        }
        throw new AssertionError("every mask entry of the last query rows was dropped");
    }

    @Test
    void matmulPassesBAsTheFirstOperandWithByteOffsets() {
        RecordingDevice dev = new RecordingDevice();
        try (CudaBackend be = new CudaBackend(dev)) {
            CudaStorage a = be.allocate(100), b = be.allocate(100), c = be.allocate(100);
            be.matmul(2, 3, 4, 5, 0.5f, a, 1, 5, 15, false, b, 2, 4, 20, false, 1f, c, 3, 4, 12);
            RecordingDevice.Gemm g = dev.gemms.getFirst();
            assertEquals(new GemmMapping.ColumnMajor(Cublas.CUBLAS_OP_N, Cublas.CUBLAS_OP_N, 4, 3, 5, 4, 5, 4), g.g());
            assertEquals(b.address(2), g.first());
            assertEquals(a.address(1), g.second());
            assertEquals(c.address(3), g.c());
            assertEquals(20, g.strideFirst());
            assertEquals(15, g.strideSecond());
            assertEquals(2, g.batch());
            be.matmulBf16(3, 4, 5, a, 0, 5, false, b, 0, 4, false, c, 0, 4);
            assertTrue(dev.gemms.getLast().bf16());
            be.setMatmulPrecision(MatmulPrecision.TF32);
            assertEquals(Cublas.CUBLAS_TF32_TENSOR_OP_MATH, dev.mathMode);
            assertEquals(MatmulPrecision.TF32, be.matmulPrecision());
            be.setMatmulPrecision(MatmulPrecision.FP32);
            assertEquals(Cublas.CUBLAS_DEFAULT_MATH, dev.mathMode);
        }
        checkAbi(dev);
        assertEquals(List.of("f32_to_bf16", "f32_to_bf16"), dev.launches.stream().map(RecordingDevice.Launch::kernel).toList());
    }

    @Test
    void outOfRangeOperandsAndForeignStoragesAreClearErrors() {
        RecordingDevice dev = new RecordingDevice();
        try (CudaBackend be = new CudaBackend(dev)) {
            Storage x = be.allocate(10);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> be.unary(UnaryOp.EXP, 0f, x, 5, x, 0, 6));
            assertEquals("unary x: range [5, 11) outside storage of 10", e.getMessage());
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                    () -> be.axpy(1, 1f, new org.tokenlab.tensor.backend.HeapStorage(1), 0, x, 0));
            assertEquals("axpy src: expected a cuda storage, got one of backend cpu", f.getMessage());
            IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> be.crossEntropy(1, 3,
                    be.allocate(3), 0, new int[] {3}, null, -1, be.allocate(1), be.allocate(1)));
            assertEquals("crossEntropy: target 3 at position 0 is outside [0, 3)", t.getMessage());
            // the untiled kernels (heads above 64) keep a row's Tk scores in shared memory: 20 000 do not fit
            AttentionShape big = new AttentionShape(1, 1, 1, 20_000, 80, 1f, false);
            Storage kv = be.allocate(20_000 * 80);
            IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> be.attention(big,
                    new Strided(kv, 0, 80, 80), new Strided(kv, 0, 20_000 * 80, 80), new Strided(kv, 0, 20_000 * 80, 80),
                    new Strided(kv, 0, 80, 80), be.allocate(1)));
            assertEquals("attention (Tk) keeps 20000 scores in shared memory, above the 12220 the CUDA attention "
                    + "kernels support", a.getMessage());
        }
    }
}
