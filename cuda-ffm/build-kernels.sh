#!/usr/bin/env bash
# Compiles TokenLab's CUDA kernels ahead of time, so the Maven build never needs nvcc:
#   src/main/cuda/kernels.cu -> kernels.fatbin (sm_90 SASS + compute_90 PTX, what the backend loads)
#                            -> kernels.ptx    (the same PTX as text: reviewable, and what the
#                                               rebuild test compares)
# Usage: cuda-ffm/build-kernels.sh [OUTPUT_DIR]   (default: the committed resource folder)
# Flags: -fmad=false keeps a*b+c as two roundings, like Java, so GPU results track ScalarBackend
# more closely; -O3; no fast math.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/src/main/resources/org/tokenlab/cuda}"
NVCC="${NVCC:-nvcc}"
command -v "$NVCC" >/dev/null 2>&1 || { echo "build-kernels: nvcc not found (set NVCC or put CUDA's bin on PATH)" >&2; exit 2; }
mkdir -p "$OUT"
SRC="$HERE/src/main/cuda/kernels.cu"
FLAGS=(-O3 -fmad=false -std=c++17)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# One compilation: -keep leaves the compute_90 PTX that went into the fatbin beside it.
"$NVCC" "${FLAGS[@]}" -fatbin -gencode 'arch=compute_90,code=[compute_90,sm_90]' -keep -keep-dir "$TMP" \
    -o "$TMP/kernels.fatbin" "$SRC"
# Atomic replace: a failed build leaves the previous resources untouched.
mv -f "$TMP/kernels.fatbin" "$OUT/kernels.fatbin"
mv -f "$TMP/kernels.ptx" "$OUT/kernels.ptx"
echo "build-kernels: wrote $OUT/kernels.fatbin ($(wc -c <"$OUT/kernels.fatbin") bytes) and kernels.ptx with $("$NVCC" --version | tail -1)"
