#!/usr/bin/env bash
# Against PyTorch in one window: torch_reference.py and our JMH twins, 2 threads twice, then 1 thread.
# Usage: [JAVA=/path/to/bin/java] tools/protocol.sh BENCHMARKS_JAR OUTDIR   (from the repository root, ../shared beside it)
# Each output file starts with the UTC time and the load average; compare only ratios of one run.
set -euo pipefail
jar=$1; out=$2; mkdir -p "$out"
# OpenBLAS's kernels for this CPU: SkylakeX's need AVX-512 (elsewhere they die of an illegal
# instruction); an AVX2 core takes Zen's (AMD) or Haswell's (Intel). OPENBLAS_CORETYPE set outside wins.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then OPENBLAS_CORETYPE=SkylakeX
  elif grep -q AuthenticAMD /proc/cpuinfo; then OPENBLAS_CORETYPE=Zen
  else OPENBLAS_CORETYPE=Haswell; fi
fi
export OPENBLAS_CORETYPE
torch() { /usr/bin/python3 ../shared/bench/torch_reference.py "$1"; }
jmh() {
  "${JAVA:-java}" -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" \
    'Conv4StepBenchmark|TrainingStepBenchmark|InferenceBenchmark' \
    -p threads="$1" -p kernel=vector -p net=demo,conv4 -f 1 -wi 3 -w 2 -i 5 -r 2 2>/dev/null
}
stamp() { echo "# $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"; }
for round in a b; do
  { stamp; torch 2; stamp; } > "$out/torch2-$round.txt"
  { stamp; jmh 2; stamp; } > "$out/jmh2-$round.txt"
done
{ stamp; torch 1; stamp; } > "$out/torch1.txt"
{ stamp; jmh 1; stamp; } > "$out/jmh1.txt"
