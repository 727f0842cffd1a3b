"""Where the engine's time goes: ``python -m bench.profile [--quick] [--cprofile]``.

For the moons step and the deep chain, times each phase separately (forward, the backward
order, the chain-rule loop, freeing the graph, the update), the time inside the cycle collector
and how many collections of each generation ran, and the same work with the collector off.
``--cprofile`` adds cProfile's top functions. ``--what-if`` times engine changes simulated from
outside the engine (nothing in autograd/ is modified): constant operands that make no new leaf,
``dot`` without its per-input type check, and a higher collector threshold.

Phase times are medians of a few runs, with no baseline: they say how the engine's own time is
split, not how fast it is (``python -m bench.run`` does that, against the floor).
"""

from __future__ import annotations

import argparse
import builtins
import cProfile
import gc
import io
import operator
import pstats
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import autograd
import nn
from autograd import Value
from autograd.backward import backward_order
from autograd.ops import record
from bench import workloads
from bench.run import GcClock


@contextmanager
def collector_off() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def collections() -> list[int]:
    return [generation["collections"] for generation in gc.get_stats()]


class Phases:
    """Accumulates named phase times over runs and reports their medians."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        self.times.setdefault(name, []).append(seconds)

    def report(self, per: float, unit: str) -> str:
        lines = []
        for name, values in self.times.items():
            lines.append(f"  {name:50s} {statistics.median(values) / per * 1e6:9.3f} {unit}")
        return "\n".join(lines)


def profile_moons(repeats: int) -> None:
    X, y = workloads.moons_data()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    params = model.parameters()
    phases = Phases()
    nodes = edges = 0
    gens: list[int] = []
    for _ in range(repeats):
        before = collections()
        with GcClock() as clock:
            t0 = time.perf_counter()
            loss = nn.hinge([model(x) for x in X], y) + workloads.ALPHA * autograd.sum(
                [p * p for p in params]
            )
            t1 = time.perf_counter()
            order = backward_order(loss)
            t2 = time.perf_counter()
            for p in params:
                p.grad = 0.0
            loss.backward()  # computes the order again, then the loop
            t3 = time.perf_counter()
            for p in params:
                p.data -= 0.05 * p.grad
            t4 = time.perf_counter()
            nodes, edges = len(order), builtins.sum(len(n.inputs) for n in order)
            del order, loss
            t5 = time.perf_counter()
        gens = [after - b for after, b in zip(collections(), before)]
        phases.add("forward (nn.MLP on 100 points, loss)", t1 - t0)
        phases.add("backward: the order (backward_order)", t2 - t1)
        phases.add("backward: the chain-rule loop", (t3 - t2) - (t2 - t1))
        phases.add("SGD update", t4 - t3)
        phases.add("freeing the graph", t5 - t4)
        phases.add("  of all the above, inside the cycle collector", clock.seconds)
        phases.add("total", t5 - t0 - (t2 - t1))
        with collector_off():
            t0 = time.perf_counter()
            workloads.moons_step(model, X, y, 0.05)
            phases.add("total with gc.disable()", time.perf_counter() - t0)
    print(
        f"moons step: {nodes:,} computed nodes, {edges:,} edges; collections per step (gen 0, 1, 2): {gens}"
    )
    print(phases.report(1.0, "us per step"))


def profile_chain(ops: int, repeats: int) -> None:
    phases = Phases()
    gens: list[int] = []
    for _ in range(repeats):
        before = collections()
        with GcClock() as forward_clock:
            t0 = time.perf_counter()
            x, y = workloads.deep_chain_forward(0.5, ops, 1.0001, 1e-4)
            t1 = time.perf_counter()
        gens = [after - b for after, b in zip(collections(), before)]
        order = backward_order(y)
        t2 = time.perf_counter()
        del order
        with GcClock() as backward_clock:
            t3 = time.perf_counter()
            y.backward()
            t4 = time.perf_counter()
            del x, y
            t5 = time.perf_counter()
        phases.add("forward", t1 - t0)
        phases.add("  of which inside the cycle collector", forward_clock.seconds)
        phases.add("backward: the order (backward_order)", t2 - t1)
        phases.add("backward: the chain-rule loop", (t4 - t3) - (t2 - t1))
        phases.add("freeing the graph", t5 - t4)
        phases.add("backward + freeing: inside the cycle collector", backward_clock.seconds)
        with collector_off():
            t0 = time.perf_counter()
            workloads.deep_chain_forward(0.5, ops, 1.0001, 1e-4)  # built and freed
            phases.add("forward (and freeing) with gc.disable()", time.perf_counter() - t0)
    print(f"deep chain, {ops:,} ops: collections during the forward pass (gen 0, 1, 2): {gens}")
    print(phases.report(ops, "us per op"))


def cprofile(title: str, f: Callable[[], Any], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(f)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    body = out.getvalue()
    print(f"\ncProfile, {title} (sorted by own time):")
    print(body[body.index("   ncalls") :].rstrip())


# --- engine changes, simulated from outside the engine ------------------------------------------


def chain_shared_constants(ops: int) -> None:
    """The chain with its two constants made once: what storing constant operands without a new
    leaf per use would save (the graph is the same apart from the 2 leaves per 3 ops)."""
    y = Value(0.5)
    scale, shift = Value(1.0001), Value(1e-4)
    for _ in range(ops // 3):
        y = (y.relu() * scale) + shift
    y.backward()


def dot_unchecked(ws: list[Value], xs: list[Value], bias: Value) -> Value:
    """``autograd.dot`` minus its per-input isinstance check (``as_values``), for inputs known to
    be Values already, as nn's layers know after checking a sample once."""
    n = len(ws)
    inputs = (*ws, *xs, bias)
    data = [v.data for v in inputs]
    w_data, x_data = data[:n], data[n : 2 * n]
    out = builtins.sum(map(operator.mul, w_data, x_data), data[2 * n])
    return record(out, "dot", inputs, (*x_data, *w_data, 1.0))


def bare_step_with(dot: Callable[..., Value], model: workloads.BareMLP, X: list[list[float]],
                   y: list[float]) -> None:  # fmt: skip
    params = workloads.bare_parameters(model)
    terms = []
    for xs, target in zip(X, y):
        a = [Value(v) for v in xs]
        for k, layer in enumerate(model):
            z = [dot(w, a, b) for w, b in layer]
            a = z if k == len(model) - 1 else [v.relu() for v in z]
        terms.append((1.0 - target * a[0]).relu())
    loss = autograd.sum(terms) / len(terms) + workloads.ALPHA * autograd.sum([p * p for p in params])
    loss.backward()


def median_ratio(a: Callable[[], Any], b: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    """(median time of a, of b, median of b/a over interleaved pairs)."""
    pairs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        pairs.append((t1 - t0, time.perf_counter() - t1))
    return (statistics.median(p for p, _ in pairs), statistics.median(q for _, q in pairs),
            statistics.median(q / p for p, q in pairs))  # fmt: skip


def what_if(ops: int, repeats: int) -> None:
    print("\nwhat if (engine changes simulated outside the engine; medians of interleaved pairs):")

    def as_is() -> None:
        workloads.deep_chain(0.5, ops, 1.0001, 1e-4)

    a, b, r = median_ratio(as_is, lambda: chain_shared_constants(ops), repeats)
    print(f"  deep chain, no new leaf per constant operand: {a / ops * 1e6:.2f} -> {b / ops * 1e6:.2f} us/op "
          f"({r:.2f}x the time)")  # fmt: skip
    old = gc.get_threshold()
    few_full = (old[0], old[1], 1000)  # full collections all but never

    def with_threshold(threshold: tuple[int, int, int]) -> None:
        gc.set_threshold(*threshold)
        try:
            as_is()
        finally:
            gc.set_threshold(*old)

    a, b, r = median_ratio(lambda: with_threshold(old), lambda: with_threshold(few_full), repeats)
    print(f"  deep chain, gc.set_threshold{few_full} (a user's choice, not the engine's): "
          f"{a / ops * 1e6:.2f} -> {b / ops * 1e6:.2f} us/op ({r:.2f}x the time)")  # fmt: skip
    X, y = workloads.moons_data()
    weights = workloads.weights_of(nn.MLP(2, [16, 16, 1], seed=0))
    model = workloads.bare_mlp(weights)
    a, b, r = median_ratio(lambda: bare_step_with(autograd.dot, model, X, y),
                           lambda: bare_step_with(dot_unchecked, model, X, y), repeats)  # fmt: skip
    print(f"  moons step (Value + dot), dot without as_values' isinstance pass: {a * 1e3:.2f} -> "
          f"{b * 1e3:.2f} ms ({r:.2f}x the time)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a 30,000-op chain and few repeats")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions")
    parser.add_argument("--what-if", action="store_true", help="also time simulated engine changes")
    args = parser.parse_args(argv)
    ops, repeats = (30_000, 3) if args.quick else (1_000_000, 5)
    profile_moons(3 if args.quick else 15)
    profile_chain(ops, repeats)
    if args.cprofile:
        X, y = workloads.moons_data()
        model = nn.MLP(2, [16, 16, 1], seed=0)
        cprofile("10 moons steps", lambda: [workloads.moons_step(model, X, y, 0.05) for _ in range(10)], 15)
        cprofile(f"deep chain, {ops:,} ops", lambda: workloads.deep_chain(0.5, ops, 1.0001, 1e-4), 12)
    if args.what_if:
        what_if(ops, repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
