#!/usr/bin/env bash
# Measures medic run's start-up by hand: bench/startup-probe.sh [RUNS] [MEDIC]
#  (a) invocation of `medic run --backoff 0s -- PY -S -I -c 'print(time.time_ns())'` to the child's
#      first Python statement (PY is the real interpreter, not a pyenv shim: its own start is ~6 ms,
#      printed as "python alone" for comparison);
#  (b) `medic run -- true`, the whole command.
# Prints each sample and the medians. Run folders go to a temporary --run-dir that is removed.
set -euo pipefail
runs="${1:-9}"
medic="${2:-$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/medic}"
py="$(python3 -c 'import sys; print(sys.executable)')"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/medic-probe.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e9}'; }

"$medic" run --run-dir "$tmp/runs" -- true >/dev/null 2>&1 || true   # warm: jar build, class-data archive
sleep "${PROBE_SETTLE:-0}"
: > "$tmp/a"; : > "$tmp/b"; : > "$tmp/p"
for i in $(seq "$runs"); do
  s=$(now); c=$("$py" -S -I -c 'import time; print(time.time_ns())'); echo $((c - s)) >> "$tmp/p"
  s=$(now)
  c=$("$medic" run --run-dir "$tmp/runs" --backoff 0s -- "$py" -S -I -c 'import time; print(time.time_ns())' 2>/dev/null | grep -E '^[0-9]{19}$' | head -1)
  echo $((c - s)) >> "$tmp/a"
  s=$(now); "$medic" run --run-dir "$tmp/runs" -- true >/dev/null 2>&1; e=$(now); echo $((e - s)) >> "$tmp/b"
  printf 'run %d: child started %.3f s after invocation; `run -- true` %.3f s\n' "$i" \
    "$(tail -1 "$tmp/a" | awk '{print $1/1e9}')" "$(tail -1 "$tmp/b" | awk '{print $1/1e9}')"
done
echo "python alone, start to first statement: median $(median < "$tmp/p") s"
echo "medic run start to child's first statement: median $(median < "$tmp/a") s (goal <= 0.3)"
echo "medic run -- true, whole: median $(median < "$tmp/b") s (goal <= 0.6)"
