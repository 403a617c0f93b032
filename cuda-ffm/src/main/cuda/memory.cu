// Memory kernels: fill, strided gather, fp32 -> bf16 conversion (for the bf16 GEMM path).
#include "common.cuh"
#include <cuda_bf16.h>

// dst (n) = v
extern "C" __global__ void fill_f32(float* dst, int n, float v) {
    GRID_STRIDE(i, n) dst[i] = v;
}

// x strided view of shape d.shape with strides d.sa -> out (prod(shape)) contiguous
extern "C" __global__ void gather_f32(const __grid_constant__ Dims d, const float* x, float* out, long long n) {
    GRID_STRIDE(i, n) {
        long long oa, ob;
        dims_offsets(d, i, &oa, &ob);
        out[i] = x[oa];
    }
}

// x (n) fp32 -> y (n) bf16, round to nearest even
extern "C" __global__ void f32_to_bf16(const float* x, __nv_bfloat16* y, int n) {
    GRID_STRIDE(i, n) y[i] = __float2bfloat16_rn(x[i]);
}
