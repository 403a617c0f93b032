// Shared helpers for TokenLab's CUDA kernels: grid-stride loops, deterministic block reductions,
// the broadcast descriptor and the counter-based hash of RandomStream.
//
// Determinism: every reduction here has a fixed shape (warp shuffles in a fixed pattern, then one
// value per warp), so for a given launch configuration the result never depends on scheduling.
// No kernel in this library uses floating-point atomics.
#pragma once
#include <stddef.h>
#include <stdint.h>

#define TL_MAX_RANK 8

// A broadcast/strided view: the output shape and two operands' element strides per output
// dimension (0 on broadcast dimensions). Passed by value as a kernel argument (100 bytes), declared
// `const __grid_constant__`: dims_offsets indexes its arrays with a run-time rank, and without the
// qualifier nvcc copies the whole struct into every thread's local memory first (a 104-byte stack
// frame per thread: ptxas -v; found from binary_f32 and gather_f32 taking 15 µs for 2 MB on the H200).
struct Dims {
    int rank;
    int shape[TL_MAX_RANK];
    int sa[TL_MAX_RANK];
    int sb[TL_MAX_RANK];
};

// Element offsets of flat output index i in operands a and b. Below 2^31 the index is split with
// 32-bit division: a 64-bit division is a long software routine on the GPU (it made binary_f32 and
// gather_f32 run at about 150-200 GB/s).
__device__ __forceinline__ void dims_offsets(const Dims& d, long long i, long long* oa, long long* ob) {
    long long a = 0, b = 0;
    if (i <= 0x7fffffffLL) {
        unsigned int u = (unsigned int)i;
        for (int k = d.rank - 1; k >= 0; k--) {
            unsigned int n = (unsigned int)d.shape[k], idx = u % n;
            u /= n;
            a += (long long)idx * d.sa[k];
            b += (long long)idx * d.sb[k];
        }
    } else {
        for (int k = d.rank - 1; k >= 0; k--) {
            long long idx = i % d.shape[k];
            i /= d.shape[k];
            a += idx * d.sa[k];
            b += idx * d.sb[k];
        }
    }
    *oa = a;
    *ob = b;
}

#define GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); \
         i += (long long)gridDim.x * blockDim.x)

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over the block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
__device__ __forceinline__ float block_sum(float v) {
    __shared__ float s[32];
    int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads();  // s may still be read by a previous reduction
    if (lane == 0) s[w] = v;
    __syncthreads();
    v = lane < nw ? s[lane] : 0.0f;
    return warp_sum(v);
}

// Max over the block; every thread gets the result.
__device__ __forceinline__ float block_max(float v) {
    __shared__ float s[32];
    int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) s[w] = v;
    __syncthreads();
    v = lane < nw ? s[lane] : -INFINITY;
    return warp_max(v);
}

// Column sums (reduce_sum_cols_f32, the norms' weight gradients): a block of COLUMN_THREADS threads
// covers 32 adjacent columns (one per lane, so every row's 32 loads coalesce) and COL_GROUPS groups of
// rows (one per warp): warp g sums rows g, g + COL_GROUPS, g + 2·COL_GROUPS, … in order, then the
// COL_GROUPS partial sums of a column are added in group order. The tree depends on the row count
// only, so results are deterministic; no atomics. Launch: grid ceil(columns / 32), block 1024.
#define COL_GROUPS 32

// RandomStream.uniformAt: SplitMix64's finaliser of key + (i+1)·γ, top 24 bits as a float in [0,1).
__device__ __forceinline__ float uniform_at(unsigned long long key, unsigned long long i) {
    unsigned long long z = key + (i + 1ULL) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return (float)(z >> 40) * 0x1.0p-24f;
}
