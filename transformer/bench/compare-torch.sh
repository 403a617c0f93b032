#!/usr/bin/env bash
# TokenLab's training step against PyTorch's, side by side: for every (preset, threads) pair, ROUNDS rounds
# of one `tokenlab bench` run and one `torch_gpt_bench.py` run, alternating which goes first, then a table of
# the medians and the median of the per-round ratios. Background load that drifts over minutes then hits both
# sides alike; one run of each, minutes apart, does not compare (docs/performance.md §1 and §3).
#
# usage: transformer/bench/compare-torch.sh            (ROUNDS=3 PRESETS="small medium" THREADS="1 2")
#        ROUNDS=5 PRESETS=medium THREADS=2 transformer/bench/compare-torch.sh
# needs: a Python 3 with torch (PYTHON=..., else the first of /usr/bin/python3 and python3 that imports it).
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
PRESETS=${PRESETS:-"small medium"}
THREADS=${THREADS:-"1 2"}

if [[ -z "${PYTHON:-}" ]]; then
  for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import torch' 2>/dev/null; then PYTHON=$p; break; fi
  done
fi
if [[ -z "${PYTHON:-}" ]] || ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "compare-torch.sh: no Python with torch found (tried /usr/bin/python3, python3; set PYTHON=...)." >&2
  echo "  On Debian: apt-get install python3-torch libopenblas0-openmp" >&2
  exit 2
fi
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "compare-torch.sh: ROUNDS must be a positive integer, got '$ROUNDS'" >&2; exit 2; }
for preset in $PRESETS; do
  [[ "$preset" == small || "$preset" == medium ]] || { echo "compare-torch.sh: PRESETS: unknown preset '$preset' (small, medium)" >&2; exit 2; }
done
for t in $THREADS; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || { echo "compare-torch.sh: THREADS must be positive integers, got '$t'" >&2; exit 2; }
done

# TokenLab warm-up and timed steps, then PyTorch's. The JIT needs more warm-up than PyTorch: in JFR profiles of the
# small preset on the Xeon (session 13) the Vector API's Java fallbacks (code C2 has not compiled yet) were still
# sampled between steps 20 and 48, and 20 warm-up steps against 60 gave 0.96, 1.18, 1.09, 1.14 of the tokens/s
# in alternating runs; medium's last fallback frames were at step 5. About 10 s of warm-up for both.
steps() {
  if [[ $1 == small ]]; then echo "60 20 5 20"; else echo "12 8 3 8"; fi
}
tokenlab_run() { ./tokenlab bench --preset "$1" --threads "$2" --warmup "$3" --steps "$4" 2>&1 | grep '^bench' || true; }
# OpenBLAS's kernel for PyTorch. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when the environment sets them, force slower
# kernels, so both are unset; where Debian's OpenBLAS would then fall back to its SSE3 kernels on an AVX-512 CPU,
# torch_gpt_bench.py chooses SkylakeX's itself (openblas_core.py; TORCH_OPENBLAS_CORETYPE=NAME chooses another).
torch_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
torch_core() { "${torch_env[@]}" "$PYTHON" transformer/bench/openblas_core.py; }
torch_run() { "${torch_env[@]}" "$PYTHON" transformer/bench/torch_gpt_bench.py \
  --preset "$1" --threads "$2" --warmup "$3" --steps "$4" 2>&1 | grep '^torch' || true; }
toks() { sed -n 's/.*| \([0-9][0-9]*\) tok\/s |.*/\1/p' <<<"$1"; }
# the bare FMA rate TokenLab's run saw before/after its timed steps (GFLOP/s, one thread): a contended core shows here
fma() { sed -n 's/.*| FMA \([0-9][0-9]*\/[0-9][0-9]*\) GFLOP\/s.*/\1/p' <<<"$1"; }

# build the jar now, not inside the first timed round; show the build's output only when it fails
if ! build=$(./tokenlab info 2>&1); then echo "$build" >&2; exit 1; fi
echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') | $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs | load $(cut -d' ' -f1-3 /proc/loadavg) | $("$PYTHON" -c 'import torch; print("torch", torch.__version__)') on OpenBLAS core $(torch_core)"
# the median of the numbers given (the mean of the two middle ones for an even count), as in jmh/run-gemm-forks.sh
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
table=()
for preset in $PRESETS; do
  read -r tw ts pw ps <<<"$(steps "$preset")"
  for t in $THREADS; do
    ours=(); theirs=(); ratios=()
    for r in $(seq "$ROUNDS"); do
      if (( r % 2 )); then a=$(tokenlab_run "$preset" "$t" "$tw" "$ts"); b=$(torch_run "$preset" "$t" "$pw" "$ps")
      else b=$(torch_run "$preset" "$t" "$pw" "$ps"); a=$(tokenlab_run "$preset" "$t" "$tw" "$ts"); fi
      ta=$(toks "$a"); tb=$(toks "$b")
      if [[ -z "$ta" || -z "$tb" ]]; then
        echo "compare-torch.sh: a run printed no tokens/s ($preset, $t threads, round $r): '$a' / '$b'" >&2; exit 1
      fi
      ours+=("$ta"); theirs+=("$tb"); ratios+=("$(ratio "$ta" "$tb")")
      echo "round $r $preset threads $t: tokenlab $ta tok/s, torch $tb tok/s, ratio $(printf '%.2f' "${ratios[-1]}") | load $(cut -d' ' -f1 /proc/loadavg) | FMA $(fma "$a")"
    done
    table+=("$(printf '| %s | %s | %.0f | %.0f | %.2f× | %d |' "$preset" "$t" "$(median "${ours[@]}")" \
      "$(median "${theirs[@]}")" "$(median "${ratios[@]}")" "$ROUNDS")")
  done
done
echo
echo "| preset | threads | TokenLab tok/s (median) | PyTorch tok/s (median) | ratio (median of rounds) | rounds |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${table[@]}"
