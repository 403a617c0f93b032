#!/usr/bin/env bash
# The one device check for the lent GPU machine (H200; no Java, no network; PyTorch and the CUDA
# libraries in Python's site-packages/nvidia). Builds nothing: it runs the bundle that
# cuda-ffm/prepare-device-bundle.sh made here (carry "build/device" with the device tool).
# Steps, each bounded by a timeout and none stopping the others; the whole check ends within CHECK_SECONDS
# (default 480: the device tool's call limit is 600 s), each step's timeout cut to what is left of it, and a
# step with under 5 s left is skipped with a note, so the summary is always written. STEPS="1 2 6" runs only
# the steps named (default: all, "1 2 3 3b 4 5 6"; 4 includes 4b and 4c):
#   1. the nvidia library folders Python has, and our discovery line (CudaInfo)
#   2. the module's tests with JUnit's console launcher, GPU-tagged ones included (rebuild test excluded)
#   3. timing through our binding (DeviceBenchmark: GEMM fp32/TF32/bf16 at 1024..8192, then softmax,
#      layer norm and attention at GPT-2-small sizes), then the same through PyTorch (torch_peer.py), in
#      ROUNDS rounds (default 2) that alternate the two
#   3b. which cuBLAS kernel each GEMM variant runs (fp32/TF32 at n = 1024, bf16 at 8192), ours and
#       torch's, with its GPU time (Nsight Compute)
#   4. GPT training of the medium preset: tokenlab bench on the cuda backend (fp32, then --matmul tf32), the
#      same model in PyTorch on the same GPU (transformer/bench/torch_gpt_bench.py --device cuda, fp32 and
#      tf32), and tokenlab on 2 CPU threads
#   4b. the CLI end to end on cuda: `tokenlab train` (small preset, 300 steps on docs/*.md) and `tokenlab
#      generate` from the checkpoint it wrote
#   4c. `tokenlab run all --profile smoke --backend cuda`: every experiment's code path on the GPU
#   5. where the cuda step's time goes: GPU time per kernel over two steps (Nsight Compute's ncu, when the
#      machine has it) and a JFR recording of the host side (cuda-bench.jfr; `jfr print` it here)
#   6. the GPU tests under compute-sanitizer: memcheck (out-of-bounds and misaligned accesses) over all of
#      them, racecheck (shared-memory races) over the kernel and attention tests
# Writes 8 files under $OUT (the device tool returns at most 8): log.txt (everything printed), tests.txt,
# summary.json (every number, merged), gpt-bench.txt, ncu-gemm.txt, ncu.txt, cuda-bench.jfr, sanitizer.txt;
# the table is printed last.
# Usage (device tool, repo root): bash cuda-ffm/device-check.sh
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/build/device"
OUT="${OUT:-$ROOT/build/device-out}"
WORK="$(mktemp -d)"   # the JSON pieces that summary.json merges, the CLI run
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
JAVA="$BUNDLE/jre/bin/java"
[[ -x "$JAVA" ]] || { echo "device-check: no bundle at $BUNDLE (run cuda-ffm/prepare-device-bundle.sh and carry build/device)" | tee "$OUT/error.txt"; exit 1; }
CP="$BUNDLE/lib/tokenlab.jar:$BUNDLE/lib/tokenlab-cuda-ffm-tests.jar:$BUNDLE/lib/tokenlab-gpu-tests.jar"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g -XX:+UseParallelGC)
PY="$(command -v python3 || command -v python || true)"
SIZES=(1024 2048 4096 8192)
quiet() { grep -v 'WARNING: Using incubator modules'; }
DEADLINE=$(( $(date +%s) + ${CHECK_SECONDS:-480} ))
# bounded SECONDS CMD...: runs CMD under `timeout`, cut to what is left before the deadline (20 s kept for
# the summary); skipped when under 5 s are left
bounded() {
  local want=$1 left=$(( DEADLINE - $(date +%s) - 20 ))
  shift
  (( left < want )) && want=$left
  if (( want < 5 )); then
    echo "device-check: skipped, the check's deadline is near: $*" >&2
    return 124
  fi
  timeout "$want" "$@"
}

log() { tee -a "$OUT/log.txt"; }
: > "$OUT/log.txt"

NCU="$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1 || true)"
TOKENLAB=("$JAVA" "${FLAGS[@]}" -jar "$BUNDLE/lib/tokenlab.jar")

step_1() {
echo "== 1. discovery $(date -u '+%Y-%m-%d %H:%M:%S UTC') $(uname -r)" | log
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1 | log
if [[ -n "$PY" ]]; then
  "$PY" - <<'PYEOF' 2>&1 | log
import glob, os, site, sys
print("python:", sys.executable)
for s in site.getsitepackages():
    for lib in sorted(glob.glob(os.path.join(s, "nvidia", "*", "lib"))):
        names = sorted(n for n in os.listdir(lib) if n.startswith(("libcudart", "libcublas")))
        print(" ", lib, names)
PYEOF
fi
echo "nvcc: $(command -v nvcc || echo none); cpus: $(nproc)" | log
bounded 60 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.CudaInfo --json "$WORK/cuda-info.json" 2>&1 | quiet | log
}

step_2() {
echo "== 2. tests" | log
(cd "$ROOT/cuda-ffm" && bounded 150 "$JAVA" "${FLAGS[@]}" -jar "$BUNDLE"/lib/junit-platform-console-standalone-*.jar \
    execute --class-path "$CP" --select-package org.tokenlab.cuda --select-package org.tokenlab.experiments.gpu --exclude-classname '.*KernelRebuildTest' \
    --details=tree --disable-banner --disable-ansi-colors 2>&1 | quiet > "$OUT/tests.txt")
grep -E "✘|tests (successful|failed|aborted)" "$OUT/tests.txt" | head -60 | log
}

step_3() {
# in ROUNDS rounds (default 2), ours and torch's alternating, so the GPU's drift falls on both sides
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  echo "== 3. timing, round $round" | log
  bounded 90 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.DeviceBenchmark "$WORK/bench-tokenlab-$round.json" \
      "${SIZES[@]}" 2>&1 | quiet | log
  [[ -n "$PY" ]] && bounded 90 "$PY" "$ROOT/cuda-ffm/device/torch_peer.py" "$WORK/bench-torch-$round.json" \
      "${SIZES[@]}" 2>&1 | log
done
}

step_3b() {
echo "== 3b. the cuBLAS kernels behind the GEMMs, ours then torch's: fp32/TF32 at 1024, bf16 at 8192 (ncu-gemm.txt)" | log
if [[ -n "$NCU" ]]; then
  # ncu names each kernel as it profiles it, after the program's line naming the variant; its report (the
  # durations, in launch order) comes when the program ends
  : > "$OUT/ncu-gemm.txt"
  for probe in "1024 fp32 tf32 tf32-ex" "8192 bf16 bf16-out16"; do
    read -r -a args <<< "$probe"
    bounded 60 "$NCU" --clock-control none --metrics gpu__time_duration.sum \
        "$JAVA" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.DeviceBenchmark --probe-kernels "${args[@]}" 2>&1 | quiet \
        >> "$OUT/ncu-gemm.txt"
    [[ -n "$PY" ]] && bounded 60 "$NCU" --clock-control none --metrics gpu__time_duration.sum \
        "$PY" "$ROOT/cuda-ffm/device/torch_peer.py" --probe-kernels "${args[@]}" >> "$OUT/ncu-gemm.txt" 2>&1
  done
  grep -E "^probe-kernels:|==PROF== Profiling|gpu__time_duration.sum" "$OUT/ncu-gemm.txt" | sed 's/  */ /g' \
      | cut -c1-160 | log
else
  echo "ncu: not found" | log
fi
}

step_4() {
echo "== 4. GPT training, medium preset (B=8 T=256 C=256 L=6)" | log
# the JVM's JIT warms up for 8 s first: the host code that issues the launches runs interpreted before that
bounded 90 "${TOKENLAB[@]}" bench --preset medium --backend cuda --warmup-seconds 8 --steps 100 2>&1 | quiet | tail -3 \
    | tee -a "$OUT/gpt-bench.txt" | log
# the same with TF32 tensor cores for the GEMMs (--matmul tf32), what PyTorch's allow_tf32 does
bounded 60 "${TOKENLAB[@]}" bench --preset medium --backend cuda --matmul tf32 --warmup-seconds 6 --steps 100 2>&1 | quiet \
    | tail -1 | tee -a "$OUT/gpt-bench.txt" | log
[[ -n "$PY" ]] && bounded 90 "$PY" "$ROOT/transformer/bench/torch_gpt_bench.py" --preset medium --device cuda \
    --warmup 20 --steps 100 2>&1 | tail -3 | tee -a "$OUT/gpt-bench.txt" | log
[[ -n "$PY" ]] && bounded 60 "$PY" "$ROOT/transformer/bench/torch_gpt_bench.py" --preset medium --device cuda \
    --matmul tf32 --warmup 20 --steps 100 2>&1 | tail -1 | tee -a "$OUT/gpt-bench.txt" | log
bounded 60 "${TOKENLAB[@]}" bench --preset medium --backend simd --threads 2 --warmup-seconds 6 --steps 3 2>&1 | quiet \
    | tail -3 | tee -a "$OUT/gpt-bench.txt" | log

echo "== 4b. the CLI end to end on cuda: train the small preset on docs/, then generate from its checkpoint" | log
cat "$ROOT"/docs/*.md > "$WORK/text.txt"
bounded 90 "${TOKENLAB[@]}" train --preset small --data "$WORK/text.txt" --out "$WORK/run" --steps 300 --backend cuda \
    2>&1 | quiet | grep -E "eval @|^done:|^tokenlab:|Exception" | tail -4 | log
CHECKPOINT="$(ls -d "$WORK"/run/checkpoints/step-* 2>/dev/null | tail -1)"
if [[ -n "$CHECKPOINT" ]]; then
  bounded 60 "${TOKENLAB[@]}" generate --checkpoint "$CHECKPOINT" --prompt "The tensor " --max-tokens 60 \
      --backend cuda 2>&1 | quiet | grep -v "^TokenLab" | tail -3 | log
else
  echo "no checkpoint in $WORK/run" | log
fi

echo "== 4c. the six experiments on cuda, smoke profile (plumbing: every experiment's code path on the GPU)" | log
(cd "$WORK" && bounded 150 "${TOKENLAB[@]}" run all --profile smoke --backend cuda --out "$WORK/smoke-cuda" 2>&1 | quiet \
    | grep -E "completed:|failed to run|Exception|^tokenlab:" | tail -8 | log)
grep -E "^Over " "$WORK/smoke-cuda/summary.md" 2>/dev/null | log || echo "no summary.md from the smoke run" | log
}

step_5() {
echo "== 5. profiles of the cuda step" | log
if [[ -n "$NCU" ]]; then
  # GPU time of every kernel of a short run (initialisation, one warm-up step, one timed step); ncu
  # serialises the kernels, so this says where GPU time goes, not how the steps overlap
  bounded 150 "$NCU" --clock-control none --metrics gpu__time_duration.sum --launch-count 6000 \
      --print-summary per-kernel "${TOKENLAB[@]}" bench --preset medium --backend cuda --warmup 1 --steps 1 \
      > "$OUT/ncu.txt" 2>&1
  echo "ncu: exit $?, $(wc -l < "$OUT/ncu.txt") lines in ncu.txt" | log
else
  echo "ncu: not found" | log
fi
bounded 60 "$JAVA" "${FLAGS[@]}" -XX:StartFlightRecording=filename="$OUT/cuda-bench.jfr",settings=profile \
    -jar "$BUNDLE/lib/tokenlab.jar" bench --preset medium --backend cuda --warmup-seconds 8 --steps 100 2>&1 | quiet \
    | grep -v "jdk.jfr\|Started recording\|Use jcmd" | tail -1 | log
}

step_6() {
echo "== 6. compute-sanitizer over the GPU tests (sanitizer.txt)" | log
SANITIZER="$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)"
if [[ -n "$SANITIZER" ]]; then
  JUNIT=("$JAVA" "${FLAGS[@]}" -jar "$(ls "$BUNDLE"/lib/junit-platform-console-standalone-*.jar)" execute
         --class-path "$CP" --details=summary --disable-banner --disable-ansi-colors)
  : > "$OUT/sanitizer.txt"
  for tool in memcheck racecheck; do
    # one failed launch leaves the context unusable, so later tests fail too: read the first report
    classes=(--select-class org.tokenlab.cuda.AttentionGpuTest --select-class org.tokenlab.cuda.CudaKernelsGpuTest)
    [[ $tool == memcheck ]] && classes=(--include-classname '.*GpuTest' --select-package org.tokenlab.cuda
                                        --select-package org.tokenlab.experiments.gpu)
    echo "-- $tool" >> "$OUT/sanitizer.txt"
    (cd "$ROOT/cuda-ffm" && bounded 150 "$SANITIZER" --tool "$tool" --print-limit 20 "${JUNIT[@]}" "${classes[@]}" \
        >> "$OUT/sanitizer.txt" 2>&1)
    echo "$tool: exit $?; $(grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$OUT/sanitizer.txt" | tail -1);" \
        "$(grep -E "tests (successful|failed|aborted)" "$OUT/sanitizer.txt" | tail -3 | tr -s ' []' ' ' | tr '\n' ' ')" | log
  done
else
  echo "compute-sanitizer: not found" | log
fi
}

for step in ${STEPS:-1 2 3 3b 4 5 6}; do
  if declare -F "step_$step" >/dev/null; then
    "step_$step"
  else
    echo "device-check: no step $step (the steps: 1 2 3 3b 4 5 6)" | log
  fi
done

echo "== summary" | log
cp "$OUT/gpt-bench.txt" "$WORK/" 2>/dev/null; cp "$OUT/tests.txt" "$WORK/" 2>/dev/null
[[ -n "$PY" ]] && "$PY" "$ROOT/cuda-ffm/device/summary.py" "$WORK" 2>&1 | log
cp "$WORK/summary.json" "$OUT/" 2>/dev/null
