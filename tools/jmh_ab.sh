#!/usr/bin/env bash
# A/B of two or more benchmark jars on a shared, noisy machine: the jars run in turn, ROUNDS
# times (A B A B ...), each a short JMH run, so slow spells of the machine fall on all of them;
# then the median and the best one-second iteration of each jar, per benchmark and parameters.
#
#   tools/jmh_ab.sh ROUNDS REGEX "JMH OPTIONS" old.jar new.jar [more.jar ...]
#   tools/jmh_ab.sh 3 InferenceBenchmark "-p kernel=vector" /tmp/before.jar /tmp/after.jar
#
# Make each jar with `./mvnw -B -q -o package -pl benchmarks -am -DskipTests` on the commit to
# compare and copy benchmarks/target/benchmarks.jar away (a git worktree keeps the old commit).
set -euo pipefail
if [ $# -lt 5 ]; then
    sed -n '2,10p' "$0" >&2
    exit 2
fi
rounds=$1 regex=$2 options=$3
shift 3
out=$(mktemp -d)
for r in $(seq "$rounds"); do
    i=0
    for jar in "$@"; do
        i=$((i + 1))
        # shellcheck disable=SC2086  # the options are meant to split into words
        java -Djmh.ignoreLock=true -jar "$jar" "$regex" -f 1 -wi 2 -w 1 -i 4 -r 1 $options \
            -rf json -rff "$out/$i-$r.json" > "$out/$i-$r.log" 2>&1 \
            || { echo "jmh failed for $jar; its log: $out/$i-$r.log" >&2; exit 1; }
    done
done
python3 - "$out" "$rounds" "$@" <<'EOF'
import json, os, statistics, sys
out, rounds, jars = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = {}
for i, jar in enumerate(jars, 1):
    for r in range(1, rounds + 1):
        for b in json.load(open(os.path.join(out, f"{i}-{r}.json"))):
            key = (b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1],
                   " ".join(f"{k}={v}" for k, v in sorted(b.get("params", {}).items())),
                   b["primaryMetric"]["scoreUnit"], b["mode"])
            values = [x for it in b["primaryMetric"]["rawData"] for x in it]
            rows.setdefault(key, {}).setdefault(jar, []).extend(values)
for (bench, params, unit, mode), per_jar in rows.items():
    best = max if mode == "thrpt" else min
    print(f"{bench} {params} ({unit})")
    base = None
    for jar in jars:
        v = per_jar.get(jar, [])
        if not v:
            continue
        med = statistics.median(v)
        base = base or med
        print(f"    {os.path.basename(jar):28s} median {med:10.1f}  best {best(v):10.1f}  "
              f"n={len(v):3d}  ratio {med / base:5.2f}")
EOF
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
