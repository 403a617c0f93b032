// Tiled attention for head sizes up to 64: FlashAttention's schedule, in fp32, written to be read.
//
// attention.cu's kernels give each query row a block and read K and V rows straight from global
// memory, one thread per key: simple, but every key row is fetched once per query (uncoalesced) and
// half the block idles in the output loop. Here a block owns ROWS = 64 rows (queries in the forward
// and dQ kernels, keys in the dK/dV kernel), stages TILE = 64 rows of the other side in shared memory
// (coalesced loads), and each of its rows is worked by TPR = 2 neighbouring threads that hold D/2 of
// the row's head dimensions in registers. A score is the sum of the two threads' partial dot products
// (one shuffle). Every thread walks the same tiles and keys, so the shuffles never diverge; masked
// keys (causal, or past Tk) get probability 0. Attention dropout (the _dropout entry points) multiplies
// probability (i, j) by drop_keep (attention.cu) where it meets V or dOut·V; the softmax's sums and lse
// stay undropped.
//
// Forward: online softmax over CHUNK = 16 keys at a time (running max m, running sum l, output
// rescaled by exp(m_old − m_new) once per chunk); lse = m + log l, the scale folded into q.
// Backward (FlashAttention-2): delta_i = Σ_d dOut·out (attention_backward_delta, shared with the
// untiled path), then one kernel for dQ (per query row, over key tiles) and one for dK and dV (per
// key row, over query tiles), both recomputing P_ij = exp(scale·q_i·k_j − lse_i) and
// dS_ij = P_ij·(M_ij·dOut_i·v_j − delta_i), M the dropout multiplier (delta = Σ_d dOut·out still holds:
// out_i = Σ_j P_ij·M_ij·v_j). Each output row is written by the threads that own it, in a fixed
// order: no atomics, so results are deterministic. Gradients are accumulated (+=) like the
// untiled kernels. Products are explicit fmaf (build-kernels.sh compiles with -fmad=false).
// Shapes are as in attention.cu; grid (ceil(rows / ROWS), NH, B), block ROWS·TPR threads.
#include "common.cuh"

namespace tiled {
constexpr int ROWS = 64;   // rows a block owns
constexpr int TILE = 64;   // rows of the other side staged in shared memory at a time
constexpr int TPR = 2;     // threads per row, each holding D / TPR head dimensions
constexpr int CHUNK = 16;  // keys scored before one online-softmax rescale (forward)

// Rows r0 .. r0+TILE−1 of operand o into dst (TILE × D), times mul; zeros past `rows` and past HS.
template <int D>
__device__ __forceinline__ void stage(float (*dst)[D], const Operand& o, const AttnShape& s, int b, int h,
                                      int r0, int rows, float mul) {
    for (int e = threadIdx.x; e < TILE * D; e += blockDim.x) {
        int r = e / D, d = e % D;
        dst[r][d] = (r0 + r < rows && d < s.HS) ? mul * row_of(o, s, b, r0 + r, h)[d] : 0.0f;
    }
}

// This thread's D/TPR dimensions (from part·D/TPR) of row t of o, times mul, into reg; zeros if !valid or past HS.
template <int D>
__device__ __forceinline__ void load_part(float* reg, const Operand& o, const AttnShape& s, int b, int t, int h,
                                          int part, bool valid, float mul) {
    constexpr int DT = D / TPR;
    const float* row = valid ? row_of(o, s, b, t, h) : nullptr;
#pragma unroll
    for (int dd = 0; dd < DT; dd++) {
        int d = part * DT + dd;
        reg[dd] = (valid && d < s.HS) ? mul * row[d] : 0.0f;
    }
}

// Σ_d reg[d]·row[part·DT + d] over the TPR threads of one row (adjacent lanes): the full dot product.
template <int D>
__device__ __forceinline__ float dot_row(const float* reg, const float* row, int part) {
    constexpr int DT = D / TPR;
    float acc = 0.0f;
#pragma unroll
    for (int dd = 0; dd < DT; dd++) acc = fmaf(reg[dd], row[part * DT + dd], acc);
#pragma unroll
    for (int o = 1; o < TPR; o <<= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
    return acc;
}

// Adds reg (times mul) into this thread's D/TPR dimensions of row t of o.
template <int D>
__device__ __forceinline__ void add_part(const float* reg, float mul, const Operand& o, const AttnShape& s,
                                         int b, int t, int h, int part) {
    constexpr int DT = D / TPR;
    float* row = row_of(o, s, b, t, h);
#pragma unroll
    for (int dd = 0; dd < DT; dd++) {
        int d = part * DT + dd;
        if (d < s.HS) row[d] += mul * reg[dd];
    }
}

// The most keys any of the query rows q0 .. q0+ROWS−1 (clipped to Tq) sees: the last row's, when causal.
__device__ __forceinline__ int keys_for_block(const AttnShape& s, int q0) {
    return keys_for(s, min(q0 + ROWS, s.Tq) - 1);
}

template <int D, bool DROP>
__device__ void forward(AttnShape s, Operand q, Operand k, Operand v, Operand out, float* lse, AttnDropout dr) {
    __shared__ float ks[TILE][D], vs[TILE][D];
    int h = blockIdx.y, b = blockIdx.z, part = threadIdx.x % TPR;
    int i = blockIdx.x * ROWS + threadIdx.x / TPR;
    constexpr int DT = D / TPR;
    bool valid = i < s.Tq;
    float qr[DT], o[DT];
    load_part<D>(qr, q, s, b, i, h, part, valid, s.scale);
#pragma unroll
    for (int dd = 0; dd < DT; dd++) o[dd] = 0.0f;
    float m = -INFINITY, l = 0.0f;
    int L = valid ? keys_for(s, i) : 0, Lblock = keys_for_block(s, blockIdx.x * ROWS);
    for (int j0 = 0; j0 < Lblock; j0 += TILE) {
        __syncthreads();  // the previous tile is no longer read
        stage<D>(ks, k, s, b, h, j0, s.Tk, 1.0f);
        stage<D>(vs, v, s, b, h, j0, s.Tk, 1.0f);
        __syncthreads();
        int jn = min(TILE, Lblock - j0);
        for (int c = 0; c < jn; c += CHUNK) {
            float sc[CHUNK], cm = -INFINITY;
#pragma unroll
            for (int jj = 0; jj < CHUNK; jj++) {
                float x = dot_row<D>(qr, ks[c + jj], part);
                sc[jj] = j0 + c + jj < L ? x : -INFINITY;
                cm = fmaxf(cm, sc[jj]);
            }
            if (cm == -INFINITY) continue;  // no key of this chunk is visible to this row
            float mNew = fmaxf(m, cm), corr = expf(m - mNew);  // exp(−inf) = 0 on the first chunk
            l *= corr;
#pragma unroll
            for (int dd = 0; dd < DT; dd++) o[dd] *= corr;
#pragma unroll
            for (int jj = 0; jj < CHUNK; jj++) {
                float p = expf(sc[jj] - mNew);
                l += p;                                           // the softmax sums undropped probabilities
                if constexpr (DROP) p *= drop_keep(s, dr, b, h, i, j0 + c + jj);  // after it joined l
#pragma unroll
                for (int dd = 0; dd < DT; dd++) o[dd] = fmaf(p, vs[c + jj][part * DT + dd], o[dd]);
            }
            m = mNew;
        }
    }
    if (!valid) return;
    float* orow = row_of(out, s, b, i, h);
#pragma unroll
    for (int dd = 0; dd < DT; dd++) {
        int d = part * DT + dd;
        if (d < s.HS) orow[d] = o[dd] / l;
    }
    if (part == 0) lse[((long long)b * s.NH + h) * s.Tq + i] = m + logf(l);
}

template <int D, bool DROP>
__device__ void backward_dq(AttnShape s, Operand q, Operand k, Operand v, Operand dOut, const float* lse,
                            const float* delta, Operand dQ, AttnDropout dr) {
    __shared__ float ks[TILE][D], vs[TILE][D];
    int h = blockIdx.y, b = blockIdx.z, part = threadIdx.x % TPR;
    int i = blockIdx.x * ROWS + threadIdx.x / TPR;
    constexpr int DT = D / TPR;
    bool valid = i < s.Tq;
    float qr[DT], gr[DT], acc[DT];
    load_part<D>(qr, q, s, b, i, h, part, valid, s.scale);
    load_part<D>(gr, dOut, s, b, i, h, part, valid, 1.0f);
#pragma unroll
    for (int dd = 0; dd < DT; dd++) acc[dd] = 0.0f;
    long long r = ((long long)b * s.NH + h) * s.Tq + i;
    float lse_i = valid ? lse[r] : 0.0f, delta_i = valid ? delta[r] : 0.0f;
    int L = valid ? keys_for(s, i) : 0, Lblock = keys_for_block(s, blockIdx.x * ROWS);
    for (int j0 = 0; j0 < Lblock; j0 += TILE) {
        __syncthreads();
        stage<D>(ks, k, s, b, h, j0, s.Tk, 1.0f);
        stage<D>(vs, v, s, b, h, j0, s.Tk, 1.0f);
        __syncthreads();
        int jn = min(TILE, Lblock - j0);
        for (int j = 0; j < jn; j++) {
            float x = dot_row<D>(qr, ks[j], part), dp = dot_row<D>(gr, vs[j], part);
            if constexpr (DROP) dp *= drop_keep(s, dr, b, h, i, j0 + j);  // the gradient reaches P through the mask
            float p = j0 + j < L ? expf(x - lse_i) : 0.0f, ds = p * (dp - delta_i);
#pragma unroll
            for (int dd = 0; dd < DT; dd++) acc[dd] = fmaf(ds, ks[j][part * DT + dd], acc[dd]);
        }
    }
    if (valid) add_part<D>(acc, s.scale, dQ, s, b, i, h, part);
}

template <int D, bool DROP>
__device__ void backward_dkdv(AttnShape s, Operand q, Operand k, Operand v, Operand dOut, const float* lse,
                              const float* delta, Operand dK, Operand dV, AttnDropout dr) {
    __shared__ float qs[TILE][D], gs[TILE][D], ls[TILE], dls[TILE];
    int h = blockIdx.y, b = blockIdx.z, part = threadIdx.x % TPR;
    int j = blockIdx.x * ROWS + threadIdx.x / TPR;
    constexpr int DT = D / TPR;
    bool valid = j < s.Tk;
    float kr[DT], vr[DT], dk[DT], dv[DT];
    load_part<D>(kr, k, s, b, j, h, part, valid, 1.0f);
    load_part<D>(vr, v, s, b, j, h, part, valid, 1.0f);
#pragma unroll
    for (int dd = 0; dd < DT; dd++) dk[dd] = dv[dd] = 0.0f;
    // queries that see key j: i ≥ j − (Tk − Tq) when causal; the block's first key bounds them all
    int iStart = s.causal ? max(0, (int)blockIdx.x * ROWS - (s.Tk - s.Tq)) : 0;
    const float* lseRows = lse + ((long long)b * s.NH + h) * s.Tq;
    const float* deltaRows = delta + ((long long)b * s.NH + h) * s.Tq;
    for (int i0 = iStart; i0 < s.Tq; i0 += TILE) {
        __syncthreads();
        stage<D>(qs, q, s, b, h, i0, s.Tq, s.scale);
        stage<D>(gs, dOut, s, b, h, i0, s.Tq, 1.0f);
        for (int e = threadIdx.x; e < TILE; e += blockDim.x) {
            ls[e] = i0 + e < s.Tq ? lseRows[i0 + e] : 0.0f;
            dls[e] = i0 + e < s.Tq ? deltaRows[i0 + e] : 0.0f;
        }
        __syncthreads();
        int in = min(TILE, s.Tq - i0);
        for (int ii = 0; ii < in; ii++) {
            float x = dot_row<D>(kr, qs[ii], part), dp = dot_row<D>(vr, gs[ii], part);
            bool visible = valid && j < keys_for(s, i0 + ii);
            float p = visible ? expf(x - ls[ii]) : 0.0f, pv = p;  // pv: the probability that weighted V
            if constexpr (DROP) {
                float m = drop_keep(s, dr, b, h, i0 + ii, j);
                dp *= m;
                pv *= m;
            }
            float ds = p * (dp - dls[ii]);
#pragma unroll
            for (int dd = 0; dd < DT; dd++) {
                dv[dd] = fmaf(pv, gs[ii][part * DT + dd], dv[dd]);
                dk[dd] = fmaf(ds, qs[ii][part * DT + dd], dk[dd]);
            }
        }
    }
    if (!valid) return;
    add_part<D>(dk, 1.0f, dK, s, b, j, h, part);  // qs already carries the scale
    add_part<D>(dv, 1.0f, dV, s, b, j, h, part);
}
}  // namespace tiled

// Entry points for head sizes ≤ 32 and ≤ 64 (smaller head sizes are zero-padded in registers), each
// without dropout and with it (suffix _dropout, one more parameter: the AttnDropout). The dropout-free
// kernels keep the signature and the code they had before dropout existed, so they pay nothing for it.
#define TL_ATTENTION_TILED(D)                                                                                  \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR) attention_forward_tiled##D(          \
            AttnShape s, Operand q, Operand k, Operand v, Operand out, float* lse) {                              \
        tiled::forward<D, false>(s, q, k, v, out, lse, AttnDropout{});                                            \
    }                                                                                                             \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR) attention_backward_dq_tiled##D(      \
            AttnShape s, Operand q, Operand k, Operand v, Operand dOut, const float* lse, const float* delta,      \
            Operand dQ) {                                                                                         \
        tiled::backward_dq<D, false>(s, q, k, v, dOut, lse, delta, dQ, AttnDropout{});                            \
    }                                                                                                             \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR) attention_backward_dkdv_tiled##D(    \
            AttnShape s, Operand q, Operand k, Operand v, Operand dOut, const float* lse, const float* delta,      \
            Operand dK, Operand dV) {                                                                             \
        tiled::backward_dkdv<D, false>(s, q, k, v, dOut, lse, delta, dK, dV, AttnDropout{});                      \
    }                                                                                                             \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR) attention_forward_tiled##D##_dropout( \
            AttnShape s, Operand q, Operand k, Operand v, Operand out, float* lse, AttnDropout dr) {              \
        tiled::forward<D, true>(s, q, k, v, out, lse, dr);                                                        \
    }                                                                                                             \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR)                                        \
            attention_backward_dq_tiled##D##_dropout(AttnShape s, Operand q, Operand k, Operand v, Operand dOut,  \
                                                     const float* lse, const float* delta, Operand dQ,            \
                                                     AttnDropout dr) {                                            \
        tiled::backward_dq<D, true>(s, q, k, v, dOut, lse, delta, dQ, dr);                                        \
    }                                                                                                             \
    extern "C" __global__ void __launch_bounds__(tiled::ROWS * tiled::TPR)                                        \
            attention_backward_dkdv_tiled##D##_dropout(AttnShape s, Operand q, Operand k, Operand v, Operand dOut,\
                                                       const float* lse, const float* delta, Operand dK,          \
                                                       Operand dV, AttnDropout dr) {                              \
        tiled::backward_dkdv<D, true>(s, q, k, v, dOut, lse, delta, dK, dV, dr);                                  \
    }
TL_ATTENTION_TILED(32)
TL_ATTENTION_TILED(64)
#undef TL_ATTENTION_TILED
