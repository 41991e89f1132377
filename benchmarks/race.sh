#!/usr/bin/env bash
# The race (issue 15): nanoGPT's documented CPU run of train_shakespeare_char, trained by Gradbook
# (dev.gradbook.benchmarks.Race) and, when python3 can import torch, by PyTorch
# (benchmarks/pytorch/race.py), one after the other on the same machine. Prints the machine (CPU
# model, FMA units, load), each side's line (ms per iteration, CPU ms per iteration, final train and
# validation loss, peak RSS, the BLAS kernel PyTorch used), and the ratios.
#
#   benchmarks/race.sh                    # 2000 iterations, Gradbook on all cores, PyTorch on 1 and on all
#   ITERS=300 benchmarks/race.sh          # fewer iterations: timings only (the losses are not comparable)
#   CORETYPE=SkylakeX benchmarks/race.sh  # which OpenBLAS kernel PyTorch uses (default: Zen on AMD, SkylakeX on Intel)
#   PYTHON=/path/to/venv/bin/python benchmarks/race.sh   # another PyTorch (default: the first of python3 and
#                                         # /usr/bin/python3 that can import torch)
#
# On a loaded machine the wall times (ms/iter) are inflated; the CPU times are not, as long as the
# process is not starved. Run it on a quiet machine for the figures in benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERS=${ITERS:-2000}
CORES=$(nproc)
JAR=benchmarks/target/benchmarks.jar
if [ ! -f "$JAR" ]; then
  mvn -q -o -DskipTests package -pl benchmarks -am
fi

vendor=$(awk -F': ' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo)
family=$(awk -F': ' '/^cpu family/ {print $2; exit}' /proc/cpuinfo)
model=$(awk -F': ' '/^model\t/ {print $2; exit}' /proc/cpuinfo)
name=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
avx512=$(grep -q ' avx512f ' /proc/cpuinfo && echo yes || echo no)
case "$vendor/$family" in
  AuthenticAMD/25) fma="one 512-bit FMA per cycle (Zen 4 executes it as two 256-bit halves)"; default_core=Zen ;;
  AuthenticAMD/26) fma="two 512-bit FMA units (Zen 5)"; default_core=Zen ;;
  AuthenticAMD/*) fma="two 256-bit FMA units"; default_core=Zen ;;
  GenuineIntel/*) if [ "$avx512" = yes ]; then fma="AVX-512: two 512-bit FMA units on most Xeon Gold/Platinum, one on Silver/Bronze"; default_core=SkylakeX
                  else fma="two 256-bit FMA units"; default_core=Haswell; fi ;;
  *) fma="unknown"; default_core="" ;;
esac
CORETYPE=${CORETYPE:-$default_core}
echo "machine: $name (vendor $vendor, family $family, model $model), $CORES cores, AVX-512 $avx512; $fma"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run: $ITERS iterations of nanoGPT's CPU train_shakespeare_char config"

gradbook=$(java --add-modules jdk.incubator.vector -Dgradbook.quiet=true -cp "$JAR" dev.gradbook.benchmarks.Race \
  --iters "$ITERS" --threads "$CORES" 2>/dev/null | grep '^race')
echo "$gradbook"

torch_lines=()
if [ -z "${PYTHON:-}" ]; then
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import torch' 2>/dev/null; then PYTHON=$candidate; break; fi
  done
fi
if [ -n "${PYTHON:-}" ]; then
  for t in 1 "$CORES"; do
    line=$(OPENBLAS_CORETYPE=$CORETYPE "$PYTHON" benchmarks/pytorch/race.py --iters "$ITERS" --threads "$t" | grep '^race')
    echo "$line"
    torch_lines+=("$line")
  done
else
  echo "race pytorch: skipped (neither python3 nor /usr/bin/python3 can import torch; on Debian: apt-get install python3-torch libopenblas0-openmp)"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { sed -n "s/.*$2 \([0-9.]*\).*/\1/p" <<<"$1"; }
if [ ${#torch_lines[@]} -gt 0 ]; then
  g_ms=$(field "$gradbook" ', ms\/iter'); g_cpu=$(field "$gradbook" 'cpu ms\/iter'); g_val=$(field "$gradbook" 'val')
  best=""; best_ms=""
  for line in "${torch_lines[@]}"; do
    ms=$(field "$line" ', ms\/iter')
    if [ -z "$best_ms" ] || awk "BEGIN {exit !($ms < $best_ms)}"; then best=$line; best_ms=$ms; fi
  done
  t_val=$(field "$best" 'val'); t_threads=$(field "$best" 'threads'); t_cpu=$(field "$best" 'cpu ms\/iter')
  awk -v g="$g_ms" -v t="$best_ms" -v gv="$g_val" -v tv="$t_val" -v tt="$t_threads" -v gc="$g_cpu" -v tc="$t_cpu" 'BEGIN {
    printf "ratio: Gradbook %.1f ms/iter vs PyTorch at its best (%d thread(s)) %.1f ms/iter = %.2fx (goal <= 1.0x, stretch 0.7x)\n", g, tt, t, g / t
    printf "CPU time ratio (fairer on a loaded machine): %.1f vs %.1f CPU ms/iter = %.2fx\n", gc, tc, gc / tc
    printf "validation loss: Gradbook %.3f vs PyTorch %.3f, difference %+.3f (goal within 0.03)\n", gv, tv, gv - tv }'
fi
