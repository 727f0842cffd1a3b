"""Run the benchmark suite: ``python -m bench.run [--quick] [--json PATH]``.

Every figure is a median over repeated runs, and every speed is a ratio to a baseline run in
the same process, interleaved with it (engine, baseline, engine, baseline, ...), because
these machines are shared and absolute times drift from one run to the next. Baselines:
the *floor* (``bench/floor.py``: the same arithmetic on plain floats, no graph) and, when
it is installed (``pip install 'chainrule[bench]'``), micrograd 0.1.0 from the same weights.

Times include garbage collection, as users run the code; the time the cycle collector
spends is measured separately (``gc.callbacks``).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import nn
from autograd import Value, free_graph
from bench import floor, vs_lean, workloads
from bench.heap import bound as heap_bound
from bench.heap import heap_per_node


class GcClock:
    """Seconds spent inside the cycle collector while it is installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def timed(f: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, of which in the cycle collector) for one call of ``f``."""
    with GcClock() as clock:
        start = time.perf_counter()
        f()
        elapsed = time.perf_counter() - start
    return elapsed, clock.seconds


def interleaved(engine: Callable[[], Any], baseline: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Median engine time, median baseline time, median of the per-pair ratios, GC share."""
    pairs = []
    gc_seconds = []
    for _ in range(repeats):
        engine_time, engine_gc = timed(engine)
        baseline_time, _ = timed(baseline)
        pairs.append((engine_time, baseline_time))
        gc_seconds.append(engine_gc)
    return {
        "engine_s": statistics.median(e for e, _ in pairs),
        "baseline_s": statistics.median(b for _, b in pairs),
        "ratio": statistics.median(e / b for e, b in pairs),
        "engine_gc_s": statistics.median(gc_seconds),
    }


def bench_moons(repeats: int, micrograd_repeats: int) -> list[dict[str, Any]]:
    X, y = workloads.moons_data()
    weights = workloads.weights_of(nn.MLP(2, [16, 16, 1], seed=0))
    lr = 0.05  # small and fixed: every timed step does the same work

    def floor_step() -> Callable[[], float]:
        own = [[list(n) for n in layer] for layer in weights]  # each timed baseline its own copy
        return lambda: floor.moons_step(own, X, y, lr, workloads.ALPHA)

    # Same start, same data: the first step's loss must agree before anything is timed.
    expected = floor_step()()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    paused = nn.MLP(2, [16, 16, 1], seed=0)
    bare = workloads.bare_mlp(weights)
    start = time.perf_counter()
    compiled = workloads.compiled_moons(nn.MLP(2, [16, 16, 1], seed=0), X, y)
    print(f"moons: traced and compiled once in {time.perf_counter() - start:.2f} s (not in the timed step)")
    candidates: list[tuple[str, Callable[[], float]]] = [
        ("moons step, nn.MLP", lambda: workloads.moons_step(model, X, y, lr)),
        ("moons step, nn.MLP, collector paused", lambda: workloads.paused_moons_step(paused, X, y, lr)),
        ("moons step, Value + dot (no nn)", lambda: workloads.bare_moons_step(bare, X, y, lr)),
        ("moons step, compiled trace", lambda: workloads.compiled_moons_step(compiled, lr)),
    ]
    try:
        import micrograd  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        print("micrograd not installed (pip install -e '.[bench]'): its row is skipped")
    else:
        micro = workloads.micrograd_model(weights)
        candidates.append(
            ("moons step, micrograd 0.1.0", lambda: workloads.micrograd_moons_step(micro, X, y, lr))
        )
    rows = []
    for name, step in candidates:
        loss = step()  # the first step from the shared weights: its loss is checked, then timed
        if abs(loss - expected) > 1e-9 * abs(expected):
            raise AssertionError(f"{name}: loss {loss!r} != the floor's {expected!r}")
        micro_row = "micrograd" in name
        if name.endswith("compiled trace"):
            warm_up(step)
        stats = interleaved(step, floor_step(), micrograd_repeats if micro_row else repeats)
        row = {"workload": name, "loss": loss, **stats}
        if name.endswith("nn.MLP"):
            row["targets"] = [check("ratio <= 5", stats["ratio"], 5.0, "{:.1f}x")]
        if name.endswith("collector paused"):  # a graph with no cycles need not pay for the collector
            row["targets"] = [check("GC <= 3%", stats["engine_gc_s"] / stats["engine_s"], 0.03, "{:.1%}")]
        if name.endswith("compiled trace"):
            row["targets"] = [check("ratio <= 2", stats["ratio"], 2.0, "{:.2f}x")]
        rows.append(row)
    return rows


def warm_up(f: Callable[[], Any], calls: int = 10) -> None:
    """Call generated code a few times before timing it, as training calls it thousands of times.

    CPython's adaptive interpreter specializes an instruction only after it has run several
    times; in straight-line code each instruction runs once per call, so the first calls of a
    compiled trace are slower than all the later ones (about 1.4x on the 100,000-op chain).
    """
    for _ in range(calls):
        f()


def check(target: str, measured: float, limit: float, shown: str) -> dict[str, Any]:
    """One target of the issue: its text, the measured figure as shown, and whether it is met."""
    return {"target": target, "measured": shown.format(measured), "met": measured <= limit}


def bench_deep_chain(ops: int, repeats: int) -> dict[str, Any]:
    args = (0.5, ops, 1.0001, 1e-4)
    ours, theirs = workloads.deep_chain(*args), floor.deep_chain(*args)
    if abs(ours[0] - theirs[0]) > 1e-9 * abs(theirs[0]) or abs(ours[1] - theirs[1]) > 1e-9 * abs(theirs[1]):
        raise AssertionError(f"deep chain: engine {ours} != floor {theirs}")
    stats = interleaved(lambda: workloads.deep_chain(*args), lambda: floor.deep_chain(*args), repeats)
    us_per_op = stats["engine_s"] / ops * 1e6
    heap = heap_per_node(max(30_000, ops // 10))  # at a tenth of the size: tracemalloc is slow
    targets = [
        check("<= 3 us/op", us_per_op, 3.0, "{:.2f}"),
        # a node's bytes once backward() has given it a grad: the graph as it is after training
        check(
            f"<= {heap_bound():.0f} B/node",
            heap["heap_bytes_per_node_with_grads"],
            heap_bound(),
            "{:.0f} with grads",
        ),  # no growth: the node as it is (bench/heap.py)
    ]
    return {"workload": f"deep chain, {ops:,} ops", **stats, "us_per_op": us_per_op, **heap,
            "targets": targets}  # fmt: skip


def bench_paused_deep_chain(ops: int, repeats: int) -> dict[str, Any]:
    """The deep chain built, differentiated and freed inside autograd.collector_paused()."""
    args = (0.5, ops, 1.0001, 1e-4)
    if workloads.paused_deep_chain(*args) != workloads.deep_chain(*args):
        raise AssertionError("deep chain: the paused collector changed the numbers")
    stats = interleaved(lambda: workloads.paused_deep_chain(*args), lambda: floor.deep_chain(*args), repeats)
    us_per_op = stats["engine_s"] / ops * 1e6
    targets = [
        check("<= 3 us/op", us_per_op, 3.0, "{:.2f}"),
        check("GC <= 10%", stats["engine_gc_s"] / stats["engine_s"], 0.10, "{:.1%}"),
    ]
    return {"workload": f"deep chain, {ops:,} ops, collector paused", **stats, "us_per_op": us_per_op,
            "targets": targets}  # fmt: skip


def freed_deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """``workloads.deep_chain`` taken apart by ``autograd.free_graph`` after backward, then dropped."""
    x, y = workloads.deep_chain_forward(x0, ops, scale, shift)
    y.backward()
    free_graph(y)
    return y.data, x.grad


def bench_freed_deep_chain(ops: int, repeats: int) -> dict[str, Any]:
    """The deep chain built, differentiated and then taken apart by ``autograd.free_graph`` before
    it is dropped, against the same chain simply dropped (today's free): the release's cost."""
    args = (0.5, ops, 1.0001, 1e-4)
    if freed_deep_chain(*args) != workloads.deep_chain(*args):
        raise AssertionError("deep chain: free_graph changed the numbers")
    stats = interleaved(lambda: freed_deep_chain(*args), lambda: workloads.deep_chain(*args), repeats)
    targets = [check("<= 1.15x the plain free", stats["ratio"], 1.15, "{:.2f}x")]
    return {"workload": f"deep chain, {ops:,} ops, freed by free_graph (baseline: dropped)", **stats,
            "us_per_op": stats["engine_s"] / ops * 1e6, "targets": targets}  # fmt: skip


def bench_compiled_chain(ops: int, repeats: int) -> dict[str, Any]:
    """The deep chain traced once and run as generated code (tracing and compiling not timed)."""
    args = (0.5, ops, 1.0001, 1e-4)
    start = time.perf_counter()
    run_compiled = workloads.compiled_deep_chain(ops, 1.0001, 1e-4)
    build_s = time.perf_counter() - start
    ours, theirs = run_compiled(0.5), floor.deep_chain(*args)
    if abs(ours[0] - theirs[0]) > 1e-12 * abs(theirs[0]) or abs(ours[1] - theirs[1]) > 1e-12 * abs(theirs[1]):
        raise AssertionError(f"compiled deep chain: {ours} != floor {theirs}")
    warm_up(lambda: run_compiled(0.5))
    stats = interleaved(lambda: run_compiled(0.5), lambda: floor.deep_chain(*args), repeats)
    print(f"compiled deep chain: traced and compiled once in {build_s:.1f} s (not in the timed run)")
    return {"workload": f"deep chain, compiled, {ops:,} ops", **stats, "build_s": build_s,
            "targets": [check("ratio <= 2", stats["ratio"], 2.0, "{:.2f}x")]}  # fmt: skip


def bench_wide(n: int, repeats: int) -> list[dict[str, Any]]:
    ws, xs = workloads.random_vector(n, 1), workloads.random_vector(n, 2)
    expected, expected_grads, _ = floor.wide(ws, xs)
    rows = []
    for name, f, fused in [
        ("wide, builtin sum", workloads.wide_builtin_sum, False),
        ("wide, autograd.sum", workloads.wide_fused_sum, True),
        ("wide, autograd.dot", workloads.wide_dot, True),
    ]:
        value, grads = f([Value(v) for v in ws], [Value(v) for v in xs])
        if abs(value - expected) > 1e-9 * max(1.0, abs(expected)) or grads != expected_grads:
            raise AssertionError(f"{name}: engine disagrees with the floor")
        w, x = [Value(v) for v in ws], [Value(v) for v in xs]
        stats = interleaved(partial(f, w, x), partial(floor.wide, ws, xs), repeats)
        row = {"workload": f"{name}, {n:,} products", **stats}
        if fused:
            row["targets"] = [check("ratio <= 10", stats["ratio"], 10.0, "{:.1f}x")]
        rows.append(row)
    return rows


def bench_flipbook_grid(repeats: int) -> list[dict[str, Any]]:
    """A flipbook frame's grid: MLP(2, [16, 16, 1]) at 30 x 30 points, the recorder's traced forward
    pass and the model called point by point, each against the floor's forward pass."""
    X, _ = workloads.moons_data()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    recorder = nn.TrainingRecorder(model, X, grid=30)
    points = recorder.grid_points()
    weights = workloads.weights_of(model)
    expected = [round(v, 3) for v in floor.mlp_outputs(weights, points)]
    start = time.perf_counter()
    traced = recorder.scores()  # the first call traces and compiles the forward pass
    print(f"flipbook grid: forward pass traced and compiled in {time.perf_counter() - start:.2f} s")
    by_model = [round(v, 3) for v in workloads.grid_scores_by_the_model(model, points)]
    if traced != expected or by_model != expected:
        raise AssertionError("flipbook grid: the scores differ from the floor's")
    rows = []
    for name, scores in [("flipbook grid 30x30, traced forward", recorder.scores),
                         ("flipbook grid 30x30, model per point", partial(workloads.grid_scores_by_the_model,
                                                                          model, points))]:  # fmt: skip
        stats = interleaved(scores, partial(floor.mlp_outputs, weights, points), repeats)
        rows.append({"workload": name, **stats})
    return rows


def optimizers_page(dataset: str, steps: int, grid: int, folder: str) -> None:
    """``chainrule optimizers DATASET`` with sgd, momentum, rmsprop and adam: train, surface, page."""
    from chainrule.cli import main as chainrule_main

    argv = ["optimizers", dataset, "-o", str(Path(folder) / f"{dataset}.html"), "--steps", str(steps),
            "--grid", str(grid), "--optimizers", "sgd,momentum,rmsprop,adam"]  # fmt: skip
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        if chainrule_main(argv) != 0:
            raise AssertionError(f"chainrule {' '.join(argv)} failed")


def bench_optimizers_page(repeats: int, quick: bool) -> list[dict[str, Any]]:
    """The optimizers page of the issue: 4 optimizers, 100 steps, a 40 x 40 surface, written whole."""
    steps, grid = (10, 8) if quick else (100, 40)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for dataset, model in [("xor", "MLP(2,[4,1])"), ("moons", "MLP(2,[16,16,1])")]:
            runs = [timed(partial(optimizers_page, dataset, steps, grid, folder)) for _ in range(repeats)]
            seconds = statistics.median(t for t, _ in runs)
            row = {"workload": f"optimizers page, {dataset} {model}, 4x{steps}, {grid}x{grid}",
                   "engine_s": seconds, "engine_gc_s": statistics.median(g for _, g in runs)}  # fmt: skip
            if not quick:
                row["targets"] = [check("page written", seconds, 20.0, "{:.1f} s (< 20 s)")]
            rows.append(row)
    return rows


def bench_render(repeats: int) -> list[dict[str, Any]]:
    """draw_dot + SVG; skipped with a note when draw_dot or Graphviz is not there."""
    import autograd

    if not hasattr(autograd, "draw_dot"):
        print("render: skipped, autograd.draw_dot does not exist yet")
        return []
    model = nn.MLP(2, [16, 16, 1], seed=0)
    try:
        workloads.render_sample(model, collapse=True)
    except (ImportError, autograd.GraphvizMissing) as error:
        print(f"render: skipped ({error})")
        return []
    rows = []
    for collapse in (True, False):
        runs = [timed(partial(workloads.render_sample, model, collapse)) for _ in range(repeats)]
        rows.append({"workload": f"render one sample, {'collapsed' if collapse else 'expanded'}",
                     "engine_s": statistics.median(t for t, _ in runs),
                     "engine_gc_s": statistics.median(g for _, g in runs)})  # fmt: skip
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """Times in ms; ratio = median of engine/floor over interleaved pairs; in GC = cycle collector share."""
    head = f"{'workload':46s} {'engine':>11s} {'floor':>9s} {'ratio':>8s} {'in GC':>6s}  target"
    lines = [head, "-" * len(head)]
    for row in rows:
        engine = f"{row['engine_s'] * 1e3:8.2f} ms"
        base = f"{row['baseline_s'] * 1e3:6.2f} ms" if "baseline_s" in row else "-"
        ratio = f"{row['ratio']:7.1f}x" if "ratio" in row else "-"
        in_gc = f"{row['engine_gc_s'] / row['engine_s']:5.0%}" if "engine_gc_s" in row else "-"
        target = "; ".join(
            f"{t['target']}: {t['measured']} {'met' if t['met'] else 'NOT met'}"
            for t in row.get("targets", [])
        )
        lines.append(f"{row['workload']:46s} {engine:>11s} {base:>9s} {ratio:>8s} {in_gc:>6s}  {target}")
    return "\n".join(lines)


def engine_commit() -> str:
    """``git describe`` of the checkout, '+dirty' when autograd/ or nn/ have uncommitted changes."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "autograd", "nn"], capture_output=True,
                               text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke run)")
    parser.add_argument("--json", default="bench/results/latest.json", help="where to write the figures")
    parser.add_argument("--compiled-chain-ops", type=int, default=100_000, metavar="N",
                        help="ops in the compiled chain (default 100,000: compiling a million-op function "
                        "takes minutes and gigabytes)")  # fmt: skip
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 11
    rows: list[dict[str, Any]] = []
    rows.extend(bench_moons(repeats, 2 if args.quick else 5))
    chain = bench_deep_chain(30_000 if args.quick else 1_000_000, 3 if args.quick else 7)
    rows.append(chain)
    rows.append(bench_paused_deep_chain(30_000 if args.quick else 1_000_000, 3 if args.quick else 7))
    rows.append(bench_freed_deep_chain(30_000 if args.quick else 1_000_000, 3 if args.quick else 7))
    compiled_ops = 6_000 if args.quick else args.compiled_chain_ops
    rows.append(bench_compiled_chain(compiled_ops, 3 if args.quick else 7))
    rows.extend(bench_wide(1_000 if args.quick else 10_000, repeats))
    rows.extend(bench_flipbook_grid(repeats))
    rows.extend(bench_render(2 if args.quick else 5))
    rows.extend(bench_optimizers_page(1 if args.quick else 3, args.quick))
    print(table(rows))
    lean_rows = vs_lean.rows(args.quick)  # the same code on chainrule and on bench/lean.py
    print("\n" + vs_lean.table(lean_rows))
    print(
        f"\ndeep chain: {chain['us_per_op']:.2f} us per op (forward + backward, GC on); heap per node: "
        f"{chain['heap_bytes_per_node']:.0f} B the graph, {chain['heap_bytes_per_node_with_grads']:.0f} B "
        f"with its grads, {chain['heap_bytes_per_node_peak']:.0f} B peak during backward()"
    )
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}
    commit = engine_commit()
    print(f"engine at commit {commit}; Python {machine['python']}, {machine['cpus']} CPUs")
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    results = {"commit": commit, "machine": machine, "quick": args.quick, "rows": rows, "vs_lean": lean_rows}
    path.write_text(json.dumps(results, indent=2))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
