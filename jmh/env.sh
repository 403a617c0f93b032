# Sourced by jmh's run scripts (run-gemm.sh, run-gemm-forks.sh, run-gemm-peer.sh): strict mode, the repository root
# as the working directory, JAVA (JDK 25: $TOKENLAB_JAVA_HOME, else the Temurin 25 of these machines, else `java`
# on the PATH), the CLI's JVM flags in FLAGS, and build_jmh (packages jmh/target/benchmarks.jar unless SKIP_BUILD is set).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA="${TOKENLAB_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$JAVA" ]] || JAVA=java
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0)
build_jmh() {
  [[ -n "${SKIP_BUILD:-}" ]] || mvn -B -ntp -q -pl jmh -am package -DskipTests
}
