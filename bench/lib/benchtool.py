#!/usr/bin/env python3
"""Helpers for bench/run.sh: collect per-run makespans, compute the bars,
print the results table.  Standard library only.

Subcommands (all append to / read from a results file of JSON lines):

  collect-ninja DIR SAMPLES        makespan etc. from DIR/.ninja_log, appended to
                                   SAMPLES; then removes .ninja_log and the stamps
                                   (used as hyperfine --prepare, and once after)
  collect-report REPORT SAMPLES    the same from a flowline --report-json file
  wall     ...                     B1/B2: wall-time ratios from one hyperfine JSON
  makespan ...                     B3/B4: makespan / lower bound
  validate ...                     B5: mean wall time of `flowline validate`
  rss      ...                     B6: peak RSS from /usr/bin/time -v outputs
  note     ...                     a free-text line for the table
  table RESULTS [--markdown FILE]  print the table (and write it as Markdown)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import sys

# --------------------------------------------------------------------------- samples

# B4: below this slot utilisation (while pool-free steps were still waiting to
# start) we conclude that waiting pool steps occupy concurrency slots.  Honest
# schedulers measured here: ~0.97-0.99 (ninja); a slot-holding one: ~0.45.
UTILISATION_FLOOR = 0.8


def _interval_stats(intervals, pool_ids, k):
    """intervals: {id: (start_s, end_s)} (seconds, any origin)."""
    if not intervals:
        return None
    t0 = min(s for s, _ in intervals.values())
    t1 = max(e for _, e in intervals.values())
    events = []
    for sid, (s, e) in intervals.items():
        events.append((s, 1, sid in pool_ids))
        events.append((e, -1, sid in pool_ids))
    events.sort(key=lambda x: (x[0], x[1]))       # ends before starts at equal times
    running = pool_running = max_running = max_pool = 0
    for _, delta, is_pool in events:
        running += delta
        if is_pool:
            pool_running += delta
        max_running = max(max_running, running)
        max_pool = max(max_pool, pool_running)
    sample = {
        "makespan_s": round(t1 - t0, 6),
        "steps": len(intervals),
        "max_running": max_running,
    }
    if pool_ids:
        sample["max_pool_running"] = max_pool
        free = {sid: iv for sid, iv in intervals.items() if sid not in pool_ids}
        if free and k:
            # Slot utilisation while free (pool-less) steps were still waiting to
            # start: busy step-seconds in [t0, last free start] / (K * length).
            # A scheduler that parks pool-waiting steps on concurrency slots
            # leaves slots idle here although free steps are ready.
            horizon = max(s for s, _ in free.values())
            if horizon > t0:
                busy = sum(max(0.0, min(e, horizon) - max(s, t0)) for s, e in intervals.values())
                sample["utilisation_while_free_steps_waiting"] = round(busy / (k * (horizon - t0)), 4)
            sample["free_steps_done_s"] = round(max(e for _, e in free.values()) - t0, 6)
    return sample


def _load_bound(path):
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cmd_collect_ninja(a):
    log = os.path.join(a.dir, ".ninja_log")
    if os.path.exists(log):
        bound = _load_bound(a.bound)
        pool_ids = set(bound.get("pool_step_ids") or [])
        intervals = {}
        with open(log, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 4:
                    continue
                sid = os.path.basename(parts[3]).removesuffix(".stamp")
                intervals[sid] = (int(parts[0]) / 1000, int(parts[1]) / 1000)
        sample = _interval_stats(intervals, pool_ids, bound.get("concurrency"))
        if sample:
            with open(a.samples, "a", encoding="utf-8") as f:
                f.write(json.dumps(sample) + "\n")
        os.remove(log)
    for name in (".ninja_deps", "ninja-stamps"):
        p = os.path.join(a.dir, name)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    return 0


_ISO_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def _parse_time(v):
    """Report timestamps: epoch milliseconds (number) or ISO 8601 strings."""
    if isinstance(v, (int, float)):
        return float(v) / 1000
    s = str(v).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return float(s) / 1000
    s = s.replace("Z", "+00:00")
    s = _ISO_FRACTION.sub(lambda m: m.group(1), s, count=1)
    d = dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.timestamp()


def cmd_collect_report(a):
    if os.path.exists(a.report):
        bound = _load_bound(a.bound)
        pool_ids = set(bound.get("pool_step_ids") or [])
        with open(a.report, encoding="utf-8") as f:
            rep = json.load(f)
        intervals = {}
        for sid, r in (rep.get("stepResults") or {}).items():
            if r and r.get("startTime") is not None and r.get("endTime") is not None:
                intervals[sid] = (_parse_time(r["startTime"]), _parse_time(r["endTime"]))
        sample = _interval_stats(intervals, pool_ids, bound.get("concurrency")) or {}
        if rep.get("executionTime") is not None:
            sample["report_execution_time_s"] = float(rep["executionTime"]) / 1000
        stats = rep.get("parallelStats") or {}
        if stats.get("maxConcurrentSteps") is not None:
            sample["report_max_concurrent_steps"] = stats["maxConcurrentSteps"]
        if sample:
            with open(a.samples, "a", encoding="utf-8") as f:
                f.write(json.dumps(sample) + "\n")
        os.remove(a.report)
    return 0


def _read_samples(path, skip):
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return rows[skip:]


# --------------------------------------------------------------------------- results


def _emit(results, **row):
    with open(results, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")


def _verdict(value, required, goal):
    if value is None:
        return "not measured"
    if value <= goal:
        return "GOAL met"
    if value <= required:
        return "required met"
    return "FAIL"


def _hf_means(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {r["command"]: r for r in data["results"]}


def cmd_wall(a):
    res = _hf_means(a.hyperfine)
    base = res.get("ninja")
    for name, r in res.items():
        _emit(a.results, bar=a.bar, kind="reference", what=f"{name}: mean wall",
              value=round(r["mean"], 4), unit="s", detail=f"± {r['stddev']:.4f} s, {len(r['times'])} runs")
    if "make" in res and base:
        _emit(a.results, bar=a.bar, kind="reference", what="make / ninja (mean wall)",
              value=round(res["make"]["mean"] / base["mean"], 3), unit="x")
    if "flowline" in res and base:
        v = res["flowline"]["mean"] / base["mean"]
        _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline / ninja -j{a.k} (mean wall)",
              value=round(v, 3), unit="x", required=a.required, goal=a.goal,
              verdict=_verdict(v, a.required, a.goal))
        if "make" in res:
            _emit(a.results, bar=a.bar, kind="reference", what="flowline / make (mean wall)",
                  value=round(res["flowline"]["mean"] / res["make"]["mean"], 3), unit="x")
    else:
        _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline / ninja -j{a.k} (mean wall)",
              value=None, unit="x", required=a.required, goal=a.goal, verdict="not measured")
    return 0


def _median(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def cmd_makespan(a):
    bound = _load_bound(a.bound)
    lb = bound["lower_bound_s"]
    k = bound["concurrency"]
    res = _hf_means(a.hyperfine) if a.hyperfine and os.path.exists(a.hyperfine) else {}
    _emit(a.results, bar=a.bar, kind="reference", what=f"lower bound ({bound['lower_bound_term']})",
          value=lb, unit="s", detail=f"critical path {bound['critical_path_s']} s, total work "
                                     f"{bound['total_work_s']} s / K={k}, depth {bound['depth_steps']}")
    sim = bound.get("simulated_over_bound") or {}
    if sim:
        _emit(a.results, bar=a.bar, kind="reference", what="simulated schedules / bound",
              value=None, unit="", detail=", ".join(f"{key} {v}" for key, v in sim.items()))

    fl = _read_samples(a.flowline_samples, a.skip)
    nj = _read_samples(a.ninja_samples, a.skip)
    first = _read_samples(a.flowline_first_samples, a.skip)
    for tool, rows in (("ninja", nj), ("flowline-first", first), ("flowline", fl)):
        if tool in res:
            _emit(a.results, bar=a.bar, kind="reference", what=f"{tool}: mean wall / bound",
                  value=round(res[tool]["mean"] / lb, 3), unit="x",
                  detail=f"mean wall {res[tool]['mean']:.3f} s ± {res[tool]['stddev']:.3f}, includes process start-up")
        if not rows:
            continue
        ms = _median(rows, "makespan_s")
        source = ".ninja_log" if tool == "ninja" else "report"
        extra = [f"{len(rows)} runs", f"max running {max(r['max_running'] for r in rows)}"]
        if any("max_pool_running" in r for r in rows):
            extra.append(f"max pool steps running at once {max(r.get('max_pool_running', 0) for r in rows)}")
        u = _median(rows, "utilisation_while_free_steps_waiting")
        if u is not None:
            extra.append(f"slot utilisation while free steps waited {u:.2f}")
        fd = _median(rows, "free_steps_done_s")
        if fd is not None:
            extra.append(f"free steps done at {fd:.3f} s")
        if tool != "ninja":
            mc = [r["report_max_concurrent_steps"] for r in rows if "report_max_concurrent_steps" in r]
            if mc:
                extra.append(f"parallelStats.maxConcurrentSteps {max(mc)}")
        v = ms / lb
        if tool == "flowline":
            _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline makespan / lower bound",
                  value=round(v, 3), unit="x", required=a.required, goal=a.goal,
                  verdict=_verdict(v, a.required, a.goal),
                  detail=f"median makespan {ms:.3f} s from the {source}; run store kept across the runs, so "
                         "ready steps are ordered by earlier runs' durations; " + ", ".join(extra))
            problems = []
            if any(r["max_running"] > k for r in rows):
                problems.append(f"more than K={k} steps ran at once")
            pool_size = (bound.get("pool") or {}).get("size", 1)
            if any(r.get("max_pool_running", 0) > pool_size for r in rows):
                problems.append(f"more than {pool_size} pool step(s) overlapped in the report (pool not respected, "
                                "or startTime recorded before the pool was acquired)")
            util = _median(rows, "utilisation_while_free_steps_waiting")
            if util is not None and util < UTILISATION_FLOOR:
                problems.append(f"slots sat idle while ready pool-free steps waited (median utilisation {util:.2f} "
                                f"< {UTILISATION_FLOOR}): steps seem to hold a concurrency slot while waiting "
                                "for their pool")
            if problems:
                _emit(a.results, bar=a.bar, kind="check", what="schedule checks", value=None, unit="",
                      verdict="FAIL", detail="; ".join(problems))
            elif bound.get("pool_step_ids"):
                _emit(a.results, bar=a.bar, kind="check", what="schedule checks", value=None, unit="",
                      verdict="ok", detail=f"≤ K={k} running, ≤ {pool_size} pool step(s) at once, slot "
                                           f"utilisation while free steps waited ≥ {UTILISATION_FLOOR}")
        elif tool == "flowline-first":
            _emit(a.results, bar=a.bar, kind="reference",
                  what="flowline, first run (empty run store: ready steps ordered by step count): makespan / lower bound",
                  value=round(v, 3), unit="x", detail=f"median makespan {ms:.3f} s from the {source}; "
                                                    + ", ".join(extra))
        else:
            _emit(a.results, bar=a.bar, kind="reference", what=f"ninja -j{k}: makespan / lower bound",
                  value=round(v, 3), unit="x", detail=f"median makespan {ms:.3f} s from the {source}; "
                                                    + ", ".join(extra))
    if not fl:
        _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline makespan / lower bound",
              value=None, unit="x", required=a.required, goal=a.goal, verdict="not measured")
    return 0


def cmd_validate(a):
    res = _hf_means(a.hyperfine)
    for name, r in res.items():
        if name == "flowline":
            continue
        _emit(a.results, bar=a.bar, kind="reference", what=f"{name}: mean wall", value=round(r["mean"], 4),
              unit="s", detail=f"± {r['stddev']:.4f} s, {len(r['times'])} runs")
    r = res.get("flowline")
    v = r["mean"] if r else None
    _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline validate, mean wall", value=
          round(v, 4) if v is not None else None, unit="s", required=a.required, goal=a.goal,
          verdict=_verdict(v, a.required, a.goal),
          detail=f"± {r['stddev']:.4f} s, {len(r['times'])} runs" if r else None)
    return 0


def _max_rss_mib(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", text)
    st = re.search(r"Exit status:\s*(\d+)", text)
    el = re.search(r"Elapsed \(wall clock\) time.*:\s*(\S+)", text)
    return (int(m.group(1)) / 1024 if m else None, int(st.group(1)) if st else None, el.group(1) if el else None)


def cmd_rss(a):
    for tool, files in (("flowline", a.flowline), ("ninja", a.ninja)):
        vals, notes = [], []
        for p in files or []:
            mib, status, elapsed = _max_rss_mib(p)
            if mib is not None:
                vals.append(mib)
                notes.append(f"{mib:.1f} MiB (exit {status}, {elapsed})")
        if tool == "flowline":
            v = max(vals) if vals else None
            _emit(a.results, bar=a.bar, kind="bar", what=f"{a.label}: flowline peak RSS (max of runs)",
                  value=round(v, 1) if v is not None else None, unit="MiB", required=a.required, goal=a.goal,
                  verdict=_verdict(v, a.required, a.goal), detail="; ".join(notes) or None)
        elif vals:
            _emit(a.results, bar=a.bar, kind="reference", what="ninja peak RSS", value=round(max(vals), 1),
                  unit="MiB", detail="; ".join(notes))
    return 0


def cmd_note(a):
    _emit(a.results, bar=a.bar, kind="note", what=a.text, value=None, unit="")
    return 0


def _fmt(v, unit):
    if v is None:
        return "—"
    if unit == "x":
        return f"{v:.3f}×"
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "MiB":
        return f"{v:.1f} MiB"
    return f"{v}{unit}"


def cmd_table(a):
    rows = []
    if os.path.exists(a.results):
        with open(a.results, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    bars = [r for r in rows if r["kind"] == "bar"]
    others = [r for r in rows if r["kind"] != "bar"]

    def lim(r, key):
        v = r.get(key)
        return "" if v is None else ("≤ " + _fmt(v, r["unit"]))

    lines = ["| Bar | Measure | Value | Required | Goal | Verdict |", "|---|---|---|---|---|---|"]
    for r in bars:
        lines.append(f"| {r['bar']} | {r['what']} | {_fmt(r['value'], r['unit'])} | {lim(r, 'required')} | "
                     f"{lim(r, 'goal')} | {r['verdict']} |")
    lines += ["", "| Bar | Reference / detail | Value | Notes |", "|---|---|---|---|"]
    for r in others + [b for b in bars if b.get("detail")]:
        what = r["what"] if r["kind"] != "bar" else r["what"] + " (detail)"
        value = _fmt(r["value"], r["unit"]) if r["kind"] != "bar" else ""
        if r["kind"] == "check":
            value = r.get("verdict", "")
        lines.append(f"| {r['bar']} | {what} | {value} | {r.get('detail') or ''} |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            if a.header:
                f.write(a.header.replace("\\n", "\n") + "\n\n")
            f.write(text)
    return 1 if any(r.get("verdict") == "FAIL" for r in rows) and a.fail_on_fail else 0


# --------------------------------------------------------------------------- CLI


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("collect-ninja")
    s.add_argument("dir")
    s.add_argument("samples")
    s.add_argument("--bound")
    s.set_defaults(fn=cmd_collect_ninja)

    s = sub.add_parser("collect-report")
    s.add_argument("report")
    s.add_argument("samples")
    s.add_argument("--bound")
    s.set_defaults(fn=cmd_collect_report)

    def common(s, fn):
        s.add_argument("--results", required=True)
        s.add_argument("--bar", required=True)
        s.add_argument("--label", default="")
        s.add_argument("--required", type=float)
        s.add_argument("--goal", type=float)
        s.set_defaults(fn=fn)

    s = sub.add_parser("wall")
    common(s, cmd_wall)
    s.add_argument("--hyperfine", required=True)
    s.add_argument("--k", type=int, required=True)

    s = sub.add_parser("makespan")
    common(s, cmd_makespan)
    s.add_argument("--bound", required=True)
    s.add_argument("--hyperfine")
    s.add_argument("--flowline-samples")
    s.add_argument("--ninja-samples")
    s.add_argument("--flowline-first-samples")
    s.add_argument("--skip", type=int, default=0, help="drop this many leading samples (warm-up runs)")

    s = sub.add_parser("validate")
    common(s, cmd_validate)
    s.add_argument("--hyperfine", required=True)

    s = sub.add_parser("rss")
    common(s, cmd_rss)
    s.add_argument("--flowline", nargs="*")
    s.add_argument("--ninja", nargs="*")

    s = sub.add_parser("note")
    s.add_argument("--results", required=True)
    s.add_argument("--bar", required=True)
    s.add_argument("text")
    s.set_defaults(fn=cmd_note)

    s = sub.add_parser("table")
    s.add_argument("results")
    s.add_argument("--markdown")
    s.add_argument("--header")
    s.add_argument("--fail-on-fail", action="store_true")
    s.set_defaults(fn=cmd_table)

    a = p.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
