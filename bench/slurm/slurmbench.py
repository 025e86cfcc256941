#!/usr/bin/env python3
"""Figures of the Slurm executor benchmark (issue 12), for bench/slurm/run.sh.

  collect  one run -> one JSON line in results.jsonl: wall time, step times from the --report-json file, the
           Slurm latencies from each step's metadata, and the Slurm command calls the PATH shims logged
  table    results.jsonl -> a Markdown table

Latencies come from the metadata the Slurm executor puts on each step of the JSON report (docs/slurm.md):
slurm.submittedAt, slurm.startedAt (the job's wrapper started the command), slurm.endedAt (it ended),
slurm.seenAt (Flowline saw the end) and slurm.queueWait. Keys are read flat ("slurm.startedAt") or nested
({"slurm": {"startedAt": ...}}); times as ISO 8601 strings or epoch milliseconds; queueWait as milliseconds or a
duration ("850ms", "1.2s", "00:00:00.85"). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from benchtool import _parse_time  # noqa: E402  (one parser of report times for the whole suite)

SLURM_COMMANDS = ("sbatch", "squeue", "scancel", "scontrol", "sacct")


def _meta(step, key):
    meta = step.get("metadata") or {}
    if f"slurm.{key}" in meta:
        return meta[f"slurm.{key}"]
    nested = meta.get("slurm")
    return nested.get(key) if isinstance(nested, dict) else None


def _seconds(v):
    """A duration: a number of milliseconds, "850ms", "1.5s", or a TimeSpan "hh:mm:ss.fffffff"."""
    if v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v) / 1000
    s = str(v).strip()
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(ms|s)?", s)
    if m:
        return float(m.group(1)) / (1 if m.group(2) == "s" else 1000)
    m = re.fullmatch(r"(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)", s)
    if m:
        days, h, mi, sec = m.groups()
        return int(days or 0) * 86400 + int(h) * 3600 + int(mi) * 60 + float(sec)
    return None


def _pcts(values):
    """p50 and p95 (inclusive method: interpolated between the observed values)."""
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94]


def _calls(path):
    """The shims' log: one "command epoch-seconds" line per call."""
    calls = {c: [] for c in SLURM_COMMANDS}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0] in calls:
                    calls[parts[0]].append(float(parts[1].replace(",", ".")))
    return calls


def _peak_per_second(times):
    """Most calls in any 1-second window."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def cmd_collect(a):
    row = {"workload": a.workload, "executor": a.executor, "config": a.config or "", "wall_s": a.wall,
           "exit_code": a.exit_code, "steps": a.steps}
    if os.path.exists(a.report):
        with open(a.report, encoding="utf-8") as f:
            rep = json.load(f)
        results = rep.get("stepResults") or {}
        row["completed"] = sum(1 for r in results.values() if r and r.get("status") == "completed")
        durations, queue, seen, ids = [], [], [], 0
        for r in results.values():
            if not r:
                continue
            if r.get("startTime") is not None and r.get("endTime") is not None:
                durations.append(_parse_time(r["endTime"]) - _parse_time(r["startTime"]))
            if _meta(r, "jobId") is not None:
                ids += 1
            submitted, started = _meta(r, "submittedAt"), _meta(r, "startedAt")
            if submitted is not None and started is not None:
                queue.append(_parse_time(started) - _parse_time(submitted))
            elif _seconds(_meta(r, "queueWait")) is not None:
                queue.append(_seconds(_meta(r, "queueWait")))
            ended, seen_at = _meta(r, "endedAt"), _meta(r, "seenAt")
            if ended is not None and seen_at is not None:
                seen.append(_parse_time(seen_at) - _parse_time(ended))
        row["mean_step_s"] = statistics.fmean(durations) if durations else None
        row["slurm_job_ids"] = ids
        row["submit_start_p50_s"], row["submit_start_p95_s"] = _pcts(queue)
        row["end_seen_p50_s"], row["end_seen_p95_s"] = _pcts(seen)
    calls = _calls(a.calls)
    for c in SLURM_COMMANDS:
        row[f"{c}_calls"] = len(calls[c])
    minutes = a.wall / 60 if a.wall else None
    row["squeue_per_min"] = len(calls["squeue"]) / minutes if minutes else None
    row["squeue_peak_per_s"] = _peak_per_second(calls["squeue"])
    with open(a.results, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    return 0


def _f(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def _pair(p50, p95):
    return "–" if p50 is None else f"{p50:.3f} / {p95:.3f}"


def cmd_table(a):
    with open(a.results, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    local_mean = {r["workload"]: r.get("mean_step_s") for r in rows if r["executor"] == "local"}
    lines = [
        "| workload | executor | wall s | steps ok | mean step s | added per step s | submit→start p50 / p95 s "
        "| end→seen p50 / p95 s | squeue /min (peak /s) | sbatch | scontrol | sacct |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        executor = r["executor"] + (f" `{r['config']}`" if r.get("config") else "")
        if r.get("exit_code"):
            executor += f" (exit {r['exit_code']})"
        added = None
        if r["executor"] != "local" and r.get("mean_step_s") is not None and local_mean.get(r["workload"]) is not None:
            added = r["mean_step_s"] - local_mean[r["workload"]]
        squeue = "–" if r.get("squeue_per_min") is None else f"{r['squeue_per_min']:.1f} ({r['squeue_peak_per_s']})"
        lines.append(
            f"| {r['workload']} | {executor} | {_f(r['wall_s'])} | {r.get('completed', '–')}/{r['steps']} "
            f"| {_f(r.get('mean_step_s'), 3)} | {_f(added, 3)} "
            f"| {_pair(r.get('submit_start_p50_s'), r.get('submit_start_p95_s'))} "
            f"| {_pair(r.get('end_seen_p50_s'), r.get('end_seen_p95_s'))} "
            f"| {squeue} | {r.get('sbatch_calls', 0)} | {r.get('scontrol_calls', 0)} | {r.get('sacct_calls', 0)} |")
    text = "\n".join(lines) + "\n"
    notes = (
        "\nmean step: a step's start to end as Flowline reports it (for Slurm: submit, queue wait, run and detection); "
        "added per step: that mean minus the local executor's on the same workload. submit→start and end→seen come "
        "from each step's slurm.* metadata (– when the report has none). squeue /min: calls over the run's wall time, "
        "peak: most calls in any 1 s.\n")
    if a.header:
        text = a.header.rstrip() + "\n\n" + text
    text += notes
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


def _self_test():
    assert _seconds(850) == 0.85 and _seconds("1.5s") == 1.5 and _seconds("850ms") == 0.85
    assert abs(_seconds("00:00:01.25") - 1.25) < 1e-9 and _seconds("1.00:00:00") == 86400
    assert _pcts([1.0]) == (1.0, 1.0) and _pcts([]) == (None, None)
    p50, p95 = _pcts([float(i) for i in range(1, 101)])
    assert abs(p50 - 50.5) < 1e-9 and abs(p95 - 95.05) < 1e-9
    assert _peak_per_second([0.0, 0.5, 0.99, 1.0, 1.2, 3.0]) == 4
    assert _meta({"metadata": {"slurm.jobId": "7"}}, "jobId") == "7"
    assert _meta({"metadata": {"slurm": {"jobId": "8"}}}, "jobId") == "8"
    assert _meta({"metadata": {"command": "/usr/bin/true"}}, "jobId") is None
    print("slurmbench self-test passed")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd")
    c = sub.add_parser("collect")
    c.add_argument("--results", required=True)
    c.add_argument("--workload", required=True)
    c.add_argument("--executor", required=True)
    c.add_argument("--config", default="")
    c.add_argument("--steps", type=int, required=True)
    c.add_argument("--wall", type=float, required=True)
    c.add_argument("--exit-code", type=int, default=0)
    c.add_argument("--report", required=True)
    c.add_argument("--calls")
    t = sub.add_parser("table")
    t.add_argument("results")
    t.add_argument("--markdown")
    t.add_argument("--header", default="")
    sub.add_parser("self-test")
    a = p.parse_args(argv)
    if a.cmd == "collect":
        return cmd_collect(a)
    if a.cmd == "table":
        return cmd_table(a)
    if a.cmd == "self-test":
        return _self_test()
    p.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
