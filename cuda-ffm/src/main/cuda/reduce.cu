// Reductions: over the middle axis of (outer, R, inner), and the sum of squares in double.
#include "common.cuh"

// x (outer, R, inner) -> out (outer, inner); argmax (outer, inner) or null; op 0 SUM, 1 MAX.
// One thread per output, R walked in order: the same summation order as the scalar loop.
extern "C" __global__ void reduce_f32(int op, int outer, int R, int inner, const float* x, float* out, int* argmax) {
    GRID_STRIDE(t, (long long)outer * inner) {
        long long o = t / inner, j = t % inner;
        const float* base = x + o * (long long)R * inner + j;
        if (op == 0) {
            float acc = 0.0f;
            for (int r = 0; r < R; r++) acc += base[(long long)r * inner];
            out[t] = acc;
        } else {
            float best = base[0];
            int arg = 0;
            for (int r = 1; r < R; r++) {
                float v = base[(long long)r * inner];
                // strict: the first index wins ties; a NaN wins so that it propagates (as on the CPU)
                if (v > best || (isnan(v) && !isnan(best))) { best = v; arg = r; }
            }
            out[t] = best;
            if (argmax) argmax[t] = arg;
        }
    }
}

#define SSQ_THREADS 256

// x (n) -> partial (gridDim.x) of Σ x² in double. The grid size is fixed by the caller (not by the
// device), so the summation tree is the same on every GPU.
extern "C" __global__ void sum_squares_partial(const float* x, long long n, double* partial) {
    __shared__ double s[SSQ_THREADS];
    double acc = 0.0;
    GRID_STRIDE(i, n) { double v = x[i]; acc += v * v; }
    s[threadIdx.x] = acc;
    __syncthreads();
    for (int w = SSQ_THREADS / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = s[0];
}

// partial (m) -> out (1), one block of SSQ_THREADS threads
extern "C" __global__ void sum_squares_final(const double* partial, int m, double* out) {
    __shared__ double s[SSQ_THREADS];
    double acc = 0.0;
    for (int i = threadIdx.x; i < m; i += SSQ_THREADS) acc += partial[i];
    s[threadIdx.x] = acc;
    __syncthreads();
    for (int w = SSQ_THREADS / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[0] = s[0];
}
