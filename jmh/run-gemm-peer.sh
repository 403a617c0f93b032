#!/usr/bin/env bash
# Issue 2's verdict table: SimdBackend against OpenBLAS in one JVM, in alternating bursts (GemmPeerComparison;
# docs/performance.md section 2a), every shape on 1 and 2 threads, about 7.5 minutes. Prints the table and
# saves it as jmh/results/peer-<stamp>.txt; pool several runs with jmh/pool-peer.py.
#
#   jmh/run-gemm-peer.sh                     # 6 s per cell, all 28 shapes
#   jmh/run-gemm-peer.sh 10 1024 2048x512x2048T   # seconds per cell, then chosen shapes (suffix T: Bᵀ, A: Aᵀ)
#   PEER_OPTS="-Dpeer.threads=2" SKIP_BUILD=1 jmh/run-gemm-peer.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build_jmh
mkdir -p jmh/results
OUT="jmh/results/peer-$(date -u +%Y%m%dT%H%M%SZ).txt"
TMP="$OUT.tmp"
trap 'rm -f "$TMP"' EXIT  # a failed run leaves no half-written table
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE force an older kernel when set; OPENBLAS_THREAD_TIMEOUT=4 stops OpenBLAS's
# idle workers from spinning 0.1 s on the core SimdBackend's next call needs
{
  echo "# $(date -u) | $(lscpu | sed -n 's/^Model name: *//p') | $(nproc) CPUs | load $(cut -d' ' -f1-3 /proc/loadavg) | $(git rev-parse --short HEAD 2>/dev/null || echo no-git)"
  # shellcheck disable=SC2086
  OPENBLAS_THREAD_TIMEOUT=4 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA" "${FLAGS[@]}" ${PEER_OPTS:-} \
    -cp jmh/target/benchmarks.jar org.tokenlab.jmh.GemmPeerComparison "${@:-6}" 2>&1 | grep -v '^WARNING'
  echo "# end $(date -u) | load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$TMP"
mv "$TMP" "$OUT"
echo "saved $OUT"
