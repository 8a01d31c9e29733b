#!/usr/bin/env bash
# Runs the NumPy, PyTorch and Numba versions side by side, interleaved (repetition r of every script before
# repetition r+1 of any), and prints each report line with the load before the run (`uptime`).
# Usage: src/bench/python/bench_all.sh [REPS] [N:ITERATIONS ...] [-- extra options for every script]
#   default: 2 repetitions of 1e5:20 and 1e6:6
# Environment: PY (default /work/bench-venv/bin/python), SCRIPTS (default "numpy torch numba").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${PY:-/work/bench-venv/bin/python}"
scripts="${SCRIPTS:-numpy torch numba}"
reps="${1:-2}"; shift || true
sizes=(); extra=()
while (($#)); do
  if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
  sizes+=("$1"); shift
done
((${#sizes[@]})) || sizes=(1e5:20 1e6:6)
for size in "${sizes[@]}"; do
  n=${size%%:*}; k=${size##*:}
  for ((r = 1; r <= reps; r++)); do
    for s in $scripts; do
      load_before=$(uptime | sed 's/.*load average: //')
      line=$("$py" "$here/meanfield_$s.py" "$n" "$k" ${extra[@]+"${extra[@]}"} | tail -n 1)
      echo "$line load_before=[${load_before// /}] rep=$r"
    done
  done
done
