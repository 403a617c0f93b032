#!/usr/bin/env bash
# Prepares, on this (CPU) machine, everything the device check needs on the lent GPU machine, which
# has no Java, no Maven and no network:
#   build/device/jre/   a jlink'd JDK 25 runtime (java.base, java.logging, jdk.incubator.vector,
#                       jdk.unsupported, jdk.zipfs for JUnit's jar scanning, java.management and
#                       jdk.management for `tokenlab bench`'s process CPU time, jdk.jfr for the
#                       device check's host profile), libjvm's symbol table
#                       stripped when `strip` exists (about 5 MB). Not java.desktop: it would add
#                       20 MB, over the carry limit, so `tokenlab run` there writes its reports
#                       with a note in place of each figure (the data stays in results.json)
#   build/device/lib/   tokenlab.jar (the runnable jar: every module, Jackson, picocli), cuda-ffm's
#                       test classes as a jar, and JUnit's console launcher
# build/ is git-ignored; the whole folder must stay under 64 MiB (the device tool's carry limit).
# Then it checks the bundle here: the runtime starts, CudaInfo runs discovery (NO_DRIVER on a
# machine without a driver), the module's tests run through the console launcher (GPU ones skip),
# `tokenlab bench` trains a tiny GPT for one step on the CPU, and the six experiments run in the smoke
# profile (about 20 s: it finds a module the runtime lacks, as java.desktop once was, before the device does).
# Usage: cuda-ffm/prepare-device-bundle.sh        (then: run the device tool with carry ["build/device"])
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JDK="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JDK/bin/jlink" ]] || { echo "prepare-device-bundle: no JDK 25 with jlink at $JDK (set JDK25)" >&2; exit 1; }
BUNDLE="$ROOT/build/device"
JUNIT_CONSOLE="org.junit.platform:junit-platform-console-standalone:1.14.1"   # matches JUnit 5.14.1
LIMIT=$((64 * 1024 * 1024))

rm -rf "$BUNDLE.tmp"
mkdir -p "$BUNDLE.tmp/lib"
echo "== build (mvn package of the runnable jar and its modules; tests compiled, not run)"
mvn -B -ntp -q -pl experiments,cuda-ffm -am package -DskipTests
mvn -B -ntp -q -N dependency:copy -Dartifact="$JUNIT_CONSOLE" -DoutputDirectory="$BUNDLE.tmp/lib"
cp experiments/target/tokenlab.jar "$BUNDLE.tmp/lib/"
"$JDK/bin/jar" --create --file "$BUNDLE.tmp/lib/tokenlab-cuda-ffm-tests.jar" -C cuda-ffm/target/test-classes .
# The GPT-on-CUDA test lives in experiments (cuda-ffm may import only tensor); only its gpu package travels.
mvn -B -ntp -q -pl experiments -am test-compile
"$JDK/bin/jar" --create --file "$BUNDLE.tmp/lib/tokenlab-gpu-tests.jar" -C experiments/target/test-classes org/tokenlab/experiments/gpu

echo "== jlink"
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.jfr,jdk.zipfs,jdk.incubator.vector,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$BUNDLE.tmp/jre"
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded "$BUNDLE.tmp/jre/lib/server/libjvm.so"
fi

rm -rf "$BUNDLE"
mv "$BUNDLE.tmp" "$BUNDLE"
SIZE=$(du -sb "$BUNDLE" | cut -f1)
echo "== bundle: $BUNDLE, $((SIZE / 1024 / 1024)) MiB"
ls -la "$BUNDLE/lib"
if (( SIZE > LIMIT )); then
  echo "prepare-device-bundle: bundle is $SIZE bytes, over the 64 MiB carry limit" >&2
  exit 1
fi

echo "== smoke test with the jlink'd runtime"
CP="$BUNDLE/lib/tokenlab.jar:$BUNDLE/lib/tokenlab-cuda-ffm-tests.jar:$BUNDLE/lib/tokenlab-gpu-tests.jar"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
quiet() { grep -v 'WARNING: Using incubator modules'; }
"$BUNDLE/jre/bin/java" "${FLAGS[@]}" -cp "$CP" org.tokenlab.cuda.CudaInfo --json "$ROOT/build/cuda-info-here.json" 2>&1 | quiet
(cd cuda-ffm && "$BUNDLE/jre/bin/java" "${FLAGS[@]}" -jar "$BUNDLE"/lib/junit-platform-console-standalone-*.jar \
    execute --class-path "$CP" --select-package org.tokenlab.cuda --exclude-classname '.*KernelRebuildTest' \
    --details=summary --disable-banner --disable-ansi-colors 2>&1 | quiet | tail -8)
"$BUNDLE/jre/bin/java" "${FLAGS[@]}" -jar "$BUNDLE/lib/tokenlab.jar" bench --preset tiny --backend scalar \
    --warmup 0 --steps 1 2>&1 | quiet | tail -2
SMOKE="$(mktemp -d)"
"$BUNDLE/jre/bin/java" "${FLAGS[@]}" -jar "$BUNDLE/lib/tokenlab.jar" run all --profile smoke --out "$SMOKE/run" 2>&1 \
    | quiet | grep -E "completed:|failed to run|Exception|Error|^tokenlab:" | tail -8
grep -E "^Over " "$SMOKE/run/summary.md" || { echo "prepare-device-bundle: the smoke run wrote no summary" >&2; exit 1; }
rm -rf "$SMOKE"
echo "prepare-device-bundle: ready; on the device run: bash cuda-ffm/device-check.sh  (carry: build/device)"
