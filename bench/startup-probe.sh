#!/usr/bin/env bash
# Measures medic run's start-up by hand: bench/startup-probe.sh [RUNS] [MEDIC...]
#  (a) invocation of `medic run --backoff 0s -- PY -S -I -c 'print(time.time_ns())'` to the child's
#      first Python statement (PY is the real interpreter, not a pyenv shim; its own start, a few
#      milliseconds, is printed as "python alone" for comparison);
#  (b) `medic run -- true`, the whole command.
# With several launchers (e.g. this checkout's bin/medic and an older build's), each run of the
# loop takes them in turn, so that a change of load on the machine touches all alike. Prints the
# medians. Run folders go to a temporary --run-dir that is removed.
set -euo pipefail
runs="${1:-9}"
shift || true
medics=("$@")
if [ ${#medics[@]} -eq 0 ]; then
  medics=("$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/medic")
fi
py="$(python3 -c 'import sys; print(sys.executable)')"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/medic-probe.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e9}'; }

for m in "${!medics[@]}"; do
  # the first run after a build makes the class-data archive in the background: wait for it
  "${medics[$m]}" run --run-dir "$tmp/runs" -- true >/dev/null 2>&1 || true
  home="$(cd -P "$(dirname "${medics[$m]}")/.." && pwd)"
  for _ in $(seq 120); do
    ls "$home"/target/medic-*.jsa >/dev/null 2>&1 && ! ls -d "$home"/target/medic-cds.?????? >/dev/null 2>&1 && break
    sleep 1
  done
  : > "$tmp/a$m"; : > "$tmp/b$m"
done
: > "$tmp/p"
for i in $(seq "$runs"); do
  s=$(now); c=$("$py" -S -I -c 'import time; print(time.time_ns())'); echo $((c - s)) >> "$tmp/p"
  for m in "${!medics[@]}"; do
    s=$(now)
    c=$("${medics[$m]}" run --run-dir "$tmp/runs" --backoff 0s -- "$py" -S -I -c 'import time; print(time.time_ns())' 2>/dev/null \
      | grep -E '^[0-9]{19}$' | head -1)
    echo $((c - s)) >> "$tmp/a$m"
    s=$(now); "${medics[$m]}" run --run-dir "$tmp/runs" -- true >/dev/null 2>&1; e=$(now); echo $((e - s)) >> "$tmp/b$m"
  done
done
echo "python alone, start to first statement: median $(median < "$tmp/p") s (n=$runs)"
for m in "${!medics[@]}"; do
  echo "${medics[$m]}: run start to child's first statement: median $(median < "$tmp/a$m") s (goal <= 0.3);" \
    "run -- true, whole: median $(median < "$tmp/b$m") s (goal <= 0.6)"
done
