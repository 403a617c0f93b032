#!/usr/bin/env bash
# Regenerates the FFM bindings from the committed symbol list (symbols.txt).
#
#   1. Always: render_bindings.py writes Cudart.java and Cublas.java (the committed classes, in
#      jextract's layout, loading their library through CudaLibraries instead of an eager -l).
#   2. With a jextract you already have ($JEXTRACT, the jextract launcher; $CUDA_INCLUDE, the folder
#      holding cuda_runtime_api.h; optionally $CUBLAS_INCLUDE for cublas_api.h, default $CUDA_INCLUDE):
#      runs jextract over the real headers, restricted to the same functions (@argfiles written to
#      target/jextract/), into cuda-ffm/target/jextract/src, then compares every function's generated
#      descriptor with symbols.txt (compare_jextract.py). A mismatch means symbols.txt is wrong for
#      these headers: fix the list, rerun. jextract's own classes are for comparison only: without
#      -l they bind through SymbolLookup.loaderLookup(), which is not how TokenLab loads libraries.
# This script never builds or downloads jextract.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python3 "$HERE/render_bindings.py"

if [[ -z "${JEXTRACT:-}" || -z "${CUDA_INCLUDE:-}" ]]; then
  echo "regenerate: JEXTRACT and CUDA_INCLUDE not both set; rendered from symbols.txt only (no header check)"
  exit 0
fi
[[ -x "$JEXTRACT" ]] || { echo "regenerate: JEXTRACT=$JEXTRACT is not executable" >&2; exit 1; }
CUBLAS_INCLUDE="${CUBLAS_INCLUDE:-$CUDA_INCLUDE}"
OUT="$HERE/../target/jextract"
rm -rf "$OUT"
mkdir -p "$OUT/src"
for lib in cudart cublas; do
  awk -v lib="$lib" '$1 == lib { print "--include-function " $2 }' "$HERE/symbols.txt" > "$OUT/$lib.argfile"
done
echo "--include-struct dim3" >> "$OUT/cudart.argfile"
"$JEXTRACT" --output "$OUT/src" --target-package org.tokenlab.cuda.bindings.jextract --header-class-name cudart_h \
    -I "$CUDA_INCLUDE" @"$OUT/cudart.argfile" "$CUDA_INCLUDE/cuda_runtime_api.h"
"$JEXTRACT" --output "$OUT/src" --target-package org.tokenlab.cuda.bindings.jextract --header-class-name cublas_h \
    -I "$CUDA_INCLUDE" -I "$CUBLAS_INCLUDE" @"$OUT/cublas.argfile" "$CUBLAS_INCLUDE/cublas_api.h"
python3 "$HERE/compare_jextract.py" "$HERE/symbols.txt" "$OUT/src"
