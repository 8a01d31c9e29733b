#!/usr/bin/env bash
# Produces the notebooks' inputs with SMALL settings and executes every notebook headless (nbclient, Debian's
# Jupyter packages). Works from any directory; fails if a study or a notebook fails.
#   bash notebooks/run-all.sh
# Inputs go to notebooks/out/data/<study>/ (study directories, recreated on every run unless
# PGFLOW_KEEP_DATA=1, which resumes them: finished cells are skipped), executed notebooks to
# notebooks/out/NAME.ipynb (nbconvert's messages in notebooks/out/NAME.log).
# The small studies (notebooks/studies/*-small.yaml) are shrunken versions of the shipped
# conf/studies/*.yaml; to analyse a full study instead, point the notebook at it, e.g.
#   PGFLOW_PARTICLE_STUDY=$PWD/runs/particle-count /usr/bin/jupyter nbconvert --to notebook --execute \
#       notebooks/02-particle-count-study.ipynb --output-dir /tmp --output 02.ipynb
# Environment: JUPYTER (default /usr/bin/jupyter: Debian's python3 with pandas, matplotlib, scipy),
# PGFLOW_MASTER (Spark master for the studies, default local[2]). Notebook 05 runs java (JAVA) on target/pgflow.jar
# (built by submit/pgflow) to regenerate the random 10×10 MDP; without it, it skips those theory columns.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
data="$out/data"
jupyter="${JUPYTER:-/usr/bin/jupyter}"
master="${PGFLOW_MASTER:-local[2]}"
if [[ "${PGFLOW_KEEP_DATA:-0}" != 1 ]]; then
  rm -rf "$data"
fi
mkdir -p "$data"

start=$SECONDS
step() { printf '\n== %s (%ds elapsed)\n' "$*" $((SECONDS - start)); }

# One `pgflow study` (one JVM, one Spark session) per data set; progress lines go to a log per study.
# `study NAME diverging-ok` (step-size sweeps) also accepts a study that exits 1 because some of its cells
# diverged (status failed, NumericalDivergenceException in run.json) as long as every other cell completed.
study() {
  local name="$1" allow="${2:-}"
  step "study $name"
  if ! "$root/submit/pgflow" study "$here/studies/$name-small.yaml" --out "$data/$name" --master "$master" \
      >"$data/$name.log" 2>&1; then
    if [[ "$allow" != diverging-ok ]] || ! only_divergence "$data/$name"; then
      tail -n 40 "$data/$name.log" >&2
      echo "run-all: study $name failed (log: $data/$name.log)" >&2
      exit 1
    fi
  fi
  grep -E '^(cell|study directory)' "$data/$name.log" || true
}

# Whether every cell of a study directory completed or failed by numerical divergence (and study.csv exists).
only_divergence() {
  local dir="$1" manifest
  [[ -f "$dir/study.csv" ]] || return 1
  for manifest in "$dir"/cells/*/run.json; do
    [[ -f "$manifest" ]] || return 1
    if ! grep -q '"status" : "completed"' "$manifest" \
        && ! { grep -q '"status" : "failed"' "$manifest" && grep -q '"type" : "NumericalDivergenceException"' "$manifest"; }; then
      return 1
    fi
  done
}

study regularisation        # notebook 01 (also its single run: the largest-σ cell at τ = 0.5)
study particle-count        # notebook 02
study t7-lambda-sweep       # notebook 03
study portfolio-frontier    # notebook 03, optional section
study portfolio-frontier-meanfield     # notebook 03: the mean-field policy beside the actor–critic
study riskychain-frontier-meanfield    # notebook 03
study riskychain-frontier-actorcritic  # notebook 03
study critics-t7 diverging-ok          # notebook 04 (α₀ = 10 may overflow the incremental / TD(0) critic)
study critics-random-ssp diverging-ok  # notebook 04
study baselines-t1-tabular             # notebook 05 (softmax PG and NPG at three steps)
study baselines-random10x10-tabular    # notebook 05
study baselines-t1-meanfield           # notebook 05
study baselines-random10x10-meanfield  # notebook 05

export PGFLOW_REGULARISATION_STUDY="$data/regularisation"
export PGFLOW_PARTICLE_STUDY="$data/particle-count"
export PGFLOW_VARIANCE_STUDY="$data/t7-lambda-sweep"
export PGFLOW_PORTFOLIO_STUDY="$data/portfolio-frontier"
export PGFLOW_PORTFOLIO_MF_STUDY="$data/portfolio-frontier-meanfield"
export PGFLOW_RISKYCHAIN_MF_STUDY="$data/riskychain-frontier-meanfield"
export PGFLOW_RISKYCHAIN_AC_STUDY="$data/riskychain-frontier-actorcritic"
export PGFLOW_CRITICS_STUDIES="$data/critics-t7 $data/critics-random-ssp"
export PGFLOW_BASELINE_STUDIES="$data/baselines-t1-tabular $data/baselines-random10x10-tabular \
$data/baselines-t1-meanfield $data/baselines-random10x10-meanfield"
export PYDEVD_DISABLE_FILE_VALIDATION=1   # silences the debugger's frozen-modules warning of ipykernel

for nb in "$here"/0*.ipynb; do
  base="$(basename "$nb" .ipynb)"
  step "notebook $base"
  if ! (cd "$here" && "$jupyter" nbconvert --to notebook --execute "$nb" --ExecutePreprocessor.timeout=600 \
      --output-dir "$out" --output "$base.ipynb") >"$out/$base.log" 2>&1; then
    grep -v -e 'Debugger warning' -e 'frozen modules' -e 'frozen_modules' -e 'Debugging will proceed' \
      "$out/$base.log" | tail -n 60 >&2 || true
    echo "run-all: notebook $base failed (log: $out/$base.log)" >&2
    exit 1
  fi
  echo "$out/$base.ipynb"
done

step "done: executed notebooks in $out"
