#!/usr/bin/env bash
# Runs the GEMM comparison of docs/performance.md: SimdBackend, ScalarBackend (small sizes), EJML and
# OpenBLAS in one JMH run, then the in-JVM SimdBackend-vs-OpenBLAS comparison in bursts, then the row
# kernels. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the whole run (JMH forks inherit the
# environment): when set, they force OpenBLAS onto an older kernel. Results go to jmh/results/.
#
#   jmh/run-gemm.sh            # the full table (about 15 minutes on 2 cores)
#   QUICK=1 jmh/run-gemm.sh    # fewer JMH iterations (PEER_SECONDS=N sets the A/B seconds per shape)
#   SKIP_BUILD=1 jmh/run-gemm.sh   # use the jmh/target/benchmarks.jar already built
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build_jmh
OUT="$ROOT/jmh/results"
mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
if [[ -n "${QUICK:-}" ]]; then ITER=(-wi 1 -i 2 -w 1 -r 1 -f 1); SECONDS_PER_SHAPE=2; else ITER=(-wi 3 -i 5 -w 1 -r 1 -f 1); SECONDS_PER_SHAPE=8; fi
SECONDS_PER_SHAPE="${PEER_SECONDS:-$SECONDS_PER_SHAPE}"
SQUARES="128,256,512,1024,2048"
TRANSFORMER="2048x512x128T,2048x128x128T,2048x128x512T,2048x1024x256T,2048x256x256T,2048x256x1024T,2048x2048x512T,2048x512x512T,2048x512x2048T"
# -Djmh.ignoreLock: on a shared machine another JMH run may hold /tmp/jmh.lock; results then share the CPU
run() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA" "${FLAGS[@]}" ${JMH_IGNORE_LOCK:+-Djmh.ignoreLock=true} "$@"; }
{
  echo "# $(date -u) | $(lscpu | sed -n 's/^Model name: *//p') | $(nproc) CPUs | load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" -version 2>&1 | head -1
  # SimdBackend and OpenBLAS at every shape and 1, 2 threads; EJML single-threaded; scalar small sizes only
  run -jar jmh/target/benchmarks.jar 'GemmBenchmark' -p impl=simd -p threads=1,2 -p shape="$SQUARES,$TRANSFORMER" "${ITER[@]}" -rf json -rff "$OUT/gemm-simd-$STAMP.json"
  run -jar jmh/target/benchmarks.jar 'OpenBlasGemmBenchmark' -p threads=1,2 -p shape="$SQUARES,$TRANSFORMER" "${ITER[@]}" -rf json -rff "$OUT/gemm-openblas-$STAMP.json"
  run -jar jmh/target/benchmarks.jar 'GemmBenchmark' -p impl=ejml -p threads=1 -p shape="$SQUARES,$TRANSFORMER" "${ITER[@]}" -rf json -rff "$OUT/gemm-ejml-$STAMP.json"
  run -jar jmh/target/benchmarks.jar 'GemmBenchmark' -p impl=scalar -p threads=1 -p shape=128,256 "${ITER[@]}" -rf json -rff "$OUT/gemm-scalar-$STAMP.json"
  # OPENBLAS_THREAD_TIMEOUT=4: OpenBLAS's idle workers spin 2^4 cycles instead of 2^28 (≈ 0.1 s) before they
  # sleep, so they no longer take the second core from the SimdBackend call that follows in the same JVM
  # (2 threads, 1024³: ratio 0.51 with the default spin, 1.01 without, in one session on the Xeon)
  OPENBLAS_THREAD_TIMEOUT=4 run -cp jmh/target/benchmarks.jar org.tokenlab.jmh.GemmPeerComparison "$SECONDS_PER_SHAPE"
  run -jar jmh/target/benchmarks.jar 'KernelBenchmark' "${ITER[@]}" -rf json -rff "$OUT/kernels-$STAMP.json"
} 2>&1 | tee "$OUT/run-$STAMP.txt"
