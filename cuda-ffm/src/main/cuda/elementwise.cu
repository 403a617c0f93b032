// Elementwise kernels: binary with broadcasting, unary forward/backward (ordinals of UnaryOp),
// axpy and dropout. Scalar twins: ScalarBackend.binary/unary/unaryBackward/axpy/dropout.
#include "common.cuh"

// Ordinals of org.tokenlab.tensor.backend.BinaryOp and UnaryOp; BackendKernelsTest checks them.
enum { B_ADD, B_SUB, B_MUL, B_DIV };
enum { U_NEG, U_EXP, U_LOG, U_SQRT, U_TANH, U_RELU, U_GELU, U_SILU, U_POW, U_SCALE, U_ADD_SCALAR };

// GELU, SiLU and POW are evaluated in double, as ScalarBackend does: GELU's 1 + tanh(u) cancels for
// negative x, and float would lose digits the reference keeps. The rest are float (CUDA's expf,
// logf, tanhf are within 2 ulp).
#define GELU_K 0.7978845608028654  // sqrt(2/pi)
#define GELU_C 0.044715

// out (shape) = a (broadcast view) op b (broadcast view)
extern "C" __global__ void binary_f32(int op, const __grid_constant__ Dims d, const float* a, const float* b, float* out, long long n) {
    GRID_STRIDE(i, n) {
        long long oa, ob;
        dims_offsets(d, i, &oa, &ob);
        float x = a[oa], y = b[ob];
        out[i] = op == B_ADD ? x + y : op == B_SUB ? x - y : op == B_MUL ? x * y : x / y;
    }
}

__device__ __forceinline__ float unary_f(int op, float p, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return expf(x);
        case U_LOG: return logf(x);
        case U_SQRT: return sqrtf(x);
        case U_TANH: return tanhf(x);
        case U_RELU: return x > 0.0f ? x : 0.0f;
        case U_GELU: {
            double xd = x;
            return (float)(0.5 * xd * (1.0 + tanh(GELU_K * (xd + GELU_C * xd * xd * xd))));
        }
        case U_SILU: return (float)(x / (1.0 + exp(-(double)x)));
        case U_POW: return (float)pow((double)x, (double)p);
        case U_SCALE: return p * x;
        default: return x + p;  // U_ADD_SCALAR
    }
}

// f'(x), given y = f(x)
__device__ __forceinline__ float unary_df(int op, float p, float x, float y) {
    switch (op) {
        case U_NEG: return -1.0f;
        case U_EXP: return y;
        case U_LOG: return 1.0f / x;
        case U_SQRT: return 0.5f / y;
        case U_TANH: return 1.0f - y * y;
        case U_RELU: return x > 0.0f ? 1.0f : 0.0f;
        case U_GELU: {
            double xd = x;
            double t = tanh(GELU_K * (xd + GELU_C * xd * xd * xd));
            return (float)(0.5 * (1.0 + t) + 0.5 * xd * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_C * xd * xd));
        }
        case U_SILU: {
            double s = 1.0 / (1.0 + exp(-(double)x));
            return (float)(s * (1.0 + x * (1.0 - s)));
        }
        case U_POW: return p == 0.0f ? 0.0f : (float)(p * pow((double)x, (double)p - 1.0));
        case U_SCALE: return p;
        default: return 1.0f;  // U_ADD_SCALAR
    }
}

// y (n) = f(x)
extern "C" __global__ void unary_f32(int op, float p, const float* x, float* y, int n) {
    GRID_STRIDE(i, n) y[i] = unary_f(op, p, x[i]);
}

// dx (n) += dy · f'(x)
extern "C" __global__ void unary_backward_f32(int op, float p, const float* x, const float* y,
                                              const float* dy, float* dx, int n) {
    GRID_STRIDE(i, n) dx[i] += dy[i] * unary_df(op, p, x[i], y[i]);
}

// dst (n) += alpha · src
extern "C" __global__ void axpy_f32(int n, float alpha, const float* src, float* dst) {
    GRID_STRIDE(i, n) dst[i] += alpha * src[i];
}

// x (n) -> y (n), mask (n): keep element i iff uniform(key, offset + i) >= p; kept values scale by 1/(1-p)
extern "C" __global__ void dropout_f32(int n, float p, unsigned long long key, unsigned long long offset,
                                       const float* x, float* y, float* mask) {
    float scale = 1.0f / (1.0f - p);
    GRID_STRIDE(i, n) {
        float m = uniform_at(key, offset + (unsigned long long)i) >= p ? scale : 0.0f;
        mask[i] = m;
        y[i] = x[i] * m;
    }
}

// One AdamW step over n parameters (PyTorch semantics; bc1 = 1-β1^t, bc2 = 1-β2^t from the host).
// Moments in float, the bias-corrected update in double, as ScalarBackend does.
extern "C" __global__ void adamw_f32(int n, float* param, const float* grad, float* m, float* v,
                                     float lr, float b1, float b2, float eps, float wd,
                                     double bc1, double bc2, float gradScale) {
    GRID_STRIDE(i, n) {
        float g = grad[i] * gradScale;
        float mi = b1 * m[i] + (1.0f - b1) * g;
        float vi = b2 * v[i] + (1.0f - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        double mhat = mi / bc1, vhat = vi / bc2;
        float pi = param[i];
        param[i] = pi - (float)((double)lr * (mhat / (sqrt(vhat) + (double)eps) + (double)wd * pi));
    }
}
