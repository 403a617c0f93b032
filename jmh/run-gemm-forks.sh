#!/usr/bin/env bash
# SimdBackend against OpenBLAS in separate JMH forks, one pair of forks per (threads, shape): each library alone
# in its JVM, as JMH measures it. The second reading of issue 2's table; the verdict is jmh/run-gemm-peer.sh's,
# where both libraries share the same seconds (a pair's two forks here fall in two different 7-second windows of
# a host whose speed moves by 20-40 % between phases; docs/performance.md section 2).
# Prints a markdown table and appends the raw lines to jmh/results/forks-<stamp>.txt.
#
#   jmh/run-gemm-forks.sh                      # 1024³ and the 27 transformer shapes, 1 and 2 threads (~20 min)
#   jmh/run-gemm-forks.sh 1024 2048x512x512T   # chosen shapes (suffix T: Bᵀ, A: Aᵀ)
#   THREADS=1 SKIP_BUILD=1 jmh/run-gemm-forks.sh ...
#   ROUNDS=3 jmh/run-gemm-forks.sh            # 3 pairs of forks per row, alternating which library goes first;
#                                              # the table gives each library's median over the rounds
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
build_jmh
SHAPES=("$@")
if [[ ${#SHAPES[@]} -eq 0 ]]; then
  # 1024³, then for C = 128, 256, 512 (B·T = 2048) the Linear layers C → 4C, C → C, 4C → C:
  # forward Y = X·Wᵀ (T), input gradient dX = dY·W, weight gradient dW = dYᵀ·X (A)
  SHAPES=(1024
    2048x512x128T 2048x128x128T 2048x128x512T 2048x128x512 2048x128x128 2048x512x128 512x128x2048A 128x128x2048A 128x512x2048A
    2048x1024x256T 2048x256x256T 2048x256x1024T 2048x256x1024 2048x256x256 2048x1024x256 1024x256x2048A 256x256x2048A 256x1024x2048A
    2048x2048x512T 2048x512x512T 2048x512x2048T 2048x512x2048 2048x512x512 2048x2048x512 2048x512x2048A 512x512x2048A 512x2048x2048A)
fi
# 4 warm-up iterations: with both CPUs running the benchmark's two threads, C2's compiler threads get little
# CPU, and a SimdBackend fork's first measured second at two threads ran a third slower than its later ones
# (2048x512x128T: 386 against 550-600 calls/s); OpenBLAS needs no warm-up. Sessions 3 and 5 ran WI=1.
ITER=(-wi "${WI:-4}" -i "${I:-3}" -w 1 -r 1 -f 1)
FLAGS+=(-Djmh.ignoreLock=true)
OUT="$ROOT/jmh/results"
mkdir -p "$OUT"
RAW="$OUT/forks-$(date -u +%Y%m%dT%H%M%SZ).txt"
# GFLOP/s and its JMH error (99.9 %) from the flop counter line of one fork
flops() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA" "${FLAGS[@]}" -jar jmh/target/benchmarks.jar "$@" "${ITER[@]}" 2>/dev/null \
  | awk '/^(Gemm|OpenBlasGemm)Benchmark\.sgemm:flop/ { if ($(NF-2) == "±") printf "%.1f %.1f", $(NF-3) / 1e9, $(NF-1) / 1e9; else printf "%.1f nan", $(NF-1) / 1e9 }'; }
echo "# $(date -u) | $(lscpu | sed -n 's/^Model name: *//p') | $(nproc) CPUs | load $(cut -d' ' -f1-3 /proc/loadavg) | $(git rev-parse --short HEAD) | ${ITER[*]}" | tee -a "$RAW"
echo "| shape (M×N×K) | threads | SimdBackend GFLOP/s | OpenBLAS GFLOP/s | ratio | load (1 min) |"
echo "|---|---|---|---|---|---|"
ROUNDS="${ROUNDS:-1}"
# the median of the numbers given (the mean of the two middle ones for an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for T in ${THREADS:-1 2}; do
  for S in "${SHAPES[@]}"; do
    L0=$(cut -d' ' -f1 /proc/loadavg)
    simd=(); blas=()
    for ((r = 1; r <= ROUNDS; r++)); do
      # odd rounds run SimdBackend first, even rounds OpenBLAS first, so drifting load hits both alike
      for who in $( ((r % 2)) && echo "simd blas" || echo "blas simd"); do
        if [[ $who == simd ]]; then
          read -r s se <<< "$(flops '\.GemmBenchmark\.sgemm$' -p impl=simd -p threads="$T" -p shape="$S")"
        else
          read -r o oe <<< "$(flops '\.OpenBlasGemmBenchmark\.sgemm$' -p threads="$T" -p shape="$S")"
        fi
      done
      echo "$S $T round $r simd $s $se blas $o $oe load $L0" >> "$RAW"
      simd+=("$s"); blas+=("$o")
    done
    ms=$(median "${simd[@]}"); mo=$(median "${blas[@]}")
    if ((ROUNDS == 1)); then
      cell_s="$s ± $se"; cell_o="$o ± $oe"
    else
      cell_s="$ms (${simd[*]})"; cell_o="$mo (${blas[*]})"
    fi
    echo "| $S | $T | $cell_s | $cell_o | $(awk -v a="$ms" -v b="$mo" 'BEGIN { printf "%.2f", a / b }') | $L0 |"
  done
done
echo "# end $(date -u) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RAW"
