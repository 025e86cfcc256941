#!/usr/bin/env bash
# Up-to-date skipping (issue 14, docs/caching.md, docs/performance.md "Up-to-date runs"): a 1,000-step chain whose
# steps each have cache: over 10 files. Measures the second and later runs (every step up to date) against `ninja`'s
# no-op build of the same graph (each edge: the same 10 inputs, the previous step's output, one output): the run the
# whole-run check records from its manifest, and the full check (every step's key) that the first up-to-date run
# after a change takes (docs/caching.md "Whole-run check").
#
# Usage: bench/cache-noop.sh [--steps N] [--runs N] [--history N]   (--history: N more recorded runs before measuring,
# so the store holds a longer history, as a project's store does after weeks of runs)
# Environment: FLOWLINE (default: the installed tool, bench/out/flowline-tool, packed and installed when missing or
# with FLOWLINE_REPACK=1); FLOWLINE_BASELINE, another flowline measured in the same hyperfine call (a before/after),
# with its own store (.flowline-baseline: an older Flowline refuses a store a newer one migrated).
# Prints the medians, the ratios to ninja and the mean user + sys CPU; raw figures in bench/out/cache-noop/results.json.
set -euo pipefail
STEPS=1000
RUNS=10
HISTORY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --history) HISTORY="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cache-noop.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/cache-noop"
command -v ninja >/dev/null || { apt-get update -qq && apt-get install -y -qq ninja-build; }
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }

# shellcheck source=lib/installed-tool.sh
. "$ROOT/bench/lib/installed-tool.sh"
installed_flowline "$ROOT"

rm -rf "$OUT/work"
mkdir -p "$OUT/work"
python3 - "$OUT/work" "$STEPS" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
wf = ["name: cache-chain", "version: 1.0.0", "steps:"]
nj = ["rule cat", "  command = cat $in > $out", ""]
for i in range(n):
    d = f"src/s{i:04d}"
    os.makedirs(os.path.join(root, d), exist_ok=True)
    for k in range(10):
        with open(os.path.join(root, d, f"f{k}.txt"), "w") as f:
            f.write(f"step {i} file {k}\n")
    prev = f"out/s{i-1:04d}.txt" if i else None
    srcs = [f"{d}/f{k}.txt" for k in range(10)]
    wf += [f"  - id: s{i:04d}", f"    name: s{i:04d}", "    type: script"]
    if prev:
        wf += [f"    dependsOn: [s{i-1:04d}]"]
    wf += ["    cache:", f"      sources: [\"{d}/*.txt\"" + (f", \"{prev}\"" if prev else "") + "]",
           f"      outputs: [out/s{i:04d}.txt]",
           "    config:", "      command: sh",
           f"      args: [\"-c\", \"mkdir -p out && cat {d}/*.txt > out/s{i:04d}.txt\"]"]
    # ninja builds its own copies (ninja/), so neither tool rewrites what the other's no-op looks at.
    nprev = f"ninja/s{i-1:04d}.txt" if i else None
    nj += [f"build ninja/s{i:04d}.txt: cat {' '.join(srcs)}" + (f" | {nprev}" if nprev else "")]
open(os.path.join(root, "workflow.yaml"), "w").write("\n".join(wf) + "\n")
os.makedirs(os.path.join(root, "ninja"), exist_ok=True)
open(os.path.join(root, "build.ninja"), "w").write("\n".join(nj) + "\n")
PY

cd "$OUT/work"
export FLOWLINE_STATE_DIR="$OUT/work/.flowline"
echo "== first runs (build everything)"
ninja --quiet >/dev/null
"$FLOWLINE" run workflow.yaml --quiet
[ -z "${FLOWLINE_BASELINE:-}" ] || $FLOWLINE_BASELINE run workflow.yaml --quiet --state-dir "$OUT/work/.flowline-baseline"
# Source files written just now are "racily clean" (docs/caching.md): their hashes are kept from the first run that
# sees them at least 2 s old, so one more run settles the store before measuring.
sleep 2
"$FLOWLINE" run workflow.yaml --quiet
[ -z "${FLOWLINE_BASELINE:-}" ] || $FLOWLINE_BASELINE run workflow.yaml --quiet --state-dir "$OUT/work/.flowline-baseline"
# The run above saw the outputs of the first less than 2 s old, so it kept no whole-run manifest (docs/caching.md
# "Whole-run check"); this one does.
"$FLOWLINE" run workflow.yaml --quiet
if [ "$HISTORY" -gt 0 ]; then
  echo "== $HISTORY more recorded runs (history)"
  for _ in $(seq "$HISTORY"); do
    "$FLOWLINE" run workflow.yaml --quiet
    [ -z "${FLOWLINE_BASELINE:-}" ] || $FLOWLINE_BASELINE run workflow.yaml --quiet --state-dir "$OUT/work/.flowline-baseline"
  done
fi
baseline=()
[ -z "${FLOWLINE_BASELINE:-}" ] || baseline=(--prepare true --command-name "baseline up to date" "$FLOWLINE_BASELINE run workflow.yaml --quiet --state-dir $OUT/work/.flowline-baseline")
echo "== no-op runs ($RUNS each)"
# "full check": the manifest deleted before each run, so every step's key is checked (the first up-to-date run after
# a change takes this way), and the run keeps a new manifest, which is part of its time.
hyperfine --warmup 2 --runs "$RUNS" -N --export-json "$OUT/results.json" \
  --prepare true --command-name "ninja no-op" "ninja --quiet" \
  --prepare true --command-name "flowline up to date" "$FLOWLINE run workflow.yaml --quiet" \
  --prepare "sqlite3 $FLOWLINE_STATE_DIR/flowline.db 'DELETE FROM run_manifests;'" \
  --command-name "flowline up to date, full check" "$FLOWLINE run workflow.yaml --quiet" "${baseline[@]}"
python3 - "$OUT/results.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
n = r["ninja no-op"]["median"]
for name in ("flowline up to date", "flowline up to date, full check", "baseline up to date"):
    if name in r:
        f = r[name]["median"]
        print(f"median: ninja {n*1000:.1f} ms, {name} {f*1000:.1f} ms, ratio {f/n:.2f}" + (" (target: at most 2)" if name == "flowline up to date" else ""))
cpu = {k: (v["user"] + v["system"]) * 1000 for k, v in r.items()}
print("user + sys CPU (mean): " + ", ".join(f"{k} {v:.0f} ms" for k, v in cpu.items()))
PY
