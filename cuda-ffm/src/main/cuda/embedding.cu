// Embedding gather and its deterministic scatter-add backward.
#include "common.cuh"

// idx (N), table (V,C) -> out (N,C); indices were checked on the host
extern "C" __global__ void embedding_f32(int N, int C, const int* idx, const float* table, float* out) {
    GRID_STRIDE(i, (long long)N * C) {
        long long n = i / C, c = i % C;
        out[i] = table[(long long)idx[n] * C + c];
    }
}

// dTable[rows[u]] += Σ dOut[positions[p]] for p in [starts[u], starts[u+1]) in increasing position.
// Each distinct row is owned by one block row (grid.x = U, grid.y covers C), threads over C: no two threads write the
// same element, so no atomics, and the sum order is the scalar loop's (increasing n). The host
// groups positions by row with a stable counting pass (CudaEmbedding.group).
extern "C" __global__ void embedding_backward_f32(int U, int C, const int* rows, const int* starts,
                                                  const int* positions, const float* dOut, float* dTable) {
    int u = blockIdx.x;
    long long dst = (long long)rows[u] * C;
    for (int c = blockIdx.y * blockDim.x + threadIdx.x; c < C; c += gridDim.y * blockDim.x) {
        float acc = dTable[dst + c];
        for (int p = starts[u]; p < starts[u + 1]; p++) acc += dOut[(long long)positions[p] * C + c];
        dTable[dst + c] = acc;
    }
}
