#!/usr/bin/env bash
# Flowline benchmark suite (issue #7).  Method and bars: docs/performance.md.
#
# Usage: bench/run.sh [options] [B1 B2 B3 B4 B5 B6]      (default: all bars)
#   --only-reference   do not build or run flowline; measure ninja / make only
#   --no-build         do not run `dotnet build` (use the existing Release build)
#   --no-install       do not apt-get install missing tools
#   --runs N           hyperfine timed runs per command  (default: $RUNS or 10)
#   --warmup N         hyperfine warm-up runs            (default: $WARMUP or 2)
#   --rss-runs N       runs for the peak-RSS bar B6      (default: 3)
#   --quick            --runs 3 --warmup 1 --rss-runs 1 (smoke test, figures are noisy)
#
# Environment:
#   FLOWLINE                   command to run flowline (default: the tool installed
#                              into bench/out/flowline-tool, else the
#                              Release apphost, else `dotnet <flowline.dll>`)
#   FLOWLINE_BENCH_EXTRA_ARGS  extra arguments for every `flowline run` (default empty;
#                              e.g. "--no-state" once the durable store exists; if the
#                              CLI rejects them, run.sh drops them and says so)
#
# Results: a table on stdout and in bench/out/results.md; raw hyperfine JSON,
# per-run samples and generated workloads under bench/out/ (git-ignored).
set -euo pipefail

# ---------------------------------------------------------------- knobs
FLOWLINE_EXTRA_ARGS="${FLOWLINE_BENCH_EXTRA_ARGS-}"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
RSS_RUNS="${RSS_RUNS:-3}"
ONLY_REFERENCE=0
BUILD=1
INSTALL=1
BARS=()

while [ $# -gt 0 ]; do
  case "$1" in
    --only-reference) ONLY_REFERENCE=1 ;;
    --no-build) BUILD=0 ;;
    --no-install) INSTALL=0 ;;
    --runs) RUNS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --rss-runs) RSS_RUNS="$2"; shift ;;
    --quick) RUNS=3; WARMUP=1; RSS_RUNS=1 ;;
    B[1-6]) BARS+=("$1") ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#BARS[@]} -gt 0 ] || BARS=(B1 B2 B3 B4 B5 B6)
want() { local b; for b in "${BARS[@]}"; do [ "$b" = "$1" ] && return 0; done; return 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
GEN="$ROOT/bench/workloads/generate.py"
TOOL="$ROOT/bench/lib/benchtool.py"
RESULTS="$OUT/results.jsonl"
PY="${PYTHON:-python3}"

say() { printf '\n== %s\n' "$*"; }
warn() { printf 'run.sh: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
install_tools() {
  local missing=()
  command -v ninja >/dev/null || missing+=(ninja-build)
  command -v make >/dev/null || missing+=(make)
  command -v hyperfine >/dev/null || missing+=(hyperfine)
  [ -x /usr/bin/time ] || missing+=(time)
  command -v file >/dev/null || missing+=(file)
  # Native AOT (the installed tool) links with the system's C toolchain and zlib.
  if [ "$ONLY_REFERENCE" = 0 ] && [ "$BUILD" = 1 ]; then
    command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)
    [ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$INSTALL" = 0 ]; then
    warn "missing tools: ${missing[*]} (and --no-install given)"; exit 1
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
}
install_tools
command -v "$PY" >/dev/null || { warn "python3 is required"; exit 1; }

# ---------------------------------------------------------------- flowline
FL=""            # the flowline command ("" = not available)
FL_WHY=""
FL_BUILD="given by \$FLOWLINE or an earlier build"
BUILD_FAILED=0
if [ "$ONLY_REFERENCE" = 1 ]; then
  FL_WHY="--only-reference given"
else
  # What users get (issue 15): the tool packed and installed the README's way (`dotnet pack` + `dotnet tool install`
  # from that folder), here into a tool path of its own. On linux-x64 and linux-arm64 that is the Native AOT
  # executable (see the CLI's csproj and docs/performance.md); a plain Release build is the fallback.
  PUBLISHED="$OUT/flowline-tool/flowline"
  if [ "$BUILD" = 1 ] && [ -z "${FLOWLINE:-}" ]; then
    say "packing Flowline and installing the tool into $OUT/flowline-tool"
    # A publish folder left by an earlier build keeps files this one no longer publishes (flowline.dbg), and the pack
    # takes the whole folder.
    rm -rf "$OUT/flowline-packages" "$OUT/flowline-tool" "$ROOT"/src/Flowline.Cli/bin/Release/net10.0/*/publish
    if (cd "$ROOT" && dotnet pack src/Flowline.Cli -c Release -o "$OUT/flowline-packages" -nologo -v quiet) \
        && dotnet tool install --tool-path "$OUT/flowline-tool" --add-source "$OUT/flowline-packages" Flowline.Cli >/dev/null; then
      if file -L "$PUBLISHED" | grep -q ELF && [ -z "$(find "$OUT/flowline-tool" -name flowline.dll)" ]; then
        FL_BUILD="installed tool, Native AOT ($(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1))"
      else
        FL_BUILD="installed tool, framework-dependent (JIT)"
      fi
    else
      warn "dotnet pack or dotnet tool install failed; falling back to dotnet build (JIT only)"
      rm -rf "$OUT/flowline-tool"
      FL_BUILD="JIT (dotnet build)"
      if ! (cd "$ROOT" && dotnet build src/Flowline.Cli -c Release -nologo -v quiet); then
        BUILD_FAILED=1
        warn "dotnet build failed"
      fi
    fi
  fi
  APPHOST="$ROOT/src/Flowline.Cli/bin/Release/net10.0/flowline"
  DLL="$ROOT/src/Flowline.Cli/bin/Release/net10.0/flowline.dll"
  if [ -n "${FLOWLINE:-}" ]; then
    FL="$FLOWLINE"
  elif [ -x "$PUBLISHED" ]; then
    FL="$PUBLISHED"
  elif [ -x "$APPHOST" ]; then
    FL="$APPHOST"
  elif [ -f "$DLL" ] && command -v dotnet >/dev/null; then
    FL="dotnet $DLL"
  else
    FL_WHY="no flowline build at $APPHOST"
  fi
fi
has_fl() { [ -n "$FL" ]; }

# ---------------------------------------------------------------- setup
mkdir -p "$OUT"
: > "$RESULTS"
HF=(hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS")

gen() { # gen DIR ARGS...   (regenerates from scratch: no stale stamps or logs)
  local dir="$1"; shift
  rm -rf "$dir"
  "$PY" "$GEN" "$@" --out "$dir" >/dev/null
}

# flowline run command line for a workload (relative to its directory)
fl_run() { # fl_run K [more args]
  local k="$1"; shift
  echo "$FL run workflow.yaml --max-concurrency $k --quiet $* $FLOWLINE_EXTRA_ARGS"
}

note() { "$PY" "$TOOL" note --results "$RESULTS" --bar "$1" "$2"; }

if ! "$PY" "$GEN" --self-test > "$OUT/generator-self-test.log" 2>&1; then
  warn "the workload generator's self-test failed (bench/out/generator-self-test.log)"; exit 1
fi

# Smoke test: a 3-step chain, so that a CLI mismatch is reported once and clearly.
if has_fl; then
  SMOKE="$OUT/smoke"
  gen "$SMOKE" chain --n 3 --command true --concurrency 2
  # shellcheck disable=SC2046
  if [ -n "$FLOWLINE_EXTRA_ARGS" ] && ! (cd "$SMOKE" && $(fl_run 2 --report-json report.json) >run.log 2>&1) \
     && (cd "$SMOKE" && rm -rf .flowline && $FL run workflow.yaml --max-concurrency 2 --quiet --report-json report.json >run.log 2>&1); then
    # The CLI rejects the extra arguments (e.g. --no-state before the durable store exists): run without them.
    warn "flowline rejects FLOWLINE_BENCH_EXTRA_ARGS='$FLOWLINE_EXTRA_ARGS'; measuring without them"
    FLOWLINE_EXTRA_ARGS=""
  fi
  # shellcheck disable=SC2046
  if ! (cd "$SMOKE" && rm -rf .flowline && $(fl_run 2 --report-json report.json) >run.log 2>&1); then
    warn "flowline smoke test failed: $(fl_run 2 --report-json report.json) (in $SMOKE):"
    sed 's/^/    /' "$SMOKE/run.log" | tail -n 15 >&2
    FL_WHY="smoke test failed (bench/out/smoke/run.log)"
    FL=""
  elif [ ! -f "$SMOKE/report.json" ]; then
    warn "flowline wrote no --report-json file: B3/B4 can only use wall times"
  elif ! (cd "$SMOKE" && "$PY" "$TOOL" collect-report report.json samples.jsonl --bound bound.json \
          && grep -q '"steps": 3' samples.jsonl); then
    warn "could not read step start/end times from flowline's report (bench/out/smoke/report.json kept)"
  fi
  if has_fl && ! (cd "$SMOKE" && $FL validate workflow.yaml >validate.log 2>&1); then
    warn "flowline validate failed on the smoke workflow (see $SMOKE/validate.log)"
  fi
fi
if [ -z "$FL" ]; then
  warn "flowline will NOT be measured ($FL_WHY); running the reference tools (ninja, make) only"
fi
{
  echo "Flowline benchmark run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "host: $(nproc) CPUs, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ROOT" && git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "tools: $(ninja --version | sed 's/^/ninja /'), $(make --version | head -1), $(hyperfine --version), python $("$PY" -c 'import platform; print(platform.python_version())')"
  echo "flowline: ${FL:-not measured ($FL_WHY)} ($FL_BUILD); extra run args: '${FLOWLINE_EXTRA_ARGS}'"
  echo "hyperfine: --warmup $WARMUP --runs $RUNS"
} > "$OUT/run-info.txt"
cat "$OUT/run-info.txt"

# ---------------------------------------------------------------- B1 / B2: overhead vs ninja and make
wall_bar() { # wall_bar BAR LABEL DIR K REQUIRED GOAL
  local bar="$1" label="$2" dir="$3" k="$4" req="$5" goal="$6"
  local cmds=()
  if has_fl; then
    cmds+=(-n flowline --prepare "rm -rf .flowline" "$(fl_run "$k")")
  fi
  cmds+=(-n ninja --prepare "rm -rf ninja-stamps .ninja_log .ninja_deps" "ninja -j$k --quiet")
  cmds+=(-n make --prepare "rm -rf make-stamps" "make -j$k -s")
  say "$bar: $label (one hyperfine call)"
  if ! (cd "$dir" && "${HF[@]}" --export-json hyperfine.json "${cmds[@]}"); then
    warn "$bar: hyperfine failed (a command exited non-zero); skipping this bar"
    note "$bar" "hyperfine failed: bar not measured"; return 0
  fi
  "$PY" "$TOOL" wall --results "$RESULTS" --bar "$bar" --label "$label" --hyperfine "$dir/hyperfine.json" \
    --k "$k" --required "$req" --goal "$goal"
}

if want B1; then
  gen "$OUT/b1-chain-1000" chain --n 1000 --command true --concurrency 2
  wall_bar B1 "chain-1000 true, K=2" "$OUT/b1-chain-1000" 2 1.6 1.2
fi
if want B2; then
  gen "$OUT/b2-wide-5000" wide --n 5000 --command true --concurrency 2
  wall_bar B2 "wide-5000 true, K=2" "$OUT/b2-wide-5000" 2 1.6 1.2
fi

# ---------------------------------------------------------------- B3 / B4: makespan vs lower bound
# Per-run makespans are collected by the --prepare command of the *next* run
# (and once more after hyperfine returns), so they come from the same hyperfine
# call as the wall times; the first WARMUP samples (warm-up runs) are dropped.
makespan_bar() { # makespan_bar BAR LABEL DIR REQUIRED GOAL
  local bar="$1" label="$2" dir="$3" req="$4" goal="$5"
  local k
  k="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["concurrency"])' "$dir/bound.json")"
  rm -rf "$dir/samples-flowline.jsonl" "$dir/samples-flowline-first.jsonl" "$dir/samples-ninja.jsonl" \
    "$dir/report.json" "$dir/report-first.json" "$dir/.flowline" "$dir/.flowline-first"
  local collect_fl="$PY $TOOL collect-report report.json samples-flowline.jsonl --bound bound.json"
  local collect_first="$PY $TOOL collect-report report-first.json samples-flowline-first.jsonl --bound bound.json"
  local collect_nj="$PY $TOOL collect-ninja . samples-ninja.jsonl --bound bound.json"
  local cmds=()
  if has_fl; then
    # `flowline`: the run store in .flowline is kept across this call's runs, so from the second run on the ready
    # steps are ordered by the durations of earlier runs (a workflow run again, the usual case). `flowline-first`:
    # every run starts with an empty store, i.e. a workflow's first run, ordered by step count.
    cmds+=(-n flowline --prepare "$collect_fl" "$(fl_run "$k" --report-json report.json)")
    cmds+=(-n flowline-first --prepare "rm -rf .flowline-first; $collect_first"
      "$(fl_run "$k" --report-json report-first.json --state-dir .flowline-first)")
  fi
  cmds+=(-n ninja --prepare "$collect_nj" "ninja -j$k --quiet")
  say "$bar: $label (one hyperfine call)"
  if ! (cd "$dir" && "${HF[@]}" --export-json hyperfine.json "${cmds[@]}"); then
    warn "$bar: hyperfine failed (a command exited non-zero); skipping this bar"
    note "$bar" "hyperfine failed: bar not measured"; return 0
  fi
  (cd "$dir" && { if has_fl; then $collect_fl; $collect_first; fi; $collect_nj; })
  "$PY" "$TOOL" makespan --results "$RESULTS" --bar "$bar" --label "$label" --bound "$dir/bound.json" \
    --hyperfine "$dir/hyperfine.json" --flowline-samples "$dir/samples-flowline.jsonl" \
    --flowline-first-samples "$dir/samples-flowline-first.jsonl" \
    --ninja-samples "$dir/samples-ninja.jsonl" --skip "$WARMUP" --required "$req" --goal "$goal"
}

if want B3; then
  gen "$OUT/b3-random-200" random --n 200 --seed 1 --command sleep --concurrency 8
  makespan_bar B3 "random-200 sleep, K=8" "$OUT/b3-random-200" 1.05 1.03
fi
if want B4; then
  gen "$OUT/b4-pool-100" pool --n 100 --pool-fraction 0.2 --pool-size 1 --duration 0.05 \
    --command sleep --concurrency 8
  makespan_bar B4 "pool-100 (20 x 50 ms in a pool of 1, 80 free) sleep, K=8" "$OUT/b4-pool-100" 1.08 1.05
fi

# ---------------------------------------------------------------- B5: validate a 10,000-step file
B56="$OUT/b56-random-10000"
if want B5 || want B6; then
  gen "$B56" random --n 10000 --seed 1 --command true --concurrency 8
fi
if want B5; then
  cmds=()
  if has_fl; then
    cmds+=(-n flowline "$FL validate workflow.yaml")
  fi
  cmds+=(-n "ninja -n (reference: load + plan build.ninja)" --prepare "rm -rf ninja-stamps .ninja_log .ninja_deps"
         "ninja -n --quiet")
  # one --prepare per command is required once any command has one
  if has_fl; then cmds=(--prepare "rm -rf .flowline" "${cmds[@]}"); fi
  say "B5: flowline validate, random-10000 (fresh process each run)"
  if (cd "$B56" && "${HF[@]}" --export-json hyperfine-validate.json "${cmds[@]}"); then
    "$PY" "$TOOL" validate --results "$RESULTS" --bar B5 --label "random-10000" \
      --hyperfine "$B56/hyperfine-validate.json" --required 0.9 --goal 0.3
  else
    warn "B5: hyperfine failed (a command exited non-zero); skipping this bar"
    note B5 "hyperfine failed: bar not measured"
  fi
fi

# ---------------------------------------------------------------- B6: peak RSS of a 10,000-step run
if want B6; then
  say "B6: peak RSS, full run of random-10000 true, K=8 ($RSS_RUNS run(s) each)"
  fl_files=() nj_files=()
  # The run store is emptied once: the first run records into a new store, later ones also read its history
  # (the durations that order ready steps) and add to it, as a workflow run again does.
  rm -rf "$B56/.flowline"
  for i in $(seq 1 "$RSS_RUNS"); do
    if has_fl; then
      # shellcheck disable=SC2046
      (cd "$B56" && /usr/bin/time -v -o "rss-flowline-$i.txt" $(fl_run 8) >/dev/null) \
        || warn "flowline run $i failed (see $B56/rss-flowline-$i.txt)"
      fl_files+=("$B56/rss-flowline-$i.txt")
    fi
    rm -rf "$B56/ninja-stamps" "$B56/.ninja_log" "$B56/.ninja_deps"
    (cd "$B56" && /usr/bin/time -v -o "rss-ninja-$i.txt" ninja -j8 --quiet >/dev/null) \
      || warn "ninja run $i failed"
    nj_files+=("$B56/rss-ninja-$i.txt")
  done
  "$PY" "$TOOL" rss --results "$RESULTS" --bar B6 --label "random-10000 true, K=8" \
    --flowline "${fl_files[@]}" --ninja "${nj_files[@]}" --required 100 --goal 60
fi

# ---------------------------------------------------------------- table
[ -n "$FL" ] || note "-" "flowline not measured: $FL_WHY"
[ "$BUILD_FAILED" = 0 ] || note "-" "dotnet build FAILED"
say "results (also in bench/out/results.md)"
"$PY" "$TOOL" table "$RESULTS" --markdown "$OUT/results.md" --header "$(sed 's/$/  /' "$OUT/run-info.txt")"
[ "$BUILD_FAILED" = 0 ] || exit 1
