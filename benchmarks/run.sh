#!/usr/bin/env bash
# Runs the Gradbook benchmarks with short settings (about 4 minutes), then the same
# work in PyTorch when a python with torch is found, and prints the tables of README.md.
#
#   benchmarks/run.sh                       everything, short settings
#   benchmarks/run.sh 'MatmulBenchmark'     only what matches (JMH regex); more JMH options may follow,
#                                           e.g. benchmarks/run.sh MatmulBenchmark -p shape=1024
#
# Environment: PYTHON (default python3; several, space-separated, to compare PyTorch builds) runs
# benchmarks/pytorch/*.py, the ratios using the fastest build per row; PEAK_PER_CORE (GFLOP/s) sets
# the peak for "% of peak" (default: what FmaPeakBenchmark measures); OUT (default
# benchmarks/target/results) receives jmh.csv, torch.csv and report.md.
#
# The full suite, with the iterations written in the benchmark classes (3 warm-up and 5 measured
# iterations of 1-2 s each; about 15 minutes), and the bytes allocated per operation from JMH's
# GC profiler:
#   java -jar benchmarks/target/benchmarks.jar -prof gc -rf csv -rff results.csv
# Other useful JMH options: -l (list), -p threads=1 (one parameter value), -prof stack, -h.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
OUT=${OUT:-target/results}
PYTHON=${PYTHON:-python3}
FILTER=${1:-.}
shift || true

if [ ! -f "$JAR" ]; then
  (cd .. && mvn -q package -DskipTests -pl benchmarks -am)
fi
mkdir -p "$OUT"
echo "== load before: $(cat /proc/loadavg 2>/dev/null || uptime)"

# Short settings: 2 warm-up and 3 measured iterations of 1 s, one fork per benchmark.
rm -f "$OUT/jmh.csv"
java -jar "$JAR" "$FILTER" -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc -foe true -rf csv -rff "$OUT/jmh.csv" "$@"

torch_args=()
rm -f "$OUT/torch.csv"
for python in $PYTHON; do
  if "$python" -c 'import torch' 2>/dev/null; then
    for script in matmul mlp_step gpt_step; do
      "$python" pytorch/$script.py --csv "$OUT/torch.csv" --seconds 1
    done
    torch_args=(--torch "$OUT/torch.csv")
  else
    echo "== $python has no torch: no PyTorch numbers from it (see benchmarks/README.md)"
  fi
done
echo "== load after: $(cat /proc/loadavg 2>/dev/null || uptime)"

peak_args=()
if [ -n "${PEAK_PER_CORE:-}" ]; then
  peak_args=(--peak-per-core "$PEAK_PER_CORE")
fi
java -cp "$JAR" dev.gradbook.benchmarks.Report "${torch_args[@]}" "${peak_args[@]}" "$OUT/jmh.csv" \
  | tee "$OUT/report.md"
