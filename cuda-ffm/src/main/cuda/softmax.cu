// Softmax / log-softmax over the last axis and the fused cross-entropy; one block per row.
#include "common.cuh"

// x (rows, cols) -> y (rows, cols)
extern "C" __global__ void softmax_f32(int rows, int cols, const float* x, float* y, int log) {
    const float* xr = x + (long long)blockIdx.x * cols;
    float* yr = y + (long long)blockIdx.x * cols;
    float mx = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) mx = fmaxf(mx, xr[c]);
    mx = block_max(mx);
    float sum = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) sum += expf(xr[c] - mx);
    sum = block_sum(sum);
    if (log) {
        float ls = logf(sum);
        for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = xr[c] - mx - ls;
    } else {
        for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = expf(xr[c] - mx) / sum;
    }
}

// y, dy (rows, cols) -> dx (rows, cols) +=
extern "C" __global__ void softmax_backward_f32(int rows, int cols, const float* y, const float* dy,
                                                float* dx, int log) {
    long long base = (long long)blockIdx.x * cols;
    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) s += log ? dy[base + c] : dy[base + c] * y[base + c];
    s = block_sum(s);
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        long long i = base + c;
        dx[i] += log ? dy[i] - expf(y[i]) * s : y[i] * (dy[i] - s);
    }
}

// logits (N,V), targets (N), weights (N) or null -> losses (N), lse (N)
extern "C" __global__ void cross_entropy_f32(int N, int V, const float* logits, const int* targets,
                                             const float* weights, int ignore, float* losses, float* lse) {
    int n = blockIdx.x;
    const float* row = logits + (long long)n * V;
    float mx = -INFINITY;
    for (int c = threadIdx.x; c < V; c += blockDim.x) mx = fmaxf(mx, row[c]);
    mx = block_max(mx);
    float sum = 0.0f;
    for (int c = threadIdx.x; c < V; c += blockDim.x) sum += expf(row[c] - mx);
    sum = block_sum(sum);
    if (threadIdx.x == 0) {
        float l = mx + logf(sum);
        lse[n] = l;
        int t = targets[n];
        float w = weights ? weights[n] : 1.0f;
        losses[n] = t == ignore ? 0.0f : w * (l - row[t]);
    }
}

// dLogits (N,V) += dLosses[n] · w[n] · (softmax(logits[n]) − onehot(t_n)); ignored rows unchanged
extern "C" __global__ void cross_entropy_backward_f32(int N, int V, const float* logits, const int* targets,
                                                      const float* weights, int ignore, const float* lse,
                                                      const float* dLosses, float* dLogits) {
    int n = blockIdx.x;
    int t = targets[n];
    if (t == ignore) return;
    float g = dLosses[n] * (weights ? weights[n] : 1.0f);
    float l = lse[n];
    long long base = (long long)n * V;
    for (int c = threadIdx.x; c < V; c += blockDim.x) {
        float p = expf(logits[base + c] - l);
        dLogits[base + c] += g * (p - (c == t ? 1.0f : 0.0f));
    }
}
