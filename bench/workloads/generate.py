#!/usr/bin/env python3
"""Workload generator for the Flowline benchmark suite (issue #7).

For one seeded DAG it writes, into --out DIR:

  workflow.yaml  a Flowline workflow (script steps, dependsOn, resource pools)
  build.ninja    the same DAG for ninja (one stamp file per step, ninja pools)
  Makefile       the same DAG for GNU make (one stamp file per step)
  bound.json     DAG statistics and, for `sleep` workloads, the makespan lower
                 bound max(critical path, total work / K, pool work / pool size)

Shapes:
  wide    N independent steps
  chain   N steps in a line
  layers  L layers of W steps, each step depending on every step of the
          previous layer
  random  a seeded random DAG; step durations are heavy-tailed (most ~10 ms,
          a few 200-500 ms)
  pool    N independent steps, a fraction of which use a resource pool
          (default: 20 % in a pool of size 1)

Commands:
  true    every step runs `true` (measures per-step overhead)
  sleep   every step runs `sleep SECONDS` (measures scheduling / makespan)

Flowline runs the command directly (argv, no shell).  ninja and make always go
through /bin/sh -c, and each step also writes its stamp file with a shell
redirection (`CMD && : > STAMP`), which costs no extra process.

Standard library only.  `generate.py --self-test` checks the lower-bound
computation on hand-checked DAGs and, when ninja/make are installed, builds
one small instance of every shape with both.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

SHAPES = ("wide", "chain", "layers", "random", "pool")
POOL_NAME = "serial"

# Random-shape parameters (kept here so they are easy to find and document).
# These were chosen (see docs/performance.md) so that for the default seed the
# DAG is shallow enough (depth ~10-15) that per-process spawn costs do not
# dominate, yet the order in which ready steps are started matters: the
# simulated FIFO schedule is clearly worse than critical-path-first.
RANDOM_WINDOW = 50            # a step's parents are drawn from the previous RANDOM_WINDOW steps
RANDOM_DEP_WEIGHTS = ((0, 0.25), (1, 0.45), (2, 0.20), (3, 0.10))   # number of parents
RANDOM_LONG_FRACTION = 0.05   # fraction of "long" steps
RANDOM_LONG_MS = (200, 500)   # long step duration range, ms (uniform, whole ms)
RANDOM_SHORT_MS = (5, 15)     # short step duration range, ms (uniform, whole ms): "~10 ms"


# --------------------------------------------------------------------------- model

class Dag:
    """Steps 0..n-1 in topological order: every dependency index is smaller."""

    def __init__(self, n: int):
        self.n = n
        self.deps: list[list[int]] = [[] for _ in range(n)]
        self.durations_ms: list[int] = [0] * n   # only meaningful for `sleep`
        self.pool: list[str | None] = [None] * n

    def edges(self) -> int:
        return sum(len(d) for d in self.deps)

    def check(self) -> None:
        for i, ds in enumerate(self.deps):
            if len(set(ds)) != len(ds):
                raise AssertionError(f"duplicate dependency on step {i}")
            for d in ds:
                if not 0 <= d < i:
                    raise AssertionError(f"step {i} depends on {d}: not topological")


def build_dag(args: argparse.Namespace) -> Dag:
    rng = random.Random(args.seed)
    shape = args.shape
    if shape == "layers":
        n = args.layers * args.width
    else:
        n = args.n
    if n <= 0:
        raise SystemExit("the workload needs at least one step")
    dag = Dag(n)

    if shape == "chain":
        for i in range(1, n):
            dag.deps[i] = [i - 1]
    elif shape == "layers":
        w = args.width
        for layer in range(1, args.layers):
            prev = list(range((layer - 1) * w, layer * w))
            for j in range(w):
                dag.deps[layer * w + j] = list(prev)
    elif shape == "random":
        counts = [c for c, _ in RANDOM_DEP_WEIGHTS]
        weights = [p for _, p in RANDOM_DEP_WEIGHTS]
        for i in range(1, n):
            k = min(rng.choices(counts, weights)[0], i)
            lo = max(0, i - RANDOM_WINDOW)
            dag.deps[i] = sorted(rng.sample(range(lo, i), min(k, i - lo)))
    # wide and pool: no edges

    # Durations.
    if args.command == "sleep":
        if shape == "random" and args.duration is None:
            for i in range(n):
                if rng.random() < RANDOM_LONG_FRACTION:
                    dag.durations_ms[i] = rng.randint(*RANDOM_LONG_MS)
                else:
                    dag.durations_ms[i] = rng.randint(*RANDOM_SHORT_MS)
        else:
            d = args.duration if args.duration is not None else (0.05 if shape == "pool" else 0.01)
            ms = round(d * 1000)
            if ms <= 0:
                raise SystemExit("--duration must be at least 0.001 s")
            dag.durations_ms = [ms] * n

    # Pool membership.
    fraction = args.pool_fraction
    if fraction is None:
        fraction = 0.2 if shape == "pool" else 0.0
    m = round(fraction * n)
    if m > 0:
        if args.pool_placement == "first":
            members = range(m)
        else:
            members = rng.sample(range(n), m)
        for i in members:
            dag.pool[i] = POOL_NAME

    dag.check()
    return dag


# --------------------------------------------------------------------------- bounds

def compute_bound(deps, durations_s, pools, pool_sizes, k):
    """Lower bound on the makespan of any schedule with K slots and pools.

    deps[i] lists predecessors of i (all < i); durations in seconds;
    pools[i] is a pool name or None; pool_sizes maps name -> capacity.
    Returns a dict with every term.
    """
    n = len(deps)
    finish = [0.0] * n        # earliest finish on unlimited machines
    depth = [0] * n           # longest path in steps
    for i in range(n):
        start = max((finish[d] for d in deps[i]), default=0.0)
        finish[i] = start + durations_s[i]
        depth[i] = 1 + max((depth[d] for d in deps[i]), default=0)
    critical = max(finish, default=0.0)
    total = sum(durations_s)
    pool_work: dict[str, float] = {}
    for i, p in enumerate(pools):
        if p is not None:
            pool_work[p] = pool_work.get(p, 0.0) + durations_s[i]
    pool_terms = {p: w / pool_sizes[p] for p, w in pool_work.items()}
    terms = {"critical_path_s": critical, "total_work_over_k_s": total / k}
    for p, v in pool_terms.items():
        terms[f"pool_{p}_work_over_size_s"] = v
    return {
        "critical_path_s": round(critical, 6),
        "total_work_s": round(total, 6),
        "concurrency": k,
        "pool_work_s": {p: round(w, 6) for p, w in pool_work.items()},
        "lower_bound_s": round(max(terms.values()), 6),
        "lower_bound_term": max(terms, key=terms.get),
        "depth_steps": max(depth, default=0),
    }


# --------------------------------------------------------------------------- simulation

def simulate(deps, durations_s, pools, pool_sizes, k, order, overhead_s=0.0, hold_slot=False, launch_s=0.0):
    """Event simulation of a list scheduler with K slots and resource pools.

    order: "critical-path" (ready steps with the longest remaining path, in time,
    first), "critical-path-by-steps" (the longest remaining path counted in steps:
    Flowline's order on a workflow's first run, before it knows durations),
    "fifo" (file order), or a list of sort keys, one per step (the smallest key
    starts first; bench/workloads/orders.py compares orders that way).  overhead_s is added to every step (a crude model
    of process spawn cost).  launch_s models a scheduler that launches steps one
    after another on its own thread: each start occupies it for launch_s, and a
    step starts launch_s after the previous start (or its decision) at the
    earliest.  With hold_slot=False a step takes a slot only
    when its pool also has room; with hold_slot=True (a naive scheduler) a
    ready step takes a slot first and then waits, holding it, for its pool.
    Returns the makespan in seconds.
    """
    import heapq
    from collections import deque

    n = len(deps)
    children = [[] for _ in range(n)]
    for i, ds in enumerate(deps):
        for d in ds:
            children[d].append(i)
    if isinstance(order, list):
        if len(order) != n:
            raise ValueError(f"{len(order)} sort keys for {n} steps")
        prio = [(order[i], i) for i in range(n)]
    elif order in ("critical-path", "critical-path-by-steps"):
        weight = durations_s if order == "critical-path" else [1.0] * n
        height = [0.0] * n
        for i in reversed(range(n)):
            height[i] = weight[i] + max((height[c] for c in children[i]), default=0.0)
        prio = [(-height[i], i) for i in range(n)]
    else:
        prio = [(0.0, i) for i in range(n)]
    indeg = [len(d) for d in deps]
    free_heap: list = []                       # ready, no pool (or hold_slot mode: all ready)
    pool_heaps: dict = {p: [] for p in pool_sizes}
    pool_free = dict(pool_sizes)
    pool_wait = {p: deque() for p in pool_sizes}   # hold_slot mode: steps holding a slot
    running: list = []
    slots = k
    t = 0.0
    done = 0

    def make_ready(i):
        if pools[i] is None or hold_slot:
            heapq.heappush(free_heap, prio[i])
        else:
            heapq.heappush(pool_heaps[pools[i]], prio[i])

    launcher_free = 0.0

    def start(i):
        nonlocal launcher_free
        begin = max(t, launcher_free) + launch_s
        launcher_free = begin
        heapq.heappush(running, (begin + durations_s[i] + overhead_s, i))

    for i in range(n):
        if indeg[i] == 0:
            make_ready(i)
    while done < n:
        while slots > 0:
            best, src = None, None
            if free_heap:
                best, src = free_heap[0], None
            for p, h in pool_heaps.items():
                if h and pool_free[p] > 0 and (best is None or h[0] < best):
                    best, src = h[0], p
            if best is None:
                break
            heapq.heappop(free_heap if src is None else pool_heaps[src])
            i = best[1]
            slots -= 1
            p = pools[i]
            if p is None:
                start(i)
            elif pool_free[p] > 0:
                pool_free[p] -= 1
                start(i)
            else:                                  # hold_slot mode only
                pool_wait[p].append(i)
        if not running:
            raise AssertionError("simulation stalled")
        t, i = heapq.heappop(running)
        t = max(t, launcher_free)                  # the scheduler sees the end once it has launched the last start
        done += 1
        slots += 1
        p = pools[i]
        if p is not None:
            if pool_wait[p]:
                start(pool_wait[p].popleft())      # the token passes to a waiting step
            else:
                pool_free[p] += 1
        for c in children[i]:
            indeg[c] -= 1
            if indeg[c] == 0:
                make_ready(c)
    return t


# --------------------------------------------------------------------------- writers

def step_ids(n: int) -> list[str]:
    width = max(4, len(str(n)))
    return [f"s{i + 1:0{width}d}" for i in range(n)]


def command_argv(command: str, ms: int) -> list[str]:
    if command == "true":
        return ["true"]
    return ["sleep", f"{ms / 1000:.3f}"]


def write_yaml(path, name, dag, ids, command, k, pool_size):
    out = [
        f"name: {name}",
        'version: "1.0.0"',
        f"description: Generated by bench/workloads/generate.py ({name})",
        "parallel:",
        "  enabled: true",
        f"  defaultMaxConcurrency: {k}",
    ]
    if any(p is not None for p in dag.pool):
        out += ["  resources:", f"    {POOL_NAME}: {pool_size}"]
    out.append("steps:")
    for i in range(dag.n):
        argv = command_argv(command, dag.durations_ms[i])
        args = ", ".join(f'"{a}"' for a in argv[1:])
        out.append(f"  - id: {ids[i]}")
        out.append(f"    name: {ids[i]}")
        out.append("    type: script")
        # quoted: a bare `true` would be a YAML boolean
        out.append(f'    config: {{command: "{argv[0]}", args: [{args}]}}')
        if dag.deps[i]:
            out.append(f"    dependsOn: [{', '.join(ids[d] for d in dag.deps[i])}]")
        if dag.pool[i] is not None:
            out.append(f"    parallel: {{resource: {dag.pool[i]}}}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def sinks(dag: Dag) -> list[int]:
    has_child = [False] * dag.n
    for ds in dag.deps:
        for d in ds:
            has_child[d] = True
    return [i for i in range(dag.n) if not has_child[i]]


def write_ninja(path, name, dag, ids, command, pool_size):
    sd = "ninja-stamps"
    out = [
        f"# {name}: generated by bench/workloads/generate.py",
        "# Each step runs its command through /bin/sh -c and then writes its stamp",
        "# file with a shell redirection (no extra process).",
        "ninja_required_version = 1.5",
        "",
    ]
    if any(p is not None for p in dag.pool):
        out += [f"pool {POOL_NAME}", f"  depth = {pool_size}", ""]
    out += ["rule run", "  command = $cmd && : > $out", "  description = $out", ""]
    for i in range(dag.n):
        line = f"build {sd}/{ids[i]}.stamp: run"
        if dag.deps[i]:
            line += " | " + " ".join(f"{sd}/{ids[d]}.stamp" for d in dag.deps[i])
        out.append(line)
        out.append("  cmd = " + " ".join(command_argv(command, dag.durations_ms[i])))
        if dag.pool[i] is not None:
            out.append(f"  pool = {dag.pool[i]}")
    out += ["", "build all: phony " + " ".join(f"{sd}/{ids[i]}.stamp" for i in sinks(dag)),
            "default all", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def write_make(path, name, dag, ids, command, pool_size):
    """GNU make has no resource pools.  Steps of a pool of size P are split
    round-robin (in topological = id order) into P chains with order-only
    prerequisites: a valid static serialization that never holds a job slot
    while waiting (the alternative, flock, would)."""
    sd = "make-stamps"
    out = [
        f"# {name}: generated by bench/workloads/generate.py",
        "# Run: make -j K -s (from this directory).  Builtin rules are disabled.",
        "MAKEFLAGS += --no-builtin-rules --no-builtin-variables",
        ".SUFFIXES:",
        f"S := {sd}",
        "",
        ".DEFAULT_GOAL := all",
        "all: " + " ".join(f"$(S)/{ids[i]}.stamp" for i in sinks(dag)),
        ".PHONY: all",
        "",
        "$(S):",
        "\t@mkdir -p $@",
        "",
    ]
    last_in_chain: dict[int, int] = {}
    pool_seen = 0
    for i in range(dag.n):
        prereq = " ".join(f"$(S)/{ids[d]}.stamp" for d in dag.deps[i])
        order_only = ["$(S)"]
        if dag.pool[i] is not None:
            chain = pool_seen % pool_size
            pool_seen += 1
            if chain in last_in_chain:
                order_only.append(f"$(S)/{ids[last_in_chain[chain]]}.stamp")
            last_in_chain[chain] = i
        out.append(f"$(S)/{ids[i]}.stamp: {prereq} | {' '.join(order_only)}".replace(":  |", ": |"))
        out.append("\t@" + " ".join(command_argv(command, dag.durations_ms[i])) + " && : > $@")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def generate(args: argparse.Namespace) -> dict:
    dag = build_dag(args)
    ids = step_ids(dag.n)
    k = args.concurrency
    if args.shape == "layers":
        name = f"layers-{args.layers}x{args.width}-{args.command}"
    else:
        name = f"{args.shape}-{dag.n}-{args.command}"
    os.makedirs(args.out, exist_ok=True)
    write_yaml(os.path.join(args.out, "workflow.yaml"), name, dag, ids, args.command, k, args.pool_size)
    write_ninja(os.path.join(args.out, "build.ninja"), name, dag, ids, args.command, args.pool_size)
    write_make(os.path.join(args.out, "Makefile"), name, dag, ids, args.command, args.pool_size)

    durations = [ms / 1000 for ms in dag.durations_ms] if args.command == "sleep" else [0.0] * dag.n
    bound = compute_bound(dag.deps, durations, dag.pool, {POOL_NAME: args.pool_size}, k)
    info = {
        "name": name,
        "shape": args.shape,
        "command": args.command,
        "seed": args.seed,
        "steps": dag.n,
        "edges": dag.edges(),
        "sinks": len(sinks(dag)),
        "pool": {"name": POOL_NAME, "size": args.pool_size,
                 "steps": sum(1 for p in dag.pool if p is not None)},
        **bound,
    }
    if args.command == "sleep" and dag.n <= 20000:
        # Reference schedules (simulated, not measured): how tight the bound is and
        # how much the start order and per-step overhead matter for this DAG.
        sizes = {POOL_NAME: args.pool_size} if info["pool"]["steps"] else {}
        sim = {}
        for order in ("critical-path", "critical-path-by-steps", "fifo"):
            for ms in (0, 2):
                t = simulate(dag.deps, durations, dag.pool, sizes, k, order, ms / 1000)
                sim[f"{order}{'' if ms == 0 else f'+{ms}ms'}"] = round(t, 6)
        if sizes:
            sim["fifo-holding-slot-while-waiting-for-pool"] = round(
                simulate(dag.deps, durations, dag.pool, sizes, k, "fifo", 0.0, hold_slot=True), 6)
        info["simulated_makespan_s"] = sim
        lb = info["lower_bound_s"]
        info["simulated_over_bound"] = {key: round(v / lb, 4) for key, v in sim.items()}
    if args.command == "sleep":
        info["pool_step_ids"] = [ids[i] for i in range(dag.n) if dag.pool[i] is not None]
        info["long_steps"] = sum(1 for ms in dag.durations_ms if ms >= 100)
    else:
        # `true` workloads: durations are not modelled, only counts are meaningful.
        for key in ("critical_path_s", "total_work_s", "pool_work_s", "lower_bound_s", "lower_bound_term"):
            info[key] = None
    with open(os.path.join(args.out, "bound.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    return info


# --------------------------------------------------------------------------- self-test

def self_test() -> int:
    failures = 0

    def check(label, got, want, verbose=True):
        nonlocal failures
        ok = math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12) if isinstance(want, float) else got == want
        if verbose or not ok:
            print(f"  {'ok  ' if ok else 'FAIL'} {label}: got {got!r}, want {want!r}")
        if not ok:
            failures += 1
        return ok

    print("lower bound on hand-checked DAGs:")
    # a(1) b(2) -> c(3) -> d(1); a -> c.  Critical path b,c,d = 6; total 7; K=2 -> 3.5.
    b = compute_bound([[], [], [0, 1], [2]], [1.0, 2.0, 3.0, 1.0], [None] * 4, {}, 2)
    check("diamond critical path", b["critical_path_s"], 6.0)
    check("diamond total work", b["total_work_s"], 7.0)
    check("diamond lower bound", b["lower_bound_s"], 6.0)
    check("diamond depth", b["depth_steps"], 3)
    # 4 independent 1 s steps, K=2: critical path 1, total/K = 2.
    b = compute_bound([[]] * 4, [1.0] * 4, [None] * 4, {}, 2)
    check("wide-4 K=2 lower bound", b["lower_bound_s"], 2.0)
    check("wide-4 K=2 term", b["lower_bound_term"], "total_work_over_k_s")
    # 3 pool steps of 1 s in a pool of 1 + 5 free of 1 s, K=8: pool term 3.
    b = compute_bound([[]] * 8, [1.0] * 8, ["p"] * 3 + [None] * 5, {"p": 1}, 8)
    check("pool lower bound", b["lower_bound_s"], 3.0)
    check("pool term", b["lower_bound_term"], "pool_p_work_over_size_s")
    # Same with a pool of 2: 3 / 2 = 1.5.
    b = compute_bound([[]] * 8, [1.0] * 8, ["p"] * 3 + [None] * 5, {"p": 2}, 8)
    check("pool-of-2 lower bound", b["lower_bound_s"], 1.5)
    # Two paths: 0(0.5)->2(0.25), 1(0.1)->2; 2->3(0.125); 1->3.  cp = 0.875.
    b = compute_bound([[], [], [0, 1], [1, 2]], [0.5, 0.1, 0.25, 0.125], [None] * 4, {}, 1)
    check("two-path critical path", b["critical_path_s"], 0.875)
    check("two-path K=1 lower bound (total)", b["lower_bound_s"], 0.975)


    print("simulated schedules on hand-checked DAGs:")
    # 0 (1 s), 1 (1 s), 2 (3 s) independent, K=2: FIFO 0,1 then 2 -> 4 s; critical path first -> 3 s.
    deps, dur = [[], [], []], [1.0, 1.0, 3.0]
    check("K=2 FIFO", simulate(deps, dur, [None] * 3, {}, 2, "fifo"), 4.0)
    check("K=2 critical-path first", simulate(deps, dur, [None] * 3, {}, 2, "critical-path"), 3.0)
    check("K=2 critical-path first, +0.5 s overhead", simulate(deps, dur, [None] * 3, {}, 2, "critical-path", 0.5), 3.5)
    # 3 pool steps (pool of 1) listed first, then 5 free steps, all 1 s, K=2.
    # Not holding a slot while waiting: 4 s (= total / K).  Holding: s1 and s2 each
    # sit on the second slot while the pool is busy -> 5 s.
    deps, dur, pools = [[]] * 8, [1.0] * 8, ["p"] * 3 + [None] * 5
    check("pool, no slot held while waiting", simulate(deps, dur, pools, {"p": 1}, 2, "fifo"), 4.0)
    check("pool, slot held while waiting", simulate(deps, dur, pools, {"p": 1}, 2, "fifo", hold_slot=True), 5.0)
    # Diamond from above, K=2: the schedule reaches the bound.
    # A chain of three 1 s steps, a 1 s step and a 4 s step, K=2: counted in steps the chain and the 1 s step go
    # first and the 4 s step ends at 5 s; weighed in time the 4 s step starts at once and all ends at 4 s.
    chain = ([[], [0], [1], [], []], [1.0, 1.0, 1.0, 1.0, 4.0], [None] * 5)
    check("K=2 critical-path by steps", simulate(*chain, {}, 2, "critical-path-by-steps"), 5.0)
    check("K=2 critical-path by time", simulate(*chain, {}, 2, "critical-path"), 4.0)
    # The same as a list of sort keys: -height in time, per step.
    check("K=2 sort keys (-height in time)", simulate(*chain, {}, 2, [-3.0, -2.0, -1.0, -1.0, -4.0]), 4.0)
    check("K=2 sort keys (file order)", simulate(*chain, {}, 2, [0] * 5), simulate(*chain, {}, 2, "fifo"))
    # Three independent 1 s steps, K=3, 0.1 s per launch, one launch after another: the last starts at 0.3 s.
    check("K=3 serial launches", simulate([[]] * 3, [1.0] * 3, [None] * 3, {}, 3, "fifo", launch_s=0.1), 1.3)
    check("K=3 launch cost in the steps", simulate([[]] * 3, [1.0] * 3, [None] * 3, {}, 3, "fifo", 0.1), 1.1)
    check("diamond K=2 critical-path first", simulate([[], [], [0, 1], [2]], [1.0, 2.0, 3.0, 1.0],
                                                      [None] * 4, {}, 2, "critical-path"), 6.0)

    print("default workloads of bench/run.sh (figures quoted in docs/performance.md):")
    parser = make_parser()
    dag_args = parser.parse_args(["random", "--n", "200", "--seed", "1", "--command", "sleep"])
    dag = build_dag(dag_args)
    check("random-200: every duration is 5-15 ms or 200-500 ms",
          all(5 <= ms <= 15 or 200 <= ms <= 500 for ms in dag.durations_ms), True)
    check("random-200: long steps", sum(1 for ms in dag.durations_ms if ms >= 200), 13)
    b = compute_bound(dag.deps, [ms / 1000 for ms in dag.durations_ms], dag.pool, {}, 8)
    check("random-200 K=8: lower bound", b["lower_bound_s"], 0.851)
    check("random-200: depth", b["depth_steps"], 10)

    print("generator: every shape, both commands; build with ninja and make when installed:")
    have_ninja = shutil.which("ninja") is not None
    have_make = shutil.which("make") is not None
    if not (have_ninja and have_make):
        print("  (ninja and/or make not installed: skipping the build checks)")
    cases = [
        ["wide", "--n", "7"],
        ["chain", "--n", "6"],
        ["layers", "--layers", "3", "--width", "4"],
        ["random", "--n", "40", "--seed", "3"],
        ["pool", "--n", "10", "--pool-fraction", "0.3"],
        ["random", "--n", "30", "--pool-fraction", "0.2", "--pool-size", "2", "--pool-placement", "random"],
    ]
    parser = make_parser()
    with tempfile.TemporaryDirectory(prefix="flowline-bench-selftest-") as tmp:
        for case in cases:
            for command in ("true", "sleep"):
                out = os.path.join(tmp, "-".join(case + [command]).replace("--", ""))
                # keep the self-test fast: every sleep is 1 ms
                extra = ["--duration", "0.001"] if command == "sleep" else []
                args = parser.parse_args(case + ["--command", command, "--out", out, "--concurrency", "4"] + extra)
                info = generate(args)
                label = f"{info['name']} (+pool {info['pool']['steps']})" if info["pool"]["steps"] else info["name"]
                n = info["steps"]
                dag = build_dag(args)
                before = failures
                check(f"{label}: steps", n, dag.n, False)
                # Structural cross-check of the three files.
                with open(os.path.join(out, "workflow.yaml"), encoding="utf-8") as f:
                    y = f.read()
                check(f"{label}: yaml step count", y.count("\n  - id: "), n, False)
                check(f"{label}: yaml edges", sum(line.count(",") + 1 for line in y.splitlines()
                                                   if line.startswith("    dependsOn: [")), dag.edges(), False)
                try:  # PyYAML is not required; use it when present.
                    import yaml  # type: ignore
                    doc = yaml.safe_load(y)
                    check(f"{label}: yaml commands are strings",
                          all(isinstance(s["config"]["command"], str) for s in doc["steps"]), True, False)
                    check(f"{label}: yaml parses, deps match",
                          [len(s.get("dependsOn", [])) for s in doc["steps"]], [len(d) for d in dag.deps], False)
                except ImportError:
                    pass
                if have_ninja:
                    r = subprocess.run(["ninja", "-C", out, "-j4", "--quiet"], capture_output=True, text=True)
                    got = len(os.listdir(os.path.join(out, "ninja-stamps"))) if r.returncode == 0 else r.stderr[-300:]
                    check(f"{label}: ninja builds every stamp", got, n, False)
                    r = subprocess.run(["ninja", "-C", out, "-n"], capture_output=True, text=True)
                    check(f"{label}: ninja second run is a no-op", "no work to do" in r.stdout, True, False)
                if have_make:
                    r = subprocess.run(["make", "-C", out, "-j4", "-s"], capture_output=True, text=True)
                    got = len(os.listdir(os.path.join(out, "make-stamps"))) if r.returncode == 0 else r.stderr[-300:]
                    check(f"{label}: make builds every stamp", got, n, False)
                    r = subprocess.run(["make", "-C", out, "-q"], capture_output=True, text=True)
                    check(f"{label}: make second run is a no-op", r.returncode, 0, False)
                print(f"  {'ok  ' if failures == before else 'FAIL'} {label}: {n} steps, {info['edges']} edges;"
                      f" yaml{', ninja' if have_ninja else ''}{', make' if have_make else ''} agree")
    print("self-test:", "PASSED" if failures == 0 else f"{failures} FAILURE(S)")
    return 0 if failures == 0 else 1


# --------------------------------------------------------------------------- CLI

def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shape", nargs="?", choices=SHAPES)
    p.add_argument("--n", type=int, default=100, help="number of steps (not for layers)")
    p.add_argument("--layers", type=int, default=10, help="layers (shape layers)")
    p.add_argument("--width", type=int, default=10, help="steps per layer (shape layers)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--concurrency", "-k", type=int, default=8,
                   help="concurrency K: written into the workflow and used for the bound (default 8)")
    p.add_argument("--pool-fraction", type=float, default=None,
                   help="fraction of steps in the pool (default 0.2 for shape pool, else 0)")
    p.add_argument("--pool-size", type=int, default=1, help="size of the pool (default 1)")
    p.add_argument("--pool-placement", choices=("first", "random"), default="first",
                   help="which steps are in the pool: the first ones in file order (default; "
                        "adversarial for FIFO schedulers) or a seeded random sample")
    p.add_argument("--command", choices=("true", "sleep"), default="true")
    p.add_argument("--duration", type=float, default=None,
                   help="sleep seconds for every step (default: 0.05 for pool, 0.01 for wide/chain/layers, "
                        "heavy-tailed for random)")
    p.add_argument("--out", help="output directory")
    p.add_argument("--self-test", action="store_true", help="run the self-test and exit")
    return p


def main(argv=None) -> int:
    p = make_parser()
    args = p.parse_args(argv)
    if args.self_test:
        return self_test()
    if args.shape is None or args.out is None:
        p.error("SHAPE and --out are required (or use --self-test)")
    if args.concurrency < 1 or args.pool_size < 1:
        p.error("--concurrency and --pool-size must be >= 1")
    if args.pool_fraction is not None and not 0.0 <= args.pool_fraction <= 1.0:
        p.error("--pool-fraction must be between 0 and 1")
    info = generate(args)
    summary = {k: info[k] for k in ("name", "steps", "edges", "depth_steps", "lower_bound_s", "lower_bound_term")}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
