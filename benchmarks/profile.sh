#!/usr/bin/env bash
# Profiles one benchmark with Java Flight Recorder and prints where the time goes: the methods
# most often on top of the stack ("self") and most often anywhere on it ("total"), as a share of
# the execution samples taken while the benchmark was measured (warm-up is left out). "Self"
# counts a sample for the innermost Gradbook method on the stack, so that the Vector API and JDK
# methods inlined into it (FloatVector.fma, Objects.checkIndex, ...) count as its own time; a
# sample with no Gradbook method counts for its top frame.
#
#   benchmarks/profile.sh 'GptStepBenchmark' -p threads=1
#   benchmarks/profile.sh 'MlpStepBenchmark.gradbook' -p threads=1
#   TOP=40 benchmarks/profile.sh 'MatmulBenchmark.simdOneThread' -p shape=1024
#   benchmarks/profile.sh race --iters 600      # the race's training loop (Race), after 10 s of warm-up
#
# Leaves the recording in benchmarks/target/profile.jfr for JDK Mission Control or `jfr print`.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
JFR=$PWD/target/profile.jfr
TOP=${TOP:-25}
if [ $# -lt 1 ]; then
  echo "usage: benchmarks/profile.sh BENCHMARK_REGEX [JMH options]" >&2
  exit 2
fi
if [ ! -f "$JAR" ]; then
  (cd .. && mvn -q package -DskipTests -pl benchmarks -am)
fi
rm -f "$JFR"
JFR_FLAGS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=delay=10s,settings=profile,filename=$JFR"
if [ "$1" = race ]; then
  shift
  (cd .. && java --add-modules jdk.incubator.vector -Dgradbook.quiet=true $JFR_FLAGS \
    -cp benchmarks/$JAR dev.gradbook.benchmarks.Race "$@")
else
  # 3 warm-up iterations of 2 s (plus JVM start and setup) fit in the 10 s before the recording starts;
  # -jvmArgsAppend keeps the Vector API flag, which the benchmarks pass with jvmArgsPrepend.
  # DebugNonSafepoints: without it JFR charges a sample inside an inlined loop to the next point with
  # debug information (often a caller or callee of the loop), and the top methods are misattributed.
  java -jar "$JAR" "$@" -f 1 -wi 3 -w 2s -i 10 -r 2s -jvmArgsAppend "$JFR_FLAGS"
fi

jfr print --events jdk.ExecutionSample --stack-depth 256 "$JFR" | awk -v top="$TOP" '
  function method(frame) { sub(/^ +/, "", frame); sub(/\(.*$/, "", frame); return frame }
  /^jdk.ExecutionSample/ { inStack = 0; first = ""; own = ""; delete seen; next }
  /stackTrace = \[/      { inStack = 1; samples++; next }
  inStack && /^ *\]/     { inStack = 0; self[own != "" ? own : first]++; next }
  inStack && !/^ *\.\.\./ {
    m = method($0)
    if (first == "") first = m
    if (own == "" && m ~ /^dev\.gradbook\./) own = m
    # the harness and thread-pool frames under every sample say nothing
    if (!(m in seen) && m !~ /^(org\.openjdk\.jmh|jdk\.internal\.reflect|java\.lang\.reflect|java\.util\.concurrent|java\.lang\.Thread\.run)|jmh_generated/) {
      seen[m] = 1; total[m]++
    }
  }
  END {
    printf "%d execution samples while measuring\n\n", samples
    printf "self %%   method (innermost Gradbook method on the stack)\n"
    for (m in self) printf "%6.1f   %s\n", 100 * self[m] / samples, m | "sort -rn | head -" top
    close("sort -rn | head -" top)
    printf "\ntotal %%  method (anywhere on the stack)\n"
    for (m in total) printf "%6.1f   %s\n", 100 * total[m] / samples, m | "sort -rn | head -" top
    close("sort -rn | head -" top)
  }'
