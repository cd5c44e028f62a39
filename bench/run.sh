#!/usr/bin/env bash
# Runs Medic's benchmark harness: bench/run.sh [--quick]. Not part of `mvn verify` or CI.
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [ ! -f target/medic.jar ]; then
  echo "bench: building target/medic.jar (mvn package) ..." >&2
  mvn -B -q -DskipTests package >&2
fi

rm -rf target/bench-classes
mapfile -t sources < <(find bench/src -name '*.java')
javac --release 17 -cp target/medic.jar -d target/bench-classes "${sources[@]}"

exec java -cp target/medic.jar:target/bench-classes dev.medic.bench.Bench "$@"
