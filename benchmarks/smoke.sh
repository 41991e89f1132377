#!/usr/bin/env bash
# CI smoke run: every JMH benchmark for one short iteration at its smallest parameters, so the
# benchmarks keep compiling and running (each one also checks its own results at setup). Takes
# about a minute; exits non-zero if any benchmark fails or is missing from the results. Numbers
# from this run mean nothing; benchmarks/run.sh measures.
#
#   benchmarks/smoke.sh           (builds benchmarks/target/benchmarks.jar first if it is missing)
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  (cd .. && mvn -q package -DskipTests -pl benchmarks -am)
fi
RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT

# -foe true: stop with a non-zero exit at the first benchmark that throws
java -jar "$JAR" -f 1 -wi 0 -i 1 -r 100ms -foe true -p shape=64 -p threads=1 \
  -rf csv -rff "$RESULTS/smoke.csv"

expected=$(java -jar "$JAR" -l | grep -c '^dev\.gradbook\.benchmarks\.')
measured=$(grep -o '^"dev\.gradbook\.benchmarks\.[A-Za-z]*\.[A-Za-z]*"' "$RESULTS/smoke.csv" | sort -u | wc -l)
if [ "$measured" -ne "$expected" ]; then
  echo "benchmarks: $measured passed, $((expected - measured)) failed" >&2
  exit 1
fi
echo "benchmarks: $expected passed, 0 failed"
