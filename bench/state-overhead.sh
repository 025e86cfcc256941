#!/usr/bin/env bash
# What recording a run costs (issue #6): a 1,000-step workflow of `true` steps, run with the run store
# (`--state-dir`, a fresh SQLite database per measured run) and without it (`--no-state`).
#
# Usage: [FLOWLINE=cmd] [FLOWLINE_BASELINE=cmd] bench/state-overhead.sh [--no-build] [--runs N] [--steps N] [--shape wide|chain]
# FLOWLINE defaults to the installed tool (bench/out/flowline-tool, packed and installed when missing or with
# FLOWLINE_REPACK=1); FLOWLINE_BASELINE, another build, is measured in the same hyperfine call.
# Needs hyperfine and python3. Results: hyperfine's table and the ratios on stdout, raw in bench/out/state-overhead.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/state-overhead"
RUNS=10
STEPS=1000
SHAPE=wide
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --runs) RUNS="$2"; shift ;;
    --steps) STEPS="$2"; shift ;;
    --shape) SHAPE="$2"; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "state-overhead.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# The installed tool (issue 15), as bench/run.sh measures it: reused when installed, packed when not; --no-build
# never packs (FLOWLINE must then be set or the tool installed).
# shellcheck source=lib/installed-tool.sh
. "$ROOT/bench/lib/installed-tool.sh"
if [ "$BUILD" = 0 ] && [ -z "${FLOWLINE:-}" ] && [ ! -x "$ROOT/bench/out/flowline-tool/flowline" ]; then
  echo "state-overhead.sh: --no-build, but no installed tool in bench/out/flowline-tool and FLOWLINE is not set" >&2; exit 2
fi
installed_flowline "$ROOT"

rm -rf "$OUT" && mkdir -p "$OUT"
python3 "$ROOT/bench/workloads/generate.py" "$SHAPE" --n "$STEPS" --command true --out "$OUT/workload" >/dev/null
WORKFLOW="$OUT/workload/workflow.yaml"

# FLOWLINE_BASELINE (another build, e.g. of main) is measured in the same hyperfine call, for a before/after.
baseline=()
if [ -n "${FLOWLINE_BASELINE:-}" ]; then
  baseline=(-n "baseline no-state" "$FLOWLINE_BASELINE run '$WORKFLOW' --quiet --no-state"
            -n "baseline state" "$FLOWLINE_BASELINE run '$WORKFLOW' --quiet --state-dir '$OUT/state'")
fi

hyperfine --runs "$RUNS" --warmup 1 \
  --prepare "rm -rf '$OUT/state'" \
  --export-json "$OUT/../state-overhead.json" \
  -n "no-state" "$FLOWLINE run '$WORKFLOW' --quiet --no-state" \
  -n "state" "$FLOWLINE run '$WORKFLOW' --quiet --state-dir '$OUT/state'" \
  "${baseline[@]}"

# The ratios (issue 15's bar: store on / --no-state ≤ 1.10, goal 1.03), medians and means of this one call.
python3 - "$OUT/../state-overhead.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for prefix in ("", "baseline "):
    on, off = r.get(prefix + "state"), r.get(prefix + "no-state")
    if on and off:
        print(f"{prefix or 'flowline '}store on / --no-state: median {on['median'] / off['median']:.3f}, "
              f"mean {on['mean'] / off['mean']:.3f} ({on['median']:.3f} s / {off['median']:.3f} s; required 1.10, goal 1.03)")
PY
