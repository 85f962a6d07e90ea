#!/usr/bin/env bash
# The faces tutorial (docs/faces-tutorial.md) with other training seeds: how many of the 10
# colleague photos are named (and misnamed) and how many of the 10 strangers come out UNKNOWN —
# the spread FacesTutorialTest's bounds must leave room for.
#
#   tools/tutorial_seeds.sh "SEEDS" [JAVA OPTIONS...]
#   tools/tutorial_seeds.sh "1 2 3"                          # as shipped
#   tools/tutorial_seeds.sh "1 2 3" -Doneshot.winograd=false # the direct convolution arithmetic
#
# Needs app/target/oneshot.jar (./mvnw -B -o install -DskipTests) and ../shared beside the repo.
set -euo pipefail
seeds=$1
shift
zip=../shared/data/orl-faces/orl_faces_png.zip
for seed in $seeds; do
    dir=$(mktemp -d)
    java --add-modules jdk.incubator.vector "$@" -cp app/target/oneshot.jar dev.oneshot.app.cli.Main \
        train --data "orl:$zip:people=1-24" --out "$dir" --seed "$seed" > /dev/null
    java --add-modules jdk.incubator.vector "$@" -cp app/target/oneshot.jar dev.oneshot.app.cli.Main \
        calibrate --model "$dir/model.safetensors" --data "orl:$zip:people=25-30" --criterion far:0.001 \
        --write-tau > /dev/null
    for p in 31 32 33 34 35; do
        java --add-modules jdk.incubator.vector "$@" -cp app/target/oneshot.jar dev.oneshot.app.cli.Main \
            enroll --model "$dir/model.safetensors" --gallery "$dir/g.safetensors" --id "s$p" \
            "$zip/orl_faces_png/s$p/1.png" > /dev/null
    done
    images=()
    for p in $(seq 31 40); do
        for i in $([ "$p" -le 35 ] && echo "2 6" || echo "1 6"); do
            images+=("$zip/orl_faces_png/s$p/$i.png")
        done
    done
    java --add-modules jdk.incubator.vector "$@" -cp app/target/oneshot.jar dev.oneshot.app.cli.Main \
        identify --model "$dir/model.safetensors" --gallery "$dir/g.safetensors" --json "${images[@]}" \
        | python3 -c '
import json, re, sys
named = misnamed = rejected = 0
for r in json.load(sys.stdin)["results"]:
    person = int(re.search(r"/s(\d+)/", r["image"]).group(1))
    if person <= 35:
        named += r["identity"] == "s%d" % person
        misnamed += r["identity"] not in (None, "s%d" % person)
    else:
        rejected += r["identity"] is None
print("seed '"$seed"': %d of 10 colleagues named, %d misnamed, %d of 10 strangers UNKNOWN" % (named, misnamed, rejected))'
    rm -rf "$dir"
done
