// Causal (or full) scaled-dot-product attention with optional dropout on the probabilities, forward and
// backward; one block per query row (forward, dQ) or per key row (dK, dV). Scores of the row live in dynamic
// shared memory, so the host bounds Tk (forward, dQ) and Tq (dK/dV), and allocates 4 floats of slack after
// them: ptxas evidently reads the tail of a loop over the scores as one 12-byte load
// (CudaBackend.ATTENTION_SHARED_SLACK). Gradients are accumulated (+=) without atomics: each block owns the
// rows it writes.
#include "common.cuh"

// The sizes of one call (AttentionShape).
struct AttnShape { int B, NH, Tq, Tk, HS; float scale; int causal; };
// Its attention dropout (AttentionShape's dropout, dropoutKey, dropoutOffset), a separate parameter so the
// tiled kernels without dropout keep the signature, and the registers, they were measured with.
struct AttnDropout {
    float p;                   // 0 = no dropout
    float keepScale;           // 1/(1 − p), rounded on the host as AttentionShape.dropKeep rounds it
    unsigned long long key;    // the dropout stream's key
    unsigned long long offset; // its position at this call's first mask entry
};
static_assert(offsetof(AttnDropout, key) == 8 && offsetof(AttnDropout, offset) == 16 && sizeof(AttnDropout) == 24,
              "CudaBackend.dropout packs this layout");
// A (B, T, NH, HS) operand: element (b,t,h,d) at p[b·batchStride + t·rowStride + h·HS + d] (Strided).
struct Operand { float* p; int batchStride; int rowStride; };

__device__ __forceinline__ float* row_of(const Operand& o, const AttnShape& s, int b, int t, int h) {
    return o.p + (long long)b * o.batchStride + (long long)t * o.rowStride + (long long)h * s.HS;
}

__device__ __forceinline__ float dot(const float* a, const float* b, int n) {
    float acc = 0.0f;
    for (int d = 0; d < n; d++) acc += a[d] * b[d];
    return acc;
}

// The dropout multiplier of probability (b, h, query i, key j): keepScale if kept, 0 if dropped, 1 without
// dropout. The mask entry's position and the draw are AttentionShape.dropKeep's, so the CPU and GPU drop
// the same entries.
__device__ __forceinline__ float drop_keep(const AttnShape& s, const AttnDropout& dr, int b, int h, int i, int j) {
    if (dr.p == 0.0f) return 1.0f;
    unsigned long long at = dr.offset
            + (((unsigned long long)b * s.NH + h) * (unsigned long long)s.Tq + i) * (unsigned long long)s.Tk + j;
    return uniform_at(dr.key, at) >= dr.p ? dr.keepScale : 0.0f;
}

// Keys visible to query i: j < keys_for(i).
__device__ __forceinline__ int keys_for(const AttnShape& s, int i) {
    return s.causal ? s.Tk - s.Tq + i + 1 : s.Tk;
}

// q (B,Tq,NH,HS), k, v (B,Tk,NH,HS) -> out (B,Tq,NH,HS), lse (B,NH,Tq); grid (Tq, NH, B), smem Tk floats
extern "C" __global__ void attention_forward(AttnShape s, Operand q, Operand k, Operand v, Operand out, float* lse,
                                             AttnDropout dr) {
    extern __shared__ float p[];
    int i = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
    const float* qi = row_of(q, s, b, i, h);
    int L = keys_for(s, i);
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < L; j += blockDim.x) {
        float sc = s.scale * dot(qi, row_of(k, s, b, j, h), s.HS);
        p[j] = sc;
        mx = fmaxf(mx, sc);
    }
    mx = block_max(mx);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < L; j += blockDim.x) {
        float e = expf(p[j] - mx);
        p[j] = e;
        sum += e;
    }
    sum = block_sum(sum);  // also a barrier: every p[j] is written
    if (threadIdx.x == 0) lse[((long long)b * s.NH + h) * s.Tq + i] = mx + logf(sum);
    if (dr.p != 0.0f) {  // the same for the whole block, so the barrier is reached by all
        for (int j = threadIdx.x; j < L; j += blockDim.x) p[j] *= drop_keep(s, dr, b, h, i, j);
        __syncthreads();
    }
    float* o = row_of(out, s, b, i, h);
    for (int d = threadIdx.x; d < s.HS; d += blockDim.x) {
        float acc = 0.0f;
        for (int j = 0; j < L; j++) acc += p[j] * row_of(v, s, b, j, h)[d];
        o[d] = acc / sum;
    }
}

// dOut, out (B,Tq,NH,HS) -> delta (B,NH,Tq) = Σ_d dOut·out; grid (Tq, NH, B), block 32
extern "C" __global__ void attention_backward_delta(AttnShape s, Operand out, Operand dOut, float* delta) {
    int i = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
    const float* o = row_of(out, s, b, i, h);
    const float* g = row_of(dOut, s, b, i, h);
    float acc = 0.0f;
    for (int d = threadIdx.x; d < s.HS; d += 32) acc += o[d] * g[d];
    acc = warp_sum(acc);
    if (threadIdx.x == 0) delta[((long long)b * s.NH + h) * s.Tq + i] = acc;
}

// P_ij·M_ij with P_ij = exp(scale·q_i·k_j − lse_i) and M_ij the dropout multiplier (1 without dropout),
// and dS_ij = P_ij·(M_ij·dOut_i·v_j − delta_i): the gradient reaches P through the mask.
__device__ __forceinline__ void prob_and_ds(const AttnShape& s, const Operand& q, const Operand& k,
                                            const Operand& v, const Operand& dOut, const float* lse,
                                            const float* delta, const AttnDropout& dr, int b, int h, int i, int j,
                                            float* P, float* dS) {
    long long r = ((long long)b * s.NH + h) * s.Tq + i;
    float pij = expf(s.scale * dot(row_of(q, s, b, i, h), row_of(k, s, b, j, h), s.HS) - lse[r]);
    float dp = dot(row_of(dOut, s, b, i, h), row_of(v, s, b, j, h), s.HS), m = drop_keep(s, dr, b, h, i, j);
    *P = pij * m;
    *dS = pij * (m * dp - delta[r]);
}

// dQ_i += scale · Σ_j dS_ij k_j; grid (Tq, NH, B), smem Tk floats
extern "C" __global__ void attention_backward_dq(AttnShape s, Operand q, Operand k, Operand v, Operand dOut,
                                                 const float* lse, const float* delta, Operand dQ, AttnDropout dr) {
    extern __shared__ float ds[];
    int i = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
    int L = keys_for(s, i);
    for (int j = threadIdx.x; j < L; j += blockDim.x) {
        float pij;
        prob_and_ds(s, q, k, v, dOut, lse, delta, dr, b, h, i, j, &pij, &ds[j]);
    }
    __syncthreads();
    float* dq = row_of(dQ, s, b, i, h);
    for (int d = threadIdx.x; d < s.HS; d += blockDim.x) {
        float acc = 0.0f;
        for (int j = 0; j < L; j++) acc += ds[j] * row_of(k, s, b, j, h)[d];
        dq[d] += s.scale * acc;
    }
}

// dK_j += scale · Σ_i dS_ij q_i, dV_j += Σ_i P_ij M_ij dOut_i; grid (Tk, NH, B), smem 2·Tq floats
extern "C" __global__ void attention_backward_dkdv(AttnShape s, Operand q, Operand k, Operand v, Operand dOut,
                                                   const float* lse, const float* delta, Operand dK, Operand dV,
                                                   AttnDropout dr) {
    extern __shared__ float sh[];
    float* P = sh;
    float* dS = sh + s.Tq;
    int j = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
    // Queries that see key j: i with Tk − Tq + i ≥ j when causal.
    int i0 = s.causal ? max(0, j - (s.Tk - s.Tq)) : 0;
    for (int i = i0 + threadIdx.x; i < s.Tq; i += blockDim.x) {
        prob_and_ds(s, q, k, v, dOut, lse, delta, dr, b, h, i, j, &P[i], &dS[i]);
    }
    __syncthreads();
    float* dk = row_of(dK, s, b, j, h);
    float* dv = row_of(dV, s, b, j, h);
    for (int d = threadIdx.x; d < s.HS; d += blockDim.x) {
        float ak = 0.0f, av = 0.0f;
        for (int i = i0; i < s.Tq; i++) {
            ak += dS[i] * row_of(q, s, b, i, h)[d];
            av += P[i] * row_of(dOut, s, b, i, h)[d];
        }
        dk[d] += s.scale * ak;
        dv[d] += av;
    }
}
