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
import gc
import json
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nn
from autograd import Value
from bench import floor, workloads


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


def bench_moons(repeats: int) -> dict[str, Any]:
    X, y = workloads.moons_data()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    weights = workloads.weights_of(model)
    lr = 0.05  # small and fixed: every timed step does the same work
    result: dict[str, Any] = {"workload": "moons step", "unit": "ms per step"}
    # Same start, same data: the first step's loss must agree before anything is timed.
    ours = workloads.moons_step(nn.MLP(2, [16, 16, 1], seed=0), X, y, lr)
    theirs = floor.moons_step([[list(n) for n in layer] for layer in weights], X, y, lr, workloads.ALPHA)
    if abs(ours - theirs) > 1e-9 * abs(theirs):
        raise AssertionError(f"moons: engine loss {ours!r} != floor loss {theirs!r}")
    result["loss"] = ours
    floor_weights = [[list(n) for n in layer] for layer in weights]
    stats = interleaved(
        lambda: workloads.moons_step(model, X, y, lr),
        lambda: floor.moons_step(floor_weights, X, y, lr, workloads.ALPHA),
        repeats,
    )
    result.update(stats)
    try:
        import micrograd  # noqa: F401
    except ImportError:
        result["micrograd"] = "not installed (pip install 'chainrule[bench]')"
        return result
    micro = workloads.micrograd_model(weights)
    micro_loss = workloads.micrograd_moons_step(workloads.micrograd_model(weights), X, y, lr)
    if abs(micro_loss - ours) > 1e-9 * abs(ours):
        raise AssertionError(f"moons: micrograd loss {micro_loss!r} != chainrule loss {ours!r}")
    floor_weights_2 = [[list(n) for n in layer] for layer in weights]
    micro_stats = interleaved(
        lambda: workloads.micrograd_moons_step(micro, X, y, lr),
        lambda: floor.moons_step(floor_weights_2, X, y, lr, workloads.ALPHA),
        max(3, repeats // 3),
    )
    result["micrograd"] = {"ratio_to_floor": micro_stats["ratio"], "step_s": micro_stats["engine_s"],
                           "gc_s": micro_stats["engine_gc_s"]}  # fmt: skip
    return result


def bench_deep_chain(ops: int, repeats: int) -> dict[str, Any]:
    args = (0.5, ops, 1.0001, 1e-4)
    ours, theirs = workloads.deep_chain(*args), floor.deep_chain(*args)
    if abs(ours[0] - theirs[0]) > 1e-9 * abs(theirs[0]) or abs(ours[1] - theirs[1]) > 1e-9 * abs(theirs[1]):
        raise AssertionError(f"deep chain: engine {ours} != floor {theirs}")
    stats = interleaved(lambda: workloads.deep_chain(*args), lambda: floor.deep_chain(*args), repeats)
    stats["us_per_op"] = stats["engine_s"] / ops * 1e6
    # Heap per node: tracemalloc's peak over one forward + backward, at a tenth of the size.
    small = max(3000, ops // 10)
    gc.collect()
    tracemalloc.start()
    workloads.deep_chain(0.5, small, 1.0001, 1e-4)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nodes = 1 + (small // 3) * 5  # per (relu, *, +): 3 computed nodes and 2 constant leaves
    return {"workload": f"deep chain, {ops:,} ops", "unit": "s", **stats,
            "heap_bytes_per_node": peak / nodes, "heap_bytes_per_op": peak / small}  # fmt: skip


def bench_wide(n: int, repeats: int) -> list[dict[str, Any]]:
    ws, xs = workloads.random_vector(n, 1), workloads.random_vector(n, 2)
    expected, expected_grads, _ = floor.wide(ws, xs)
    rows = []
    for name, f in [
        ("wide, builtin sum", workloads.wide_builtin_sum),
        ("wide, autograd.sum", workloads.wide_fused_sum),
        ("wide, autograd.dot", workloads.wide_dot),
    ]:
        value, grads = f([Value(v) for v in ws], [Value(v) for v in xs])
        if abs(value - expected) > 1e-9 * max(1.0, abs(expected)) or grads != expected_grads:
            raise AssertionError(f"{name}: engine disagrees with the floor")
        w, x = [Value(v) for v in ws], [Value(v) for v in xs]
        stats = interleaved(lambda f=f, w=w, x=x: f(w, x), lambda: floor.wide(ws, xs), repeats)
        rows.append({"workload": f"{name}, {n:,} products", "unit": "ms", **stats})
    return rows


def bench_render(repeats: int) -> list[dict[str, Any]]:
    model = nn.MLP(2, [16, 16, 1], seed=0)
    rows = []
    for collapse in (True, False):
        times = [timed(lambda c=collapse: workloads.render_sample(model, c))[0] for _ in range(repeats)]
        rows.append({"workload": f"render one sample, {'collapsed' if collapse else 'expanded'}",
                     "unit": "ms", "engine_s": statistics.median(times)})  # fmt: skip
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'workload':44s} {'chainrule':>12s} {'floor':>10s} {'ratio':>7s} {'in GC':>7s}"]
    for row in rows:
        scale = 1e3
        engine = f"{row['engine_s'] * scale:9.2f} ms"
        base = f"{row['baseline_s'] * scale:7.2f} ms" if "baseline_s" in row else f"{'-':>10s}"
        ratio = f"{row['ratio']:6.2f}x" if "ratio" in row else f"{'-':>7s}"
        in_gc = f"{row['engine_gc_s'] / row['engine_s']:6.0%}" if "engine_gc_s" in row else f"{'-':>7s}"
        lines.append(f"{row['workload']:44s} {engine:>12s} {base:>10s} {ratio:>7s} {in_gc:>7s}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke run)")
    parser.add_argument("--json", default="bench/results/latest.json", help="where to write the figures")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 11
    rows: list[dict[str, Any]] = []
    rows.append(bench_moons(repeats))
    rows.append(bench_deep_chain(30_000 if args.quick else 1_000_000, 3 if args.quick else 7))
    rows.extend(bench_wide(1_000 if args.quick else 10_000, repeats))
    rows.extend(bench_render(2 if args.quick else 5))
    print(table(rows))
    moons, chain = rows[0], rows[1]
    print(f"\nmoons step: loss {moons['loss']:.6f}; micrograd: {moons['micrograd']}")
    heap = f"{chain['heap_bytes_per_node']:.0f} heap bytes per node ({chain['heap_bytes_per_op']:.0f} per op)"
    print(f"deep chain: {chain['us_per_op']:.2f} us per op (forward + backward, GC on), {heap}")
    machine = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": _cpus()}
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine, "quick": args.quick, "rows": rows}, indent=2))
    print(f"wrote {path}")
    return 0


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    sys.exit(main())
