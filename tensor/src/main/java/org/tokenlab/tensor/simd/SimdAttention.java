package org.tokenlab.tensor.simd;

import static org.tokenlab.tensor.simd.SimdSpecies.F;
import static org.tokenlab.tensor.simd.SimdSpecies.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.tokenlab.tensor.backend.AttentionShape;
import org.tokenlab.tensor.backend.HeapStorage;
import org.tokenlab.tensor.backend.Strided;

/**
 * Fused causal attention, forward and backward, tiled over query blocks ({@link #blockRows}: 128 rows at
 * T = 256, all of them at T ≤ 128) so that the products run on the packed GEMM ({@link SimdGemm}) instead of
 * one dot product per (query, key) pair. For one (b, h) and query block [i0, i1) that may see keys [0, kLen):
 * <pre>
 * forward:  S = Q_blk·K[0,kLen)ᵀ   (qb × kLen, unscaled), masked past each row's last visible key
 *           E = exp(scale·S − scale·max) per row, sum and lse saved;  O_blk = diag(1/sum)·(E·V[0,kLen))
 * backward: D = rowsum(dO ⊙ O) for all queries first;  S, P = exp(scale·S − lse) recomputed;  dP = dO_blk·Vᵀ
 *           dS = P ⊙ (dP − D)·scale;  dQ_blk += dS·K;  then per QB-row sub-block: dV += Pᵀ·dO_sub, dK += dSᵀ·Q_sub
 * </pre>
 * Query i of Tq sits at absolute position Tk − Tq + i (a KV cache holds the earlier keys) and, when
 * causal, sees keys j ≤ that position; masked probabilities are exact zeros. The products know that
 * triangle ({@link SimdGemm.Triangle}): S and dP skip the 4 × 16 tiles wholly past the diagonal, P·V and dS·K
 * stop each 4-row panel's sum after its last visible key, Pᵀ·dO and dSᵀ·Q start it at its first query,
 * so only the diagonal's own tiles hold masked work, whatever the block size. Skipping exact-zero terms
 * keeps every bit of the dense products.
 *
 * <p>The bits do not depend on the block size either: S, P, O, dP, dS and dQ are sums over keys (one row
 * of queries each), and dV, dK (sums over queries) are added in sub-blocks of {@link #QB} rows, in order,
 * as they were when a block was QB rows. TrainingBitsTest pins this.
 *
 * <p>A head's keys and values are packed into the GEMM's panel layout once ({@link SimdGemm#packB}: Kᵀ
 * and V for the forward; Kᵀ, Vᵀ and K for the backward) and every query block multiplies by a prefix of
 * them ({@link SimdGemm#serialPackedB}), instead of packing K[0,kLen) and V[0,kLen) again per block. No A
 * operand is packed: with N = HS ≤ 32 the GEMM reads P and dS in place, rows for P·V and dS·K, columns for
 * Pᵀ·dO and dSᵀ·Q ({@link SimdGemmKernel#kernelStridedA}), and with K = HS ≤ 64 it reads Q and dO in place for S
 * and dP ({@link SimdGemm#DIRECT_A_MAX_K}; S is unscaled so that its alpha is 1, the scale goes into exp).
 * Normalising O's HS values per row after P·V, instead of P's row of keys before it, saves a pass over P. The row
 * steps between the products (the maxima, exps and sums, the recomputed P, dS) walk a block's rows side by side
 * ({@link SimdAttentionRows}).
 *
 * <p>Threads: the forward and the backward split (b, h) pairs, each claimed by whichever thread comes for it next
 * ({@link SimdOps#claimEach}: with one range of pairs per thread, the thread on a slower vCPU held the others up);
 * a pair writes only its own rows of out and lse, and owns its slices of dQ, dK, dV, walking its query blocks in
 * order, so the results are bitwise-identical for any thread count.
 *
 * <p>Scalar reference for one (b, h, i): {@code s_j = scale·q_i·k_j; p = softmax(s); o_i = Σ_j p_j v_j;
 * lse_i = log Σ_j exp(s_j)}; backward {@code D_i = dO_i·o_i; dv_j += p_j dO_i;
 * ds_j = p_j (dO_i·v_j − D_i); dq_i += scale Σ_j ds_j k_j; dk_j += scale ds_j q_i}.
 *
 * <p>Attention dropout (only when {@link AttentionShape#dropout()} &gt; 0; otherwise the code paths above
 * run unchanged): the forward multiplies each probability row by its mask m ({@link #dropRow}) before
 * P·V; the backward recomputes P and Pd = P ⊙ m and uses {@code dV += Pdᵀ·dO} and
 * {@code dS = (Pd ⊙ dPd − P·D)·scale} with dPd = dO·Vᵀ, since p_j(m_j dPd_j − D) = pd_j dPd_j − p_j D.
 * D = dO·O still holds because O = Pd·V.
 */
final class SimdAttention {
    /**
     * Query rows per sub-block of the backward's dV and dK products: their sums over queries are added
     * to dV and dK one sub-block at a time, so this constant (not the block size) fixes their bits.
     */
    static final int QB = 64;
    /** Floats of S (and of dP/dS) per query block: 128 KB, so that P and dS stay in the 512 KB L2. */
    static final int BLOCK_FLOATS = 32 * 1024;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[4][0]);
    private static final ThreadLocal<float[]> DROP = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread arrays for one head's packed K and V (see {@link SimdGemm#packB}), reused across calls. */
    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[3][0]);

    private SimdAttention() {
    }

    // per-thread buffers for query blocks of at most `rows` rows and Tk keys: (rows × Tk) S/P and dP/dS (the forward
    // keeps its row sums in the second), the forward's row maxima (rows) and SimdAttentionRows' scratch (GROUP·L floats)
    private static float[][] buffers(int rows, int Tk) {
        float[][] b = BUFFERS.get();
        if (b[0].length < rows * Tk || b[2].length < rows) {
            b[0] = new float[rows * Tk];
            b[1] = new float[rows * Tk];
            b[2] = new float[rows];
            b[3] = new float[SimdAttentionRows.GROUP * L];
        }
        return b;
    }

    private static float[] dropBuffer(int n) {
        float[] d = DROP.get();
        if (d.length < n) {
            d = new float[n];
            DROP.set(d);
        }
        return d;
    }

    // P[row + j] → P[row + j]·m_j for j < visible (dropout mask of query i in (b,h) row bh); y may be P
    private static void dropRow(AttentionShape s, int bh, int i, int visible, float[] P, int row, float[] y) {
        for (int j = 0; j < visible; j++) {
            y[row + j] = P[row + j] * s.dropKeep(bh, i, j);
        }
    }

    // op(B) (K × N) of head h in batch b of x (x itself, or xᵀ with transB), packed into this thread's slot `slot`
    private static SimdGemm.PackedB pack(int slot, int K, int N, Strided x, int b, int h, int HS, boolean transB) {
        float[][] packed = PACKED.get();
        SimdGemm.PackedB p = SimdGemm.packB(K, N, HeapStorage.array(x.storage()), base(x, b, 0, h, HS), x.rowStride(),
                transB, packed[slot]);
        packed[slot] = p.data();
        return p;
    }

    private static int base(Strided s, int b, int t, int h, int HS) {
        return s.off() + b * s.batchStride() + t * s.rowStride() + h * HS;
    }

    /**
     * Query rows per block for Tk keys: whole sub-blocks of {@link #QB} rows, as many as fit
     * {@link #BLOCK_FLOATS} (at least one). Larger blocks mean fewer, larger products; the causal triangle
     * inside a block costs nothing (the products skip it), so the size only trades against cache.
     */
    static int blockRows(int Tk) {
        return Math.max(QB, BLOCK_FLOATS / Math.max(1, Tk) / QB * QB);
    }

    /**
     * End of the masked entries of a row of P (or S, dS) that the products read, so must be exact zeros: the row's
     * first MR − 1 masked keys. P·V and dS·K stop each MR-row panel's sum at the panel's last row's last visible key,
     * at most MR − 1 past this row's; Pᵀ·dO and dSᵀ·Q start each MR-key panel's sum at the first query that sees its
     * first key, which reads at most MR − 1 masked keys of that query's row. Entries past this are never read, so
     * they are left as they are (scores of masked tiles, or an earlier block's values) instead of zeroed.
     */
    static int maskedRead(int visible, int kLen) {
        return Math.min(kLen, visible + SimdGemmKernel.MR - 1);
    }

    /** Keys visible to query block [i0, i1): all of them, or those up to the last row's position. */
    private static int keys(AttentionShape s, int i1) {
        return s.causal() ? s.Tk() - s.Tq() + i1 : s.Tk();
    }

    /**
     * The causal mask of query block [i0, ·) as a triangle of its products: block row r sees keys
     * j ≤ Tk − Tq + i0 + r, so S, P, dP and dS are zero (or unused) above that diagonal, and Pᵀ, dSᵀ below it.
     */
    private static SimdGemm.Triangle triangle(AttentionShape s, int i0, SimdGemm.Triangle.Kind kind) {
        return s.causal() ? new SimdGemm.Triangle(kind, s.Tk() - s.Tq() + i0) : SimdGemm.Triangle.NONE;
    }

    // S (qb, kLen) = Q[i0, i1) · K[0, kLen)ᵀ for (b, h), with Kᵀ packed (kt); masked S may be left unwritten. Unscaled:
    // the softmax applies the scale inside exp's multiply-add, so the product has alpha 1 and reads Q in place
    private static void scores(AttentionShape s, Strided q, SimdGemm.PackedB kt, int b, int h, int i0, int qb, int kLen, float[] S) {
        int HS = s.HS();
        SimdGemm.serialPackedB(qb, kLen, HS, 1f, HeapStorage.array(q.storage()), base(q, b, i0, h, HS), q.rowStride(), false,
                kt, 0f, S, 0, kLen, triangle(s, i0, SimdGemm.Triangle.Kind.C_UPPER_UNUSED));
    }

    // q (B,Tq,NH,HS), k, v (B,Tk,NH,HS) -> out (B,Tq,NH,HS), lse (B,NH,Tq)
    static void forward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, float[] lse) {
        int B = s.B(), NH = s.NH(), Tq = s.Tq(), Tk = s.Tk(), HS = s.HS();
        float[] oa = HeapStorage.array(out.storage());
        float scale = s.scale();
        int rows = blockRows(Tk);
        SimdOps.claimEach(B * NH, 4L * B * NH * Tq * Tk * HS, u -> {
            int b = u % B, h = u / B, bh = b * NH + h; // see backward: consecutive units in different batches
            // this head's Kᵀ (HS × Tk) and V (Tk × HS) packed once for all its query blocks
            SimdGemm.PackedB kt = pack(0, HS, Tk, k, b, h, HS, true), vp = pack(1, Tk, HS, v, b, h, HS, false);
            for (int i0 = 0; i0 < Tq; i0 += rows) {
                int qb = Math.min(rows, Tq - i0), kLen = keys(s, i0 + qb);
                float[][] buf = buffers(rows, Tk);
                float[] S = buf[0], sums = buf[1], maxes = buf[2];
                scores(s, q, kt, b, h, i0, qb, kLen, S);
                // E = exp(scale·S − scale·max) per row, unnormalised, with the rows' sums (SimdAttentionRows walks the
                // rows side by side); O's rows are divided by the sums below, so they become their inverses here
                SimdAttentionRows.expWithSums(S, kLen, qb, keys(s, i0 + 1), s.causal() ? 1 : 0, scale, maxes, sums, buf[3]);
                for (int r = 0; r < qb; r++) {
                    int visible = keys(s, i0 + r + 1);
                    int row = r * kLen;
                    Arrays.fill(S, row + visible, row + maskedRead(visible, kLen), 0f);
                    lse[bh * Tq + i0 + r] = maxes[r] + (float) Math.log(sums[r]);
                    sums[r] = 1f / sums[r];
                    if (s.dropout() > 0f) {
                        dropRow(s, bh, i0 + r, visible, S, row, S);
                    }
                }
                // O_blk = diag(1/sum) · (E · V[0, kLen)): HS values per row to scale instead of the row's keys
                int o0 = base(out, b, i0, h, HS);
                SimdGemm.serialPackedB(qb, HS, kLen, 1f, S, 0, kLen, false, vp, 0f, oa, o0, out.rowStride(),
                        triangle(s, i0, SimdGemm.Triangle.Kind.A_UPPER_ZERO));
                for (int r = 0; r < qb; r++) {
                    int o = o0 + r * out.rowStride();
                    SimdOps.scale(HS, sums[r], oa, o, oa, o);
                }
            }
        });
    }

    /**
     * dOut (B,Tq,NH,HS) -> dQ, dK, dV += (add), or = (the bits of adding to zeros: dQ's query blocks are disjoint,
     * so each stores its product, beta 0; a head's dK and dV rows are sums over sub-blocks, and each row is stored by
     * the first sub-block whose keys reach it, beta 0, and added to by the later ones, so nothing is zero-filled:
     * with the causal mask the sub-blocks reach the keys in order, QB rows further each).
     */
    static void backward(AttentionShape s, Strided q, Strided k, Strided v, Strided out, float[] lse,
                         Strided dOut, Strided dQ, Strided dK, Strided dV, boolean add) {
        int B = s.B(), NH = s.NH(), Tq = s.Tq(), Tk = s.Tk(), HS = s.HS();
        float scale = s.scale();
        float[] qa = HeapStorage.array(q.storage()), oa = HeapStorage.array(out.storage());
        float[] ga = HeapStorage.array(dOut.storage()), dqa = HeapStorage.array(dQ.storage());
        float[] dka = HeapStorage.array(dK.storage()), dva = HeapStorage.array(dV.storage());
        int rows = blockRows(Tk);
        // D[bh·Tq + i] = dO_i · O_i for every (b, h, i) first, a whole row of dO and O (all NH heads) at a time: one
        // head's rows are short runs a row stride apart, and reading them per head waited on memory at every row
        float[] D = new float[B * NH * Tq];
        SimdOps.rows(B * Tq, 2L * NH * HS, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int b = r / Tq, i = r % Tq;
                for (int h = 0; h < NH; h++) {
                    D[(b * NH + h) * Tq + i] = SimdOps.dot(ga, base(dOut, b, i, h, HS), oa, base(out, b, i, h, HS), HS);
                }
            }
        });
        // unit u is head u / B of batch u % B: the pairs that run at the same time are in different batches, so their
        // writes are in different rows (heads of one batch write neighbouring 128-byte pieces of the same rows of dQ,
        // dK and dV, and two threads on neighbouring heads shared cache lines at the seams)
        SimdOps.claimEach(B * NH, 10L * B * NH * Tq * Tk * HS, u -> {
            int b = u % B, h = u / B, bh = b * NH + h;
            float[][] buf = buffers(rows, Tk);
            float[] P = buf[0], dS = buf[1];
            // packed once for all query blocks: Kᵀ for the scores, Vᵀ for dP = dO·Vᵀ, K for dQ = dS·K
            SimdGemm.PackedB kt = pack(0, HS, Tk, k, b, h, HS, true), vt = pack(1, HS, Tk, v, b, h, HS, true);
            SimdGemm.PackedB kp = pack(2, Tk, HS, k, b, h, HS, false);
            // rows [0, written) of this head's dK and dV hold sums already (all of them when adding to the caller's
            // gradients); a sub-block's product stores its rows past that (beta 0) instead of adding to zeros
            int written = add ? Tk : 0;
            for (int i0 = 0; i0 < Tq; i0 += rows) {
                int qb = Math.min(rows, Tq - i0), kLen = keys(s, i0 + qb);
                int gi = base(dOut, b, i0, h, HS);
                scores(s, q, kt, b, h, i0, qb, kLen, P);
                int v0 = keys(s, i0 + 1), step = s.causal() ? 1 : 0;
                SimdAttentionRows.exp(P, kLen, qb, v0, step, scale, lse, bh * Tq + i0);
                for (int r = 0; r < qb; r++) {
                    int visible = keys(s, i0 + r + 1);
                    int row = r * kLen;
                    Arrays.fill(P, row + visible, row + maskedRead(visible, kLen), 0f);
                }
                float[] Pd = P;
                if (s.dropout() > 0f) {
                    Pd = dropBuffer(rows * Tk);
                    for (int r = 0; r < qb; r++) {
                        int visible = keys(s, i0 + r + 1);
                        dropRow(s, bh, i0 + r, visible, P, r * kLen, Pd);
                        Arrays.fill(Pd, r * kLen + visible, r * kLen + maskedRead(visible, kLen), 0f);
                    }
                }
                // dP = dO_blk · V[0, kLen)ᵀ, then dS = P ⊙ (dP − D)·scale (masked dP may be unwritten)
                SimdGemm.serialPackedB(qb, kLen, HS, 1f, ga, gi, dOut.rowStride(), false, vt, 0f, dS, 0, kLen,
                        triangle(s, i0, SimdGemm.Triangle.Kind.C_UPPER_UNUSED));
                if (Pd == P) {
                    SimdAttentionRows.softmaxGrad(P, dS, kLen, qb, v0, step, D, bh * Tq + i0, scale);
                }
                for (int r = 0; r < qb; r++) {
                    int visible = keys(s, i0 + r + 1), row = r * kLen;
                    if (Pd != P) {
                        droppedSoftmaxGrad(visible, P, Pd, dS, row, D[bh * Tq + i0 + r], scale);
                    }
                    Arrays.fill(dS, row + visible, row + maskedRead(visible, kLen), 0f);
                }
                // dQ_blk += dS · K[0, kLen) (= when storing)
                SimdGemm.serialPackedB(qb, HS, kLen, 1f, dS, 0, kLen, false, kp, add ? 1f : 0f, dqa, base(dQ, b, i0, h, HS), dQ.rowStride(),
                        triangle(s, i0, SimdGemm.Triangle.Kind.A_UPPER_ZERO));
                // dV[0, sLen) += Pdᵀ · dO_sub and dK[0, sLen) += dSᵀ · Q_sub per QB-row sub-block, in order (Pd = P
                // without dropout): their sums over queries are added in QB-row parts whatever the block size
                for (int s0 = 0; s0 < qb; s0 += QB) {
                    int sb = Math.min(QB, qb - s0), sLen = keys(s, i0 + s0 + sb);
                    // rows [0, split) add to the sums there, rows [split, sLen) are their first sums and store
                    int split = Math.min(written, sLen), first = i0 + s0;
                    for (int part = 0, r0 = 0; part < 2; part++, r0 = split) {
                        int r1 = part == 0 ? split : sLen;
                        if (r1 > r0) {
                            float beta = part == 0 ? 1f : 0f;
                            // the keys from r0 on: the triangle's diagonal moves up by r0 rows with them
                            SimdGemm.Triangle lowerZero = triangle(s, first - r0, SimdGemm.Triangle.Kind.A_LOWER_ZERO);
                            SimdGemm.serial(r1 - r0, HS, sb, 1f, Pd, s0 * kLen + r0, kLen, true, ga, gi + s0 * dOut.rowStride(),
                                    dOut.rowStride(), false, beta, dva, base(dV, b, r0, h, HS), dV.rowStride(), lowerZero);
                            SimdGemm.serial(r1 - r0, HS, sb, 1f, dS, s0 * kLen + r0, kLen, true, qa, base(q, b, first, h, HS),
                                    q.rowStride(), false, beta, dka, base(dK, b, r0, h, HS), dK.rowStride(), lowerZero);
                        }
                    }
                    written = Math.max(written, sLen);
                }
            }
        });
    }

    // dS[row + j] = (Pd[row + j]·dS[row + j] − P[row + j]·d)·scale, j < n (dropout; the visible keys)
    private static void droppedSoftmaxGrad(int n, float[] P, float[] Pd, float[] dS, int row, float d, float scale) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector pd = FloatVector.fromArray(F, Pd, row + j);
            FloatVector p = FloatVector.fromArray(F, P, row + j);
            pd.mul(FloatVector.fromArray(F, dS, row + j)).sub(p.mul(d)).mul(scale).intoArray(dS, row + j);
        }
        for (; j < n; j++) {
            dS[row + j] = (Pd[row + j] * dS[row + j] - P[row + j] * d) * scale;
        }
    }
}
