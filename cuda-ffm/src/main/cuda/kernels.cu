// The one translation unit compiled into kernels.fatbin (build-kernels.sh): every kernel family.
#include "memory.cu"
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "norm.cu"
#include "embedding.cu"
#include "attention.cu"
#include "attention_tiled.cu"
