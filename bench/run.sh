#!/usr/bin/env bash
# Runs Medic's benchmark harness: bench/run.sh [--quick] [--big-replay] [--startup]. Not part of `mvn verify` or CI.
set -euo pipefail
repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# as bin/medic does: a jar older than the sources would measure code that is not there any more
if [ ! -f target/medic.jar ] || [ -n "$(find src/main pom.xml -newer target/medic.jar -print -quit 2>/dev/null)" ]; then
  echo "bench: building target/medic.jar (mvn package) ..." >&2
  mvn -B -q -DskipTests package >&2
fi

# The harness runs a snapshot of the jar: a `mvn package` while it runs (in this checkout) would
# otherwise rewrite the jar under the harness's JVM and the medic processes it starts. The copy is
# taken again until it is a whole, readable zip (a copy taken mid-write is not). Around it is a
# medic home as bin/medic expects one (bin/, target/medic.jar, rules/, catalog/) but without
# sources, so the launcher runs the snapshot as it is, and makes its class-data archive there.
snapshot="$(mktemp -d "${TMPDIR:-/tmp}/medic-bench-home.XXXXXX")"
trap 'rm -rf "$snapshot"' EXIT
mkdir -p "$snapshot/bin" "$snapshot/target"
cp bin/medic "$snapshot/bin/medic"
cp -R rules catalog "$snapshot/"
for try in 1 2 3 4 5 6 7 8 9 10; do
  cp target/medic.jar "$snapshot/target/medic.jar"
  if unzip -tqq "$snapshot/target/medic.jar" >/dev/null 2>&1; then
    break
  fi
  if [ "$try" = 10 ]; then
    echo "bench: target/medic.jar is not a readable jar (is a build writing it?)" >&2
    exit 2
  fi
  sleep 3
done
jar="$snapshot/target/medic.jar"

rm -rf target/bench-classes
mapfile -t sources < <(find bench/src -name '*.java')
javac --release 17 -cp "$jar" -d target/bench-classes "${sources[@]}"

java -Dbench.jar="$jar" -Dbench.home="$snapshot" -cp "$jar":target/bench-classes dev.medic.bench.Bench "$@"
