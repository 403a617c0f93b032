// Reductions: over the middle axis of (outer, R, inner), and the sum of squares in double.
#include "common.cuh"

// x (outer, R, inner) -> out (outer, inner); argmax (outer, inner) or null; op 0 SUM, 1 MAX.
// One thread per output, R walked in order, sums in double: the scalar loop's order and precision.
// Used for MAX, and for SUM over short contiguous rows (inner = 1); see the two SUM kernels below.
extern "C" __global__ void reduce_f32(int op, int outer, int R, int inner, const float* x, float* out, int* argmax) {
    GRID_STRIDE(t, (long long)outer * inner) {
        long long o = t / inner, j = t % inner;
        const float* base = x + o * (long long)R * inner + j;
        if (op == 0) {
            double acc = 0.0;  // in double, like the reference
            for (int r = 0; r < R; r++) acc += base[(long long)r * inner];
            out[t] = (float)acc;
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

// x (outer, R, inner) -> out (outer, inner), SUM with inner > 1: grid (ceil(inner/32), outer), block
// 1024 (common.cuh's column sums), in double like reduce_f32. reduce_f32 gave each column one thread
// walking all R rows: with 256 columns that is 256 threads on the whole GPU, and 0.26 ms for a bias
// gradient of the medium preset (ncu, device check of 2026-11-30).
extern "C" __global__ void reduce_sum_cols_f32(int outer, int R, int inner, const float* x, float* out) {
    __shared__ double part[COL_GROUPS][32];
    int lane = threadIdx.x & 31, g = threadIdx.x >> 5;
    long long j = (long long)blockIdx.x * 32 + lane, o = blockIdx.y;
    double acc = 0.0;
    if (j < inner) {
        const float* base = x + o * (long long)R * inner + j;
        for (int r = g; r < R; r += COL_GROUPS) acc += base[(long long)r * inner];
    }
    part[g][lane] = acc;
    __syncthreads();
    if (g == 0 && j < inner) {
        double total = 0.0;
        for (int k = 0; k < COL_GROUPS; k++) total += part[k][lane];
        out[o * inner + j] = (float)total;
    }
}

#define SSQ_THREADS 256

// Block-wide sum in double over a fixed tree of SSQ_THREADS threads; thread 0 gets the result.
__device__ __forceinline__ double block_sum_double(double v) {
    __shared__ double s[SSQ_THREADS];
    s[threadIdx.x] = v;
    __syncthreads();
    for (int w = SSQ_THREADS / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    return s[0];
}

// x (outer, R) -> out (outer): sums of long contiguous rows, one block of SSQ_THREADS per row,
// in double over a fixed tree (used instead of reduce_f32 when inner = 1 and R is large).
extern "C" __global__ void reduce_sum_rows_f32(int R, const float* x, float* out) {
    const float* row = x + (long long)blockIdx.x * R;
    double acc = 0.0;
    for (int r = threadIdx.x; r < R; r += SSQ_THREADS) acc += row[r];
    double total = block_sum_double(acc);
    if (threadIdx.x == 0) out[blockIdx.x] = (float)total;
}

// Σ x² of several ranges in one launch: range y is xs[y] (ns[y] floats); block (b, y) writes
// partial[y·gridDim.x + b], its grid-stride share in double. The grid's x size is fixed by the caller
// (not by the device), so the summation tree is the same on every GPU and for any number of ranges.
extern "C" __global__ void sum_squares_partial(const float* const* xs, const long long* ns, double* partial) {
    const float* x = xs[blockIdx.y];
    long long n = ns[blockIdx.y];
    double acc = 0.0;
    GRID_STRIDE(i, n) { double v = x[i]; acc += v * v; }
    double total = block_sum_double(acc);
    if (threadIdx.x == 0) partial[(long long)blockIdx.y * gridDim.x + blockIdx.x] = total;
}

// partial (ranges × m) -> out (ranges), one block of SSQ_THREADS threads per range
extern "C" __global__ void sum_squares_final(const double* partial, int m, double* out) {
    const double* p = partial + (long long)blockIdx.x * m;
    double acc = 0.0;
    for (int i = threadIdx.x; i < m; i += SSQ_THREADS) acc += p[i];
    double total = block_sum_double(acc);
    if (threadIdx.x == 0) out[blockIdx.x] = total;
}
