#!/usr/bin/env bash
# Side-by-side A/B of commits in one JVM (jmh/ab/SideBySide.java says how): each commit's runnable jar is built
# in a temporary git worktree (committed code only, not the working tree), the probes are compiled against the
# first jar, and the probe runs in each build in turn, round after round, the order rotated.
#
#   jmh/ab/run-ab.sh PROBE REV_A REV_B [REV ...]
#   ITERS=8 ROUNDS=14 PROBE_OPTS="-Dprobe.preset=small" jmh/ab/run-ab.sh TrainStepProbe 1cfa990 HEAD
#
# Probes (jmh/ab/probes/): TrainStepProbe (ms per training step; -Dprobe.preset=small|medium, -Dprobe.threads=N),
# AttentionProbe (ms of attention forward and backward at the medium shape), GemmProbe (GFLOP/s on issue 2's 28
# shapes; -Dprobe.threads=N; -Dprobe.bias=true for the Linear forward on its Bᵀ shapes; -Dprobe.shapes=A,B,... for
# chosen shapes), StepGemmProbe (ms per step of one training step's Linear GEMMs as MatmulOps calls them: forward,
# input grads, weight grads, all; -Dprobe.preset, -Dprobe.threads), NormProbe (ms of layer norm forward and backward, 2048 rows; -Dprobe.C, -Dprobe.threads).
# The output, with a header naming the machine and the commits, also goes to jmh/results/ab-PROBE-<stamp>.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if (( $# < 3 )); then sed -n 2,14p "$0" >&2; exit 2; fi
PROBE="$1"; shift
[[ -f "jmh/ab/probes/$PROBE.java" ]] || { echo "run-ab.sh: no probe jmh/ab/probes/$PROBE.java" >&2; exit 2; }
JDK="${TOKENLAB_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JDK/bin/javac" ]] || { echo "run-ab.sh: no JDK 25 at $JDK (set TOKENLAB_JAVA_HOME)" >&2; exit 1; }
WORK="$(mktemp -d)"
cleanup() {
  local w
  for w in "$WORK"/src-*; do [[ -d "$w" ]] && git worktree remove --force "$w"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
JARS=() SHAS=()
for rev in "$@"; do
  sha="$(git rev-parse --verify --quiet --short "$rev^{commit}")" || { echo "run-ab.sh: not a commit: $rev" >&2; exit 2; }
  echo "run-ab.sh: building $rev ($sha) ..." >&2
  git worktree add -q --detach "$WORK/src-$sha" "$sha"
  (cd "$WORK/src-$sha" && JAVA_HOME="$JDK" mvn -B -q -ntp -DskipTests -pl experiments -am package) >&2
  cp "$WORK/src-$sha/experiments/target/tokenlab.jar" "$WORK/$sha.jar"
  JARS+=("$WORK/$sha.jar") SHAS+=("$sha")
done
mkdir -p "$WORK/classes" jmh/results
"$JDK/bin/javac" -nowarn -d "$WORK/classes" -cp "${JARS[0]}" --add-modules jdk.incubator.vector \
  jmh/ab/SideBySide.java jmh/ab/probes/*.java 2>&1 | grep -v 'incubator' >&2 || true
OUT="jmh/results/ab-$PROBE-$(date -u +%Y%m%dT%H%M%SZ).txt"
read -r -a OPTS <<<"${PROBE_OPTS:-}"
{
  echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') | $PROBE ${PROBE_OPTS:-} | commits ${SHAS[*]} | $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs | load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JDK/bin/java" --add-modules jdk.incubator.vector -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0 "${OPTS[@]}" \
    -cp "$WORK/classes" SideBySide "$PROBE" "${ITERS:-8}" "${ROUNDS:-12}" "$WORK/classes" "${JARS[@]}" 2>&1 \
    | grep -v 'WARNING: Using incubator modules'
} | tee "$OUT"
