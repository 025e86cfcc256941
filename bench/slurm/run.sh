#!/usr/bin/env bash
# Slurm executor benchmark (issue 12): the same workflows with `flowline run --executor local` and `--executor slurm`
# on the single-node cluster of scripts/slurm-cluster.sh. Method and figures: docs/performance.md, docs/slurm.md.
#
# Usage: bench/slurm/run.sh [options] [W1 W2 W3]      (default: all three)
#   W1  200 independent `true` steps, concurrency 2      (Slurm's cost per step)
#   W2  a 20-step chain of `true`                          (cost per dependency hop)
#   W3  200 x `sleep 1`, concurrency 2                     (throughput; lower bound 100 s)
# Options:
#   --quick             20-step W1 and W3, a 5-step W2 (a smoke test of the harness; figures are noisy)
#   --executors LIST    local,slurm (default both)
#   --slurm-yaml TEXT   the workflow's slurm: block for the Slurm runs, e.g. 'pollInterval: 100ms,
#                       queueStatInterval: 1s'; repeat it to compare settings (default: the executor's defaults)
#   --no-build          do not build flowline (use $FLOWLINE or an existing build)
#
# Environment: FLOWLINE (the flowline command; default: bench/run.sh's published build, else the Release build),
# FLOWLINE_SLURM_DIR (the cluster's folder, as for scripts/slurm-cluster.sh).
# The cluster is started when it is down (as root) and then stopped again at the end.
#
# Each run gets a fresh state folder. The Slurm commands are wrapped by logging shims first in PATH, so the table
# counts squeue (and sbatch, scontrol, sacct) calls. Results: a Markdown table on stdout and in
# bench/out/slurm/results.md; each run's folder (workflow, report.json, run.log, calls.log) under bench/out/slurm/.
set -euo pipefail

QUICK=0
BUILD=1
EXECUTORS="local,slurm"
SLURM_YAMLS=()
WORKLOADS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --executors) EXECUTORS="$2"; shift ;;
    --slurm-yaml) SLURM_YAMLS+=("$2"); shift ;;
    W[1-3]) WORKLOADS+=("$1") ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(W1 W2 W3)
[ ${#SLURM_YAMLS[@]} -gt 0 ] || SLURM_YAMLS=("")

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/out/slurm"
GEN="$ROOT/bench/workloads/generate.py"
TOOL="$ROOT/bench/slurm/slurmbench.py"
CLUSTER="$ROOT/scripts/slurm-cluster.sh"
RESULTS="$OUT/results.jsonl"
PY="${PYTHON:-python3}"

say() { printf '\n== %s\n' "$*"; }
warn() { printf 'bench/slurm/run.sh: %s\n' "$*" >&2; }
wants() { [[ ",$EXECUTORS," == *",$1,"* ]]; }

# ------------------------------------------------------------------------------------------------------ flowline
if [ -z "${FLOWLINE:-}" ]; then
  if [ -x "$ROOT/bench/out/flowline-publish/flowline" ]; then
    FLOWLINE="$ROOT/bench/out/flowline-publish/flowline"   # bench/run.sh's shipped (Native AOT) build
  else
    if [ "$BUILD" = 1 ]; then
      say "building Flowline (Release; bench/run.sh publishes the Native AOT build this script prefers)"
      (cd "$ROOT" && dotnet build src/Flowline.Cli -c Release -nologo -v quiet)
    fi
    FLOWLINE="$ROOT/src/Flowline.Cli/bin/Release/net10.0/flowline"
  fi
fi
read -ra FL <<<"$FLOWLINE"
command -v "${FL[0]}" >/dev/null || { warn "no flowline at '$FLOWLINE' (build it, or set FLOWLINE)"; exit 1; }

# `--executor` arrives with issue 12; before it, the local runs go without the flag and Slurm is not measured.
HAS_EXECUTOR=0
if "${FL[@]}" run --help 2>&1 | grep -q -- '--executor'; then HAS_EXECUTOR=1; fi
if [ "$HAS_EXECUTOR" = 0 ] && wants slurm; then
  warn "this flowline has no 'run --executor' option (issue 12's executor): measuring the local executor only"
  EXECUTORS="local"
fi

# ------------------------------------------------------------------------------------------------------- cluster
STARTED_CLUSTER=0
stop_cluster() { if [ "$STARTED_CLUSTER" = 1 ]; then "$CLUSTER" down || true; fi; }
trap stop_cluster EXIT
SHIMS="$OUT/shims"
if wants slurm; then
  if ! "$CLUSTER" status >/dev/null; then
    say "starting the single-node Slurm cluster"
    STARTED_CLUSTER=1
    "$CLUSTER" up
  fi
  # shellcheck disable=SC1091 # written by `slurm-cluster.sh up`
  . "${FLOWLINE_SLURM_DIR:-/tmp/flowline-slurm}/env"
  export SLURM_CONF
  # Logging shims for the Slurm commands, first in PATH for the runs: each call appends "command epoch-seconds".
  rm -rf "$SHIMS"
  mkdir -p "$SHIMS"
  for c in sbatch squeue scancel scontrol sacct; do
    real="$(command -v "$c" || true)"
    [ -n "$real" ] || continue
    cat >"$SHIMS/$c" <<SHIM
#!/bin/bash
printf '%s %s\n' $c "\$EPOCHREALTIME" >>"\${FLOWLINE_BENCH_CALLS:-/dev/null}"
exec $(printf %q "$real") "\$@"
SHIM
    chmod 0755 "$SHIMS/$c"
  done
fi

# ----------------------------------------------------------------------------------------------------- workloads
mkdir -p "$OUT"
: >"$RESULTS"
N=200 CHAIN=20
if [ "$QUICK" = 1 ]; then N=20 CHAIN=5; fi
declare -A STEPS=([W1]="$N" [W2]="$CHAIN" [W3]="$N")
generate() { # generate W DIR
  case "$1" in
    W1) "$PY" "$GEN" wide --n "$N" --command true --concurrency 2 --out "$2" >/dev/null ;;
    W2) "$PY" "$GEN" chain --n "$CHAIN" --command true --concurrency 2 --out "$2" >/dev/null ;;
    W3) "$PY" "$GEN" wide --n "$N" --command sleep --duration 1 --concurrency 2 --out "$2" >/dev/null ;;
  esac
}

run_one() { # run_one W EXECUTOR [SLURM_YAML]
  local w="$1" executor="$2" yaml="${3:-}" dir rc=0 started ended label
  label="$w-$executor"
  [ -z "$yaml" ] || label="$label-$(printf '%s' "$yaml" | tr -c 'A-Za-z0-9' '_' | cut -c1-40)"
  dir="$OUT/$label"
  rm -rf "$dir"
  generate "$w" "$dir"
  if [ -n "$yaml" ]; then printf 'slurm: { %s }\n' "$yaml" >>"$dir/workflow.yaml"; fi
  local args=(run workflow.yaml --quiet --report-json report.json --state-dir state)
  [ "$HAS_EXECUTOR" = 0 ] || args+=(--executor "$executor")
  : >"$dir/calls.log"
  say "$label: ${STEPS[$w]} steps: flowline ${args[*]}"
  started="$EPOCHREALTIME"
  (cd "$dir" && PATH="$SHIMS:$PATH" FLOWLINE_BENCH_CALLS="$dir/calls.log" "${FL[@]}" "${args[@]}" >run.log 2>&1) || rc=$?
  ended="$EPOCHREALTIME"
  [ "$rc" = 0 ] || { warn "$label exited $rc (last lines of $dir/run.log):"; tail -n 10 "$dir/run.log" >&2; }
  "$PY" "$TOOL" collect --results "$RESULTS" --workload "$w" --executor "$executor" --config "$yaml" \
    --steps "${STEPS[$w]}" --wall "$(awk -v a="${started/,/.}" -v b="${ended/,/.}" 'BEGIN { print b - a }')" \
    --exit-code "$rc" --report "$dir/report.json" --calls "$dir/calls.log"
}

{
  echo "Slurm executor benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "host: $(nproc) CPUs, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "flowline: $FLOWLINE$([ "$HAS_EXECUTOR" = 1 ] || echo ' (no --executor option: local only)')"
  if wants slurm; then
    echo "slurm: $(sinfo -V), $(grep -E '^(SchedulerParameters|ProctrackType)=' "$SLURM_CONF" | tr '\n' ' ')"
  fi
} >"$OUT/run-info.txt"
cat "$OUT/run-info.txt"

for w in "${WORKLOADS[@]}"; do
  if wants local; then run_one "$w" local; fi
  if wants slurm; then
    for yaml in "${SLURM_YAMLS[@]}"; do run_one "$w" slurm "$yaml"; done
  fi
done

say "results (also in bench/out/slurm/results.md)"
"$PY" "$TOOL" table "$RESULTS" --markdown "$OUT/results.md" --header "$(sed 's/$/  /' "$OUT/run-info.txt")"
