package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdGemmKernel.MR;
import static org.tokenlab.tensor.simd.SimdGemmKernel.NR;
import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link SimdGemm}: copies of A and B in the k-major panel layout the micro-kernel reads
 * (docs/simd-gemm.md §3). Packing is a pure copy (A also scaled by alpha, one rounding per element,
 * the same whatever the path), so the vector paths below give exactly the bits of the scalar ones.
 *
 * <p>Scalar reference (what the packed panels hold, p and q counting MR- and NR-panels):
 * <pre>
 * ap[slab + (p·kc + k)·MR + r] = alpha · op(A)(m0 + p·MR + r, pc + k)     0 past M
 * bp[slab + (q·kc + k)·NR + x] = op(B)(pc + k, jc + q·NR + x)             0 past N
 * </pre>
 */
final class SimdGemmPack {
    /** Four floats: the 4 × 4 transposes of Bᵀ's packing. */
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    /** One k-row of an A panel: MR floats, a 128-bit (MR = 4) or 256-bit (MR = 8) vector. */
    private static final VectorSpecies<Float> FMR = VectorSpecies.of(float.class, VectorShape.forBitSize(MR * Float.SIZE));
    /** A panels per 16 floats of a row of A stored (K, M): one 64-byte run of A fills this many panels' k-rows. */
    private static final int GROUP = 16 / MR;

    /*
     * A 4 × L block of A (4 rows, L consecutive k) becomes the packed L × 4 block by two rounds of
     * two-vector interleaves. Round 1 zips row pairs: ZIP_LO(x, y) = x0 y0 x1 y1 …, ZIP_HI the upper
     * halves. Round 2 zips pairs of floats: PAIR_LO(t, u) = t0 t1 u0 u1 t2 t3 u2 u3 …. Indices ≥ L pick
     * from the second vector. An 8 × L block takes a third round that zips runs of four (QUAD).
     */
    private static final VectorShuffle<Float> ZIP_LO = shuffle(F, 0, 1), ZIP_HI = shuffle(F, L / 2, 1);
    /**
     * ZIP_LO and ZIP_HI as vectors of lane indices for {@code selectFrom(x, y)}, one two-vector permute (vpermt2ps)
     * for C2: the 16 × 16 transposes of Bᵀ's packing take 16 interleaves per round, and as {@code rearrange(shuffle, y)}
     * (two one-vector permutes and a blend each) they made the packing method too large for C2 to inline them
     * all inside a training step, where the ones left out ran the Vector API's Java fallback (the small step took 1.10×
     * as long). The other interleaves stay rearranges: as selectFrom they made the step slower (performance-log.md).
     */
    private static final FloatVector ZIP_LO_INDEX = (FloatVector) ZIP_LO.toVector(), ZIP_HI_INDEX = (FloatVector) ZIP_HI.toVector();
    private static final VectorShuffle<Float> PAIR_LO = shuffle(F, 0, 2), PAIR_HI = shuffle(F, L / 2, 2);
    private static final VectorShuffle<Float> QUAD_LO = shuffle(F, 0, 4), QUAD_HI = shuffle(F, L / 2, 4);
    /** The same interleaves on 4 lanes: a 4 × 4 transpose, for Bᵀ (16 columns of a B panel = 4 × 4 rows of B). */
    private static final VectorShuffle<Float> ZIP4_LO = shuffle(F4, 0, 1), ZIP4_HI = shuffle(F4, 2, 1);
    private static final VectorShuffle<Float> PAIR4_LO = shuffle(F4, 0, 2), PAIR4_HI = shuffle(F4, 2, 2);

    /**
     * Rows of A per pass when A is stored (K, M): the slab is packed A_ROWS rows of A at a time, all its 16-column
     * strips (four panels each) left to right, so each pass reads A_ROWS short runs that advance 64 bytes per strip,
     * and each packed panel gets A_ROWS·16 contiguous bytes. Packing every strip over all kc rows instead (lda floats
     * apart, one 64-byte piece each) ran slower inside the product; 8 and 16 measured best of 8, 16, 32, 64 and kc
     * (docs/simd-gemm.md §3).
     */
    static final int A_ROWS = 16;

    private SimdGemmPack() {
    }

    // interleave runs of `run` lanes of x and y, starting at lane `from` of each: x[from..], y[from..], ...
    private static VectorShuffle<Float> shuffle(VectorSpecies<Float> species, int from, int run) {
        int n = species.length();
        int[] idx = new int[n];
        for (int o = 0; o < n; o++) {
            int group = o / (2 * run), inGroup = o % (2 * run);
            int src = from + group * run + inGroup % run;
            idx[o] = inGroup < run ? src : src + n;
        }
        return VectorShuffle.fromArray(species, idx, 0);
    }

    /**
     * {@link #packA(SimdGemm.Op, float[], int, int, int, int, int)}, and with sum (alpha = 1: a weight gradient's gᵀ)
     * it then adds each row's packed values, k in order, to
     * {@code op.rowSums[rowSumsOff + i]}, read back from the panels just written (L2) rather than from A (memory):
     * slabs packed one after another leave there the row's plain float sum.
     */
    static void packA(SimdGemm.Op op, float[] ap, int slab, int m0, int m1, int pc, int kc, boolean sum) {
        if (sum && op.alpha() != 1f) {
            throw new IllegalStateException("row sums are only taken while packing A with alpha 1");
        }
        packA(op, ap, slab, m0, m1, pc, kc);
        if (sum) {
            sumPackedRows(op, ap, slab, m0, m1, kc);
        }
    }

    /** Packs rows [m0, m1) of op(A), k slab [pc, pc+kc), into MR-panels at {@code ap[slab…]}, scaled by alpha. */
    static void packA(SimdGemm.Op op, float[] ap, int slab, int m0, int m1, int pc, int kc) {
        int panels = (m1 - m0 + MR - 1) / MR, full = (m1 - m0) / MR;
        int p = 0;
        if (op.transA()) {
            // GROUP panels at a time: their 16 values of one k are one contiguous run of A (a cache line)
            p = full / GROUP * GROUP;
            for (int k0 = 0; k0 < kc; k0 += A_ROWS) {
                for (int g = 0; g < p; g += GROUP) {
                    packATransposedGroup(op, ap, slab + g * MR * kc, m0 + g * MR, pc, kc, k0, Math.min(kc, k0 + A_ROWS));
                }
            }
        }
        for (; p < panels; p++) {
            int i0 = m0 + p * MR, rows = Math.min(MR, m1 - i0);
            int dst = slab + p * MR * kc;
            if (rows < MR) {
                packAPartial(op, ap, dst, i0, rows, pc, kc);
            } else if (op.transA()) {
                packATransposed(op, ap, dst, i0, pc, kc);
            } else if (MR == 8) {
                packARows8(op, ap, dst, i0, pc, kc);
            } else {
                packARows4(op, ap, dst, i0, pc, kc);
            }
        }
    }

    // rowSums[rowSumsOff + i0 + r] += ap[slab + p·MR·kc + k·MR + r] for the panels p of rows [m0, m1) (i0 = m0 + p·MR),
    // k < kc in order, r < the panel's valid rows (a last, partial panel's other rows are packed zeros, not rows of A).
    // Each row's sum is one chain of kc dependent adds; four panels side by side keep four chains in flight.
    private static void sumPackedRows(SimdGemm.Op op, float[] ap, int slab, int m0, int m1, int kc) {
        float[] sums = op.rowSums();
        int i0 = m0, src = slab, si = op.rowSumsOff() + m0, panel = MR * kc;
        for (; i0 + 4 * MR <= m1; i0 += 4 * MR, src += 4 * panel, si += 4 * MR) {
            FloatVector s0 = FloatVector.fromArray(FMR, sums, si), s1 = FloatVector.fromArray(FMR, sums, si + MR);
            FloatVector s2 = FloatVector.fromArray(FMR, sums, si + 2 * MR), s3 = FloatVector.fromArray(FMR, sums, si + 3 * MR);
            for (int k = 0, at = src; k < kc; k++, at += MR) {
                s0 = s0.add(FloatVector.fromArray(FMR, ap, at));
                s1 = s1.add(FloatVector.fromArray(FMR, ap, at + panel));
                s2 = s2.add(FloatVector.fromArray(FMR, ap, at + 2 * panel));
                s3 = s3.add(FloatVector.fromArray(FMR, ap, at + 3 * panel));
            }
            s0.intoArray(sums, si);
            s1.intoArray(sums, si + MR);
            s2.intoArray(sums, si + 2 * MR);
            s3.intoArray(sums, si + 3 * MR);
        }
        for (; i0 + MR <= m1; i0 += MR, src += panel, si += MR) {
            FloatVector s0 = FloatVector.fromArray(FMR, sums, si);
            for (int k = 0, at = src; k < kc; k++, at += MR) {
                s0 = s0.add(FloatVector.fromArray(FMR, ap, at));
            }
            s0.intoArray(sums, si);
        }
        if (i0 < m1) {
            for (int r = 0, rows = m1 - i0; r < rows; r++) {
                float s = sums[si + r];
                for (int k = 0; k < kc; k++) {
                    s += ap[src + k * MR + r];
                }
                sums[si + r] = s;
            }
        }
    }

    // A stored (K, M): the MR values of one k are contiguous; one MR-float copy per k.
    // ap (kc, MR) ← alpha · a[(pc + k)·lda + i0 + r]
    private static void packATransposed(SimdGemm.Op op, float[] ap, int dst, int i0, int pc, int kc) {
        float[] a = op.a();
        int lda = op.lda();
        float alpha = op.alpha();
        for (int k = 0, src = op.aOff() + pc * lda + i0; k < kc; k++, src += lda, dst += MR) {
            FloatVector.fromArray(FMR, a, src).mul(alpha).intoArray(ap, dst);
        }
    }

    // GROUP consecutive panels (each kc·MR floats), their rows k in [k0, k1) of the slab, from one 16-float run of A
    // per k. ap (kc, MR) panel q ← alpha · a[(pc + k)·lda + i0 + q·MR + r]
    private static void packATransposedGroup(SimdGemm.Op op, float[] ap, int dst, int i0, int pc, int kc, int k0, int k1) {
        float[] a = op.a();
        int lda = op.lda();
        float alpha = op.alpha();
        for (int k = k0, src = op.aOff() + (pc + k0) * lda + i0; k < k1; k++, src += lda) {
            for (int q = 0, d = dst + k * MR; q < GROUP; q++, d += kc * MR) {
                FloatVector.fromArray(FMR, a, src + q * MR).mul(alpha).intoArray(ap, d);
            }
        }
    }

    // A stored (M, K), MR = 4: four row streams; L consecutive k of each are transposed in registers.
    // ap (kc, 4) ← alpha · a[(i0 + r)·lda + pc + k]
    private static void packARows4(SimdGemm.Op op, float[] ap, int dst, int i0, int pc, int kc) {
        float[] a = op.a();
        int lda = op.lda();
        float alpha = op.alpha();
        int s0 = op.aOff() + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
        int k = 0;
        for (; k <= kc - L; k += L) {
            FloatVector x0 = FloatVector.fromArray(F, a, s0 + k).mul(alpha);
            FloatVector x1 = FloatVector.fromArray(F, a, s1 + k).mul(alpha);
            FloatVector x2 = FloatVector.fromArray(F, a, s2 + k).mul(alpha);
            FloatVector x3 = FloatVector.fromArray(F, a, s3 + k).mul(alpha);
            FloatVector t0 = x0.rearrange(ZIP_LO, x1), t1 = x0.rearrange(ZIP_HI, x1);
            FloatVector t2 = x2.rearrange(ZIP_LO, x3), t3 = x2.rearrange(ZIP_HI, x3);
            int d = dst + k * 4;
            t0.rearrange(PAIR_LO, t2).intoArray(ap, d);
            t0.rearrange(PAIR_HI, t2).intoArray(ap, d + L);
            t1.rearrange(PAIR_LO, t3).intoArray(ap, d + 2 * L);
            t1.rearrange(PAIR_HI, t3).intoArray(ap, d + 3 * L);
        }
        for (int d = dst + k * 4; k < kc; k++, d += 4) {
            ap[d] = alpha * a[s0 + k];
            ap[d + 1] = alpha * a[s1 + k];
            ap[d + 2] = alpha * a[s2 + k];
            ap[d + 3] = alpha * a[s3 + k];
        }
    }

    // A stored (M, K), MR = 8: eight row streams; L consecutive k of each become L k-rows of 8 floats by three
    // rounds of interleaves. Round r zips runs of 2^(r-1) floats; after round 3 the vector for k range
    // [(4h + 2h2 + h3)·L/8, +L/8) holds, per k, rows 0–7 (h, h2, h3: the LO/HI choices of rounds 1, 2, 3).
    // ap (kc, 8) ← alpha · a[(i0 + r)·lda + pc + k]
    private static void packARows8(SimdGemm.Op op, float[] ap, int dst, int i0, int pc, int kc) {
        float[] a = op.a();
        int lda = op.lda();
        float alpha = op.alpha();
        int s0 = op.aOff() + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
        int s4 = s3 + lda, s5 = s4 + lda, s6 = s5 + lda, s7 = s6 + lda;
        int k = 0;
        for (; k <= kc - L; k += L) {
            FloatVector x0 = FloatVector.fromArray(F, a, s0 + k).mul(alpha);
            FloatVector x1 = FloatVector.fromArray(F, a, s1 + k).mul(alpha);
            FloatVector x2 = FloatVector.fromArray(F, a, s2 + k).mul(alpha);
            FloatVector x3 = FloatVector.fromArray(F, a, s3 + k).mul(alpha);
            FloatVector x4 = FloatVector.fromArray(F, a, s4 + k).mul(alpha);
            FloatVector x5 = FloatVector.fromArray(F, a, s5 + k).mul(alpha);
            FloatVector x6 = FloatVector.fromArray(F, a, s6 + k).mul(alpha);
            FloatVector x7 = FloatVector.fromArray(F, a, s7 + k).mul(alpha);
            // round 1: row pairs (01, 23, 45, 67), low and high halves of k
            FloatVector t01l = x0.rearrange(ZIP_LO, x1), t01h = x0.rearrange(ZIP_HI, x1);
            FloatVector t23l = x2.rearrange(ZIP_LO, x3), t23h = x2.rearrange(ZIP_HI, x3);
            FloatVector t45l = x4.rearrange(ZIP_LO, x5), t45h = x4.rearrange(ZIP_HI, x5);
            FloatVector t67l = x6.rearrange(ZIP_LO, x7), t67h = x6.rearrange(ZIP_HI, x7);
            // round 2: rows 0–3 and 4–7, quarters of k
            FloatVector u03ll = t01l.rearrange(PAIR_LO, t23l), u03lh = t01l.rearrange(PAIR_HI, t23l);
            FloatVector u03hl = t01h.rearrange(PAIR_LO, t23h), u03hh = t01h.rearrange(PAIR_HI, t23h);
            FloatVector u47ll = t45l.rearrange(PAIR_LO, t67l), u47lh = t45l.rearrange(PAIR_HI, t67l);
            FloatVector u47hl = t45h.rearrange(PAIR_LO, t67h), u47hh = t45h.rearrange(PAIR_HI, t67h);
            // round 3: all eight rows, eighths of k, stored in k order
            int d = dst + k * 8;
            u03ll.rearrange(QUAD_LO, u47ll).intoArray(ap, d);
            u03ll.rearrange(QUAD_HI, u47ll).intoArray(ap, d + L);
            u03lh.rearrange(QUAD_LO, u47lh).intoArray(ap, d + 2 * L);
            u03lh.rearrange(QUAD_HI, u47lh).intoArray(ap, d + 3 * L);
            u03hl.rearrange(QUAD_LO, u47hl).intoArray(ap, d + 4 * L);
            u03hl.rearrange(QUAD_HI, u47hl).intoArray(ap, d + 5 * L);
            u03hh.rearrange(QUAD_LO, u47hh).intoArray(ap, d + 6 * L);
            u03hh.rearrange(QUAD_HI, u47hh).intoArray(ap, d + 7 * L);
        }
        for (int d = dst + k * 8; k < kc; k++, d += 8) {
            ap[d] = alpha * a[s0 + k];
            ap[d + 1] = alpha * a[s1 + k];
            ap[d + 2] = alpha * a[s2 + k];
            ap[d + 3] = alpha * a[s3 + k];
            ap[d + 4] = alpha * a[s4 + k];
            ap[d + 5] = alpha * a[s5 + k];
            ap[d + 6] = alpha * a[s6 + k];
            ap[d + 7] = alpha * a[s7 + k];
        }
    }

    /*
     * A 16 × 16 transpose in registers: bp[d + k·NR + y] = b[s + y·ldb + k] for y, k < 16. Each round pairs row i with
     * row i + 8 and writes their interleaves, ZIP_LO to row 2i and ZIP_HI to row 2i + 1; four rounds of this
     * perfect shuffle leave row k holding column k (a 2 × 2: (a b), (c d) → (a c), (b d)). Straight-line code with
     * sixteen named vectors, so that C2 keeps all of them in registers. Only for 16 lanes, the width it was measured
     * at (AVX-512); with 8 lanes the same rounds would need their own eight-vector copy of this method.
     */
    private static void transpose16(float[] b, int s, int ldb, float[] bp, int d) {
        FloatVector r0 = FloatVector.fromArray(F, b, s), r1 = FloatVector.fromArray(F, b, s + ldb);
        FloatVector r2 = FloatVector.fromArray(F, b, s + 2 * ldb), r3 = FloatVector.fromArray(F, b, s + 3 * ldb);
        FloatVector r4 = FloatVector.fromArray(F, b, s + 4 * ldb), r5 = FloatVector.fromArray(F, b, s + 5 * ldb);
        FloatVector r6 = FloatVector.fromArray(F, b, s + 6 * ldb), r7 = FloatVector.fromArray(F, b, s + 7 * ldb);
        FloatVector r8 = FloatVector.fromArray(F, b, s + 8 * ldb), r9 = FloatVector.fromArray(F, b, s + 9 * ldb);
        FloatVector r10 = FloatVector.fromArray(F, b, s + 10 * ldb), r11 = FloatVector.fromArray(F, b, s + 11 * ldb);
        FloatVector r12 = FloatVector.fromArray(F, b, s + 12 * ldb), r13 = FloatVector.fromArray(F, b, s + 13 * ldb);
        FloatVector r14 = FloatVector.fromArray(F, b, s + 14 * ldb), r15 = FloatVector.fromArray(F, b, s + 15 * ldb);
        for (int round = 0; round < 4; round++) {
            FloatVector n0 = ZIP_LO_INDEX.selectFrom(r0, r8), n1 = ZIP_HI_INDEX.selectFrom(r0, r8);
            FloatVector n2 = ZIP_LO_INDEX.selectFrom(r1, r9), n3 = ZIP_HI_INDEX.selectFrom(r1, r9);
            FloatVector n4 = ZIP_LO_INDEX.selectFrom(r2, r10), n5 = ZIP_HI_INDEX.selectFrom(r2, r10);
            FloatVector n6 = ZIP_LO_INDEX.selectFrom(r3, r11), n7 = ZIP_HI_INDEX.selectFrom(r3, r11);
            FloatVector n8 = ZIP_LO_INDEX.selectFrom(r4, r12), n9 = ZIP_HI_INDEX.selectFrom(r4, r12);
            FloatVector n10 = ZIP_LO_INDEX.selectFrom(r5, r13), n11 = ZIP_HI_INDEX.selectFrom(r5, r13);
            FloatVector n12 = ZIP_LO_INDEX.selectFrom(r6, r14), n13 = ZIP_HI_INDEX.selectFrom(r6, r14);
            FloatVector n14 = ZIP_LO_INDEX.selectFrom(r7, r15), n15 = ZIP_HI_INDEX.selectFrom(r7, r15);
            r0 = n0; r1 = n1; r2 = n2; r3 = n3; r4 = n4; r5 = n5; r6 = n6; r7 = n7;
            r8 = n8; r9 = n9; r10 = n10; r11 = n11; r12 = n12; r13 = n13; r14 = n14; r15 = n15;
        }
        r0.intoArray(bp, d);
        r1.intoArray(bp, d + NR);
        r2.intoArray(bp, d + 2 * NR);
        r3.intoArray(bp, d + 3 * NR);
        r4.intoArray(bp, d + 4 * NR);
        r5.intoArray(bp, d + 5 * NR);
        r6.intoArray(bp, d + 6 * NR);
        r7.intoArray(bp, d + 7 * NR);
        r8.intoArray(bp, d + 8 * NR);
        r9.intoArray(bp, d + 9 * NR);
        r10.intoArray(bp, d + 10 * NR);
        r11.intoArray(bp, d + 11 * NR);
        r12.intoArray(bp, d + 12 * NR);
        r13.intoArray(bp, d + 13 * NR);
        r14.intoArray(bp, d + 14 * NR);
        r15.intoArray(bp, d + 15 * NR);
    }

    // the last panel when M is not a multiple of MR: rows past M are zero
    private static void packAPartial(SimdGemm.Op op, float[] ap, int dst, int i0, int rows, int pc, int kc) {
        Arrays.fill(ap, dst, dst + MR * kc, 0f);
        float[] a = op.a();
        float alpha = op.alpha();
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < kc; k++) {
                int src = op.transA() ? op.aOff() + (pc + k) * op.lda() + i0 + r : op.aOff() + (i0 + r) * op.lda() + pc + k;
                ap[dst + k * MR + r] = alpha * a[src];
            }
        }
    }

    /** Packs columns of NR-panels [q0, q1) of the column slice at jc, k slab [pc, pc+kc), at {@code bp[slab…]}. */
    static void packB(SimdGemm.Op op, float[] bp, int slab, int jc, int pc, int kc, int q0, int q1) {
        float[] b = op.b();
        int ldb = op.ldb();
        for (int q = q0; q < q1; q++) {
            int j = jc + q * NR;
            int nr = Math.min(NR, op.N() - j);
            int base = slab + q * kc * NR;
            if (!op.transB()) {
                int src = op.bOff() + pc * ldb + j;
                for (int k = 0; k < kc; k++, src += ldb) {
                    int dst = base + k * NR;
                    if (nr == NR) {
                        // one NR-wide row of B: two vectors
                        FloatVector.fromArray(F, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(F, b, src + L).intoArray(bp, dst + L);
                    } else {
                        System.arraycopy(b, src, bp, dst, nr);
                        Arrays.fill(bp, dst + nr, dst + NR, 0f);
                    }
                }
            } else {
                packBTransposed(op, bp, base, j, nr, pc, kc);
            }
        }
    }

    // B stored (N, K): column j + x of op(B) is row j + x of B, contiguous in k. With 16 lanes, 16 rows at a time,
    // 16 k at a time, are transposed in registers and stored as 16-float pieces of 16 k-rows of the panel, and the k
    // past the last full 16 of those rows are copied one by one; then (and with fewer lanes, for all rows) four rows
    // at a time, four k at a time, in 4 × 4 blocks.
    // bp (kc, NR) ← b[(j + x)·ldb + pc + k], zero for x ≥ nr
    private static void packBTransposed(SimdGemm.Op op, float[] bp, int base, int j, int nr, int pc, int kc) {
        float[] b = op.b();
        int ldb = op.ldb();
        int x = 0;
        if (L == 16) {
            for (; x + L <= nr; x += L) {
                int src = op.bOff() + (j + x) * ldb + pc, k = 0;
                for (; k + L <= kc; k += L) {
                    transpose16(b, src + k, ldb, bp, base + k * NR + x);
                }
                for (; k < kc; k++) {
                    for (int y = 0, d = base + k * NR + x; y < L; y++) {
                        bp[d + y] = b[src + y * ldb + k];
                    }
                }
            }
        }
        for (; x + 4 <= nr; x += 4) {
            int s0 = op.bOff() + (j + x) * ldb + pc, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
            int k = 0;
            for (; k + 4 <= kc; k += 4) {
                FloatVector r0 = FloatVector.fromArray(F4, b, s0 + k), r1 = FloatVector.fromArray(F4, b, s1 + k);
                FloatVector r2 = FloatVector.fromArray(F4, b, s2 + k), r3 = FloatVector.fromArray(F4, b, s3 + k);
                FloatVector t0 = r0.rearrange(ZIP4_LO, r1), t1 = r0.rearrange(ZIP4_HI, r1);
                FloatVector t2 = r2.rearrange(ZIP4_LO, r3), t3 = r2.rearrange(ZIP4_HI, r3);
                int d = base + k * NR + x;
                t0.rearrange(PAIR4_LO, t2).intoArray(bp, d);
                t0.rearrange(PAIR4_HI, t2).intoArray(bp, d + NR);
                t1.rearrange(PAIR4_LO, t3).intoArray(bp, d + 2 * NR);
                t1.rearrange(PAIR4_HI, t3).intoArray(bp, d + 3 * NR);
            }
            for (; k < kc; k++) {
                int d = base + k * NR + x;
                bp[d] = b[s0 + k];
                bp[d + 1] = b[s1 + k];
                bp[d + 2] = b[s2 + k];
                bp[d + 3] = b[s3 + k];
            }
        }
        for (; x < NR; x++) { // the columns past the last full group of 4; zero past nr
            int src = op.bOff() + (j + x) * ldb + pc;
            for (int k = 0; k < kc; k++) {
                bp[base + k * NR + x] = x < nr ? b[src + k] : 0f;
            }
        }
    }
}
