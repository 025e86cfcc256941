#!/usr/bin/env python3
"""First-run start orders compared over many DAGs (issue 15, bar B3).

On a workflow's first run Flowline knows no step durations and starts ready
steps by the longest remaining path counted in steps, ties by file order
(docs/scheduling.md, *Priority*).  On B3's one DAG (random-200, seed 1) that
order needs 1.136x the lower bound and file order (FIFO) 1.061x.  This script
asks whether that is the order or the seed:

  orders.py sweep [--seeds N] [--overhead-ms MS] [--launch-ms MS]
      simulates (generate.py's list scheduler, K slots, pools) every order
      below on N seeded DAGs per family (random DAGs of the B3 generator with
      other seeds, sizes, K, depths, densities and duration laws; chains, wide,
      layers, pool workloads) and prints, per family, each order's mean
      makespan / lower bound and its paired difference from Flowline's order.
      --overhead-ms adds a cost to every step; --launch-ms makes every start
      cost the scheduler that long, one start after another (Flowline calls
      the executors on its loop, and a script step's executor returns once
      posix_spawn has).

  orders.py replay WORKLOAD_DIR REPORT.json [REPORT.json ...]
      for measured first runs (`flowline run --report-json`, empty store) of a
      generated workload: the makespan, the makespan simulated with the steps'
      measured durations in Flowline's order and no scheduler latency (what
      the order alone gives with these durations), each step's measured
      duration minus its nominal `sleep`, and the scheduler's hand-over (from
      a step's recorded end to the next start, while a step was waiting).

Orders use only what a first run knows: the graph, file order and pools.
`time` (heights in nominal durations: Flowline's order once the run store
knows them) is the reference.  The orders built on heights (`steps`, `time`)
raise a pool step to its pool's work / size, as Flowline does.  Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
from contextlib import contextmanager
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as gen  # noqa: E402  (the workload generator next to this file)

FLOWLINE = "steps"


def children_of(deps):
    children = [[] for _ in deps]
    for i, ds in enumerate(deps):
        for d in ds:
            children[d].append(i)
    return children


def heights(deps, weights):
    children = children_of(deps)
    h = [0.0] * len(deps)
    for i in reversed(range(len(deps))):
        h[i] = weights[i] + max((h[c] for c in children[i]), default=0.0)
    return h


def descendants(deps):
    children = children_of(deps)
    below = [0] * len(deps)          # bit set of every step reachable from i
    for i in reversed(range(len(deps))):
        for c in children[i]:
            below[i] |= below[c] | (1 << c)
    return [bin(b).count("1") for b in below]


def levels(deps):
    level = [0] * len(deps)
    for i, ds in enumerate(deps):
        level[i] = max((level[d] + 1 for d in ds), default=0)
    return level


def pool_raised_heights(deps, weights, pools, pool_sizes):
    """RunPriorities' heights: a pool step weighs at least its pool's total weight / size (steps when no durations)."""
    h = heights(deps, weights)
    work: dict[str, float] = {}
    for i, p in enumerate(pools):
        if p is not None:
            work[p] = work.get(p, 0) + weights[i]
    return [max(h[i], work[p] / pool_sizes[p]) if p is not None else h[i] for i, p in enumerate(pools)]


def orders(deps, durations, pools, pool_sizes):
    """Sort keys per step (smallest starts first; generate.simulate adds file order as the last tie-break)."""
    n = len(deps)
    steps = pool_raised_heights(deps, [1] * n, pools, pool_sizes)
    time = pool_raised_heights(deps, durations, pools, pool_sizes)
    desc = descendants(deps)
    succ = [len(c) for c in children_of(deps)]
    level = levels(deps)
    return {
        FLOWLINE: [-steps[i] for i in range(n)],
        "fifo": [0] * n,
        "descendants": [-desc[i] for i in range(n)],
        "steps, then descendants": [(-steps[i], -desc[i]) for i in range(n)],
        "descendants, then steps": [(-desc[i], -steps[i]) for i in range(n)],
        "steps + descendants": [-(steps[i] + desc[i]) for i in range(n)],
        "successors": [-succ[i] for i in range(n)],
        "level (breadth first)": [level[i] for i in range(n)],
        "time (known durations)": [-time[i] for i in range(n)],
    }


@contextmanager
def random_shape(window=None, dep_weights=None):
    """Temporarily other parameters for generate.py's random shape (deeper or denser DAGs)."""
    saved = gen.RANDOM_WINDOW, gen.RANDOM_DEP_WEIGHTS
    gen.RANDOM_WINDOW = window or saved[0]
    gen.RANDOM_DEP_WEIGHTS = dep_weights or saved[1]
    try:
        yield
    finally:
        gen.RANDOM_WINDOW, gen.RANDOM_DEP_WEIGHTS = saved


def redraw(n, seed, law):
    """Durations in seconds under another law than the generator's (same DAG)."""
    import random
    rng = random.Random(seed * 7919 + 1)
    if law == "lognormal":          # median 10 ms, sigma 1.2: a smoother heavy tail
        return [0.01 * math.exp(rng.gauss(0.0, 1.2)) for _ in range(n)]
    if law == "uniform":
        return [rng.uniform(0.005, 0.5) for _ in range(n)]
    raise ValueError(law)


def families(seeds):
    """(label, K, [(dag, pool sizes, durations in s)]) for every family of the sweep."""
    def dag(*argv):
        args = gen.make_parser().parse_args([*argv, "--command", "sleep"])
        d = gen.build_dag(args)
        sizes = {gen.POOL_NAME: args.pool_size} if any(p is not None for p in d.pool) else {}
        return d, sizes, [ms / 1000 for ms in d.durations_ms]

    def rnd(n, s):
        return dag("random", "--n", str(n), "--seed", str(s))

    few = max(2, seeds // 2)
    yield "random-200, K=8 (B3's generator; seed 1 is B3)", 8, [rnd(200, s) for s in range(1, seeds + 1)]
    yield "random-200, K=4", 4, [rnd(200, s) for s in range(1, seeds + 1)]
    yield "random-200, K=16", 16, [rnd(200, s) for s in range(1, seeds + 1)]
    yield "random-50, K=4", 4, [rnd(50, s) for s in range(1, seeds + 1)]
    yield "random-500, K=8", 8, [rnd(500, s) for s in range(1, few + 1)]
    with random_shape(window=8):
        yield "random-200 deep (parents from the last 8 steps), K=8", 8, [rnd(200, s) for s in range(1, few + 1)]
    with random_shape(dep_weights=((0, 0.05), (1, 0.35), (2, 0.35), (3, 0.25))):
        yield "random-200 dense (1-3 parents), K=8", 8, [rnd(200, s) for s in range(1, few + 1)]
    for law in ("lognormal", "uniform"):
        cases = []
        for s in range(1, few + 1):
            d, sizes, _ = rnd(200, s)
            cases.append((d, sizes, redraw(d.n, s, law)))
        yield f"random-200, {law} durations, K=8", 8, cases
    yield "chain-50, 10 ms, K=8", 8, [dag("chain", "--n", "50")]
    yield "wide-200, 10 ms, K=8", 8, [dag("wide", "--n", "200")]
    yield "layers 10x10, 10 ms, K=8", 8, [dag("layers")]
    yield "pool-100 (B4: 20 in a pool of 1 listed first), K=8", 8, [dag("pool", "--n", "100")]
    yield "pool-100, pool steps at random places, K=8", 8, [
        dag("pool", "--n", "100", "--pool-placement", "random", "--seed", str(s)) for s in range(1, few + 1)]


def sweep(args) -> int:
    overhead, launch = args.overhead_ms / 1000, args.launch_ms / 1000
    print(f"makespan / lower bound, simulated (K slots, pools, +{args.overhead_ms:g} ms per step, "
          f"{args.launch_ms:g} ms per launch, one after another); "
          f"diff = paired mean difference from '{FLOWLINE}' (Flowline's first run) +- its standard error;\n"
          f"better/worse = DAGs where the order beats / loses to '{FLOWLINE}'")
    for label, k, cases in families(args.seeds):
        ratios: dict[str, list[float]] = {}
        for d, sizes, durations in cases:
            bound = gen.compute_bound(d.deps, durations, d.pool, sizes, k)["lower_bound_s"]
            for name, keys in orders(d.deps, durations, d.pool, sizes).items():
                t = gen.simulate(d.deps, durations, d.pool, sizes, k, keys, overhead, launch_s=launch)
                ratios.setdefault(name, []).append(t / bound)
        base = ratios[FLOWLINE]
        print(f"\n{label}: {len(cases)} DAG{'s' if len(cases) > 1 else ''}")
        print(f"  {'order':26s} {'mean':>7s} {'median':>7s} {'max':>7s}  {'diff':>16s}  better worse")
        for name, v in ratios.items():
            diff = [a - b for a, b in zip(v, base)]
            se = statistics.stdev(diff) / math.sqrt(len(diff)) if len(diff) > 1 else 0.0
            print(f"  {name:26s} {statistics.mean(v):7.4f} {statistics.median(v):7.4f} {max(v):7.4f}  "
                  f"{statistics.mean(diff):+8.4f} ± {se:.4f}  {sum(x < -1e-9 for x in diff):6d} "
                  f"{sum(x > 1e-9 for x in diff):5d}")
    return 0


def read_workload(workload_dir):
    """Step ids, dependencies (indices) and nominal seconds from a generated workflow.yaml."""
    ids, deps, nominal = [], {}, {}
    with open(os.path.join(workload_dir, "workflow.yaml"), encoding="utf-8") as f:
        for line in f:
            if m := re.match(r"  - id: (\S+)", line):
                ids.append(m.group(1))
                deps[ids[-1]] = []
            elif m := re.match(r"    dependsOn: \[(.*)\]", line):
                deps[ids[-1]] = [x.strip() for x in m.group(1).split(",")]
            elif m := re.search(r'args: \["([0-9.]+)"\]', line):
                nominal[ids[-1]] = float(m.group(1))
    index = {s: i for i, s in enumerate(ids)}
    return ids, [[index[d] for d in deps[s]] for s in ids], [nominal.get(s, 0.0) for s in ids]


def seconds(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def replay(args) -> int:
    with open(os.path.join(args.workload, "bound.json"), encoding="utf-8") as f:
        bound = json.load(f)
    ids, deps, nominal = read_workload(args.workload)
    k, lb = bound["concurrency"], bound["lower_bound_s"]
    pools = [gen.POOL_NAME if s in set(bound.get("pool_step_ids", [])) else None for s in ids]
    sizes = {gen.POOL_NAME: bound["pool"]["size"]} if any(pools) else {}
    keys = orders(deps, nominal, pools, sizes)[FLOWLINE]
    print(f"{bound['name']}: lower bound {lb:.3f} s, K={k}; simulated in Flowline's first-run order with nominal "
          f"durations {gen.simulate(deps, nominal, pools, sizes, k, keys) / lb:.3f}x, +2 ms per step "
          f"{gen.simulate(deps, nominal, pools, sizes, k, keys, 0.002) / lb:.3f}x")
    for path in args.reports:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)["stepResults"]
        start = {s: seconds(r["startTime"]) for s, r in results.items()}
        end = {s: seconds(r["endTime"]) for s, r in results.items()}
        makespan = max(end.values()) - min(start.values())
        measured = [end[s] - start[s] for s in ids]
        replayed = gen.simulate(deps, measured, pools, sizes, k, keys)
        extra = sorted((m - n) * 1000 for m, n in zip(measured, nominal))
        starts = sorted(start.values())
        handover = []
        for s in ids:
            e = end[s]
            if any(start[o] > e and all(end[ids[d]] <= e for d in deps[i]) for i, o in enumerate(ids)):
                handover.append((min(t for t in starts if t >= e) - e) * 1000)
        handover.sort()
        print(f"{path}: makespan {makespan:.3f} s = {makespan / lb:.3f}x; replayed with measured durations "
              f"{replayed / lb:.3f}x; measured - nominal per step median {statistics.median(extra):.2f} ms "
              f"(p90 {extra[int(0.9 * len(extra))]:.2f}); hand-over end -> next start median "
              f"{statistics.median(handover):.3f} ms, max {handover[-1]:.3f} ms ({len(handover)} hand-overs)")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sweep", help="simulate the candidate orders over many DAGs")
    s.add_argument("--seeds", type=int, default=100, help="DAGs per random family (default 100; half for the slower ones)")
    s.add_argument("--overhead-ms", type=float, default=0.0, help="added to every step (default 0)")
    s.add_argument("--launch-ms", type=float, default=0.0,
                   help="the scheduler's time per start, starts one after another (default 0)")
    r = sub.add_parser("replay", help="split measured first runs into order and overhead")
    r.add_argument("workload", help="a directory written by generate.py (workflow.yaml, bound.json)")
    r.add_argument("reports", nargs="+", help="--report-json files of first runs of that workflow")
    args = p.parse_args(argv)
    return sweep(args) if args.command == "sweep" else replay(args)


if __name__ == "__main__":
    sys.exit(main())
