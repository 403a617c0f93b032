#!/usr/bin/env bash
# The one device check for the lent GPU machine (H200; no Java, no network; PyTorch and the CUDA
# libraries in Python's site-packages/nvidia). Builds nothing: it runs the bundle that
# cuda-ffm/prepare-device-bundle.sh made here (carry "build/device" with the device tool).
# Steps, each bounded by a timeout and none stopping the others:
#   1. the nvidia library folders Python has, and our discovery line (CudaInfo)
#   2. the module's tests with JUnit's console launcher, GPU-tagged ones included (rebuild test excluded)
#   3. timing through our binding (DeviceBenchmark: GEMM fp32/TF32/bf16 at 1024..8192, then softmax,
#      layer norm and attention at GPT-2-small sizes), then the same through PyTorch (torch_peer.py)
#   4. GPT training steps of the medium preset (tokenlab bench) on the cuda backend, and on simd for scale
# Writes logs and JSON under $OUT and prints a short table last.
# Usage (device tool, repo root): bash cuda-ffm/device-check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/build/device"
OUT="${OUT:-$ROOT/build/device-out}"
mkdir -p "$OUT"
JAVA="$BUNDLE/jre/bin/java"
[[ -x "$JAVA" ]] || { echo "device-check: no bundle at $BUNDLE (run cuda-ffm/prepare-device-bundle.sh and carry build/device)" | tee "$OUT/error.txt"; exit 1; }
CP="$BUNDLE/lib/tokenlab.jar:$BUNDLE/lib/tokenlab-cuda-ffm-tests.jar:$BUNDLE/lib/tokenlab-gpu-tests.jar"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g -XX:+UseParallelGC)
PY="$(command -v python3 || command -v python || true)"
SIZES=(1024 2048 4096 8192)
quiet() { grep -v 'WARNING: Using incubator modules'; }

echo "== 1. discovery" | tee "$OUT/log.txt"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | tee "$OUT/nvidia-smi.txt"
if [[ -n "$PY" ]]; then
  "$PY" - <<'PYEOF' 2>&1 | tee "$OUT/nvidia-libs.txt"
import glob, os, site, sys
print("python:", sys.executable)
for s in site.getsitepackages():
    for lib in sorted(glob.glob(os.path.join(s, "nvidia", "*", "lib"))):
        names = sorted(n for n in os.listdir(lib) if n.startswith(("libcudart", "libcublas")))
        print(" ", lib, names)
PYEOF
fi
which nvcc 2>&1 | tee -a "$OUT/log.txt"
timeout 60 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.CudaInfo --json "$OUT/cuda-info.json" 2>&1 | quiet | tee -a "$OUT/log.txt"

echo "== 2. tests" | tee -a "$OUT/log.txt"
(cd "$ROOT/cuda-ffm" && timeout 240 "$JAVA" "${FLAGS[@]}" -jar "$BUNDLE"/lib/junit-platform-console-standalone-*.jar \
    execute --class-path "$CP" --select-package org.tokenlab.cuda --select-package org.tokenlab.experiments.gpu --exclude-classname '.*KernelRebuildTest' \
    --details=tree --disable-banner --disable-ansi-colors 2>&1 | quiet > "$OUT/tests.txt")
grep -E "✘|MethodSource|tests (successful|failed|aborted)" "$OUT/tests.txt" | head -40

echo "== 3. timing" | tee -a "$OUT/log.txt"
timeout 180 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.DeviceBenchmark "$OUT/bench-tokenlab.json" "${SIZES[@]}" 2>&1 | quiet | tee -a "$OUT/log.txt"
[[ -n "$PY" ]] && timeout 180 "$PY" "$ROOT/cuda-ffm/device/torch_peer.py" "$OUT/bench-torch.json" "${SIZES[@]}" 2>&1 | tee -a "$OUT/log.txt"

echo "== 4. GPT training steps (tokenlab bench, medium preset)" | tee -a "$OUT/log.txt"
for backend in cuda simd; do
  steps=10; [[ "$backend" == simd ]] && steps=2
  timeout 150 "$JAVA" "${FLAGS[@]}" -jar "$BUNDLE/lib/tokenlab.jar" bench --preset medium --backend "$backend" \
      --warmup 1 --steps "$steps" 2>&1 | quiet | tail -3 | tee -a "$OUT/gpt-bench.txt"
done

echo "== summary"
[[ -n "$PY" ]] && "$PY" "$ROOT/cuda-ffm/device/summary.py" "$OUT"
