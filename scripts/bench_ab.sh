#!/bin/bash
# Old commit against the working tree, end to end, interleaved so the machine's drift hits
# both alike: old 1 worker, new 1 worker, old 2, new 2, repeated.
#
#     scripts/bench_ab.sh OLD_COMMIT [ARTICLES] [REPEATS]
#
# The old code runs from a `git archive` export on PYTHONPATH (Dask's spawned workers inherit
# it); both use this checkout's .venv and scripts/bench_batch.py. One JSON line per run.
set -euo pipefail
old=${1:?usage: scripts/bench_ab.sh OLD_COMMIT [ARTICLES] [REPEATS]}
articles=${2:-2000}
repeats=${3:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$old" src | tar -x -C "$tmp"
cd "$root"
for rep in $(seq "$repeats"); do
  for workers in 1 2; do
    for code in old new; do
      if [ "$code" = old ]; then export PYTHONPATH="$tmp/src"; else unset PYTHONPATH; fi
      line=$(.venv/bin/python scripts/bench_batch.py --articles "$articles" --workers "$workers" \
        --profile 0 | grep '^{')
      echo "{\"code\": \"$code\", \"repeat\": $rep, \"run\": $line}"
    done
  done
done
