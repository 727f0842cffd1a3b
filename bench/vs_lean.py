"""chainrule's node engine against the lean baseline: ``python -m bench.vs_lean [--quick]``.

The same code (``bench/gpt.py``) runs on ``autograd.Value`` and on ``bench.lean.LeanValue``
in this process, interleaved (chainrule, lean, chainrule, lean, ...), after a check that both
give the same numbers. Times are CPU seconds (``time.process_time``: the machines these run on
are shared, and a wall clock counts the other users' work); every ratio is the median of the
per-pair ratios chainrule / lean, so below 1.0 chainrule is faster. Garbage collection is on,
as users run the code; the ``collector paused`` rows run chainrule inside
``autograd.collector_paused()`` against the lean engine as it is (it has no such switch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import autograd
import nn
from autograd import Value
from bench import floor, gpt, workloads
from bench.lean import LeanValue

CHAIN = (0.5, 1.0001, 1e-4)  # the deep chain's x0, scale, shift (bench/workloads.py's)


def cpu_interleaved(ours: Callable[[], Any], lean: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Median CPU seconds of each and the median of the per-pair ratios ours / lean."""
    pairs = []
    for _ in range(repeats):
        start = time.process_time()
        ours()
        middle = time.process_time()
        lean()
        pairs.append((middle - start, time.process_time() - middle))
    return {
        "engine_s": statistics.median(a for a, _ in pairs),
        "baseline_s": statistics.median(b for _, b in pairs),
        "ratio": statistics.median(a / b for a, b in pairs),
    }


def paused(step: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with autograd.collector_paused():
            return step()

    return run


def agree(name: str, ours: Any, lean: Any, rel: float) -> None:
    """Raise unless the two engines' results agree to ``rel`` (numbers or tuples of numbers)."""
    pairs = zip(ours, lean) if isinstance(ours, tuple) else [(ours, lean)]
    for a, b in pairs:
        if abs(a - b) > rel * max(1.0, abs(b)):
            raise AssertionError(f"{name}: chainrule {ours!r} != lean {lean!r}")


def moons_pair(n: int) -> tuple[Callable[[], float], Callable[[], float]]:
    """The moons step on each engine, each with its own copy of the same weights."""
    X, y = workloads.moons_data(n)
    weights = workloads.weights_of(nn.MLP(2, [16, 16, 1], seed=0))
    ours_model = gpt.mlp_parameters(Value, weights)
    lean_model = gpt.mlp_parameters(LeanValue, weights)
    expected = floor.moons_step([[list(r) for r in layer] for layer in weights], X, y, 0.05, workloads.ALPHA)
    ours = partial(gpt.moons_step, Value, ours_model, X, y, 0.05, workloads.ALPHA)
    lean = partial(gpt.moons_step, LeanValue, lean_model, X, y, 0.05, workloads.ALPHA)
    first = ours()
    agree("moons step", first, lean(), 1e-12)
    agree("moons step against the floor", first, expected, 1e-9)
    return ours, lean


def chain_pair(ops: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    x0, scale, shift = CHAIN
    ours = partial(gpt.chain, Value, x0, ops, scale, shift, Value.backward)
    lean = partial(gpt.chain, LeanValue, x0, ops, scale, shift, LeanValue.backward_iterative)
    agree("deep chain", ours(), lean(), 1e-12)
    agree("deep chain against the floor", ours(), floor.deep_chain(x0, ops, scale, shift), 1e-9)
    return ours, lean


def gpt_pair(length: int) -> tuple[Callable[[], float], Callable[[], float]]:
    seq = gpt.sequence(length)
    ours_params, lean_params = gpt.gpt_parameters(Value), gpt.gpt_parameters(LeanValue)
    ours = partial(gpt.gpt_step, ours_params, seq)
    lean = partial(gpt.gpt_step, lean_params, seq)
    agree("tiny GPT step", ours(), lean(), 1e-12)
    return ours, lean


def rows(quick: bool = False, chain_ops: int = 1_000_000) -> list[dict[str, Any]]:
    """The three workloads on both engines, GC on and (chainrule) inside collector_paused()."""
    ops = 30_000 if quick else chain_ops
    length = 4 if quick else gpt.BLOCK
    repeats = (3, 3, 3) if quick else (11, 5, 7)
    out = []
    for (name, pair), n in zip(
        [("moons step (100 points, MLP 2-16-16-1)", moons_pair(100)),
         (f"deep chain, {ops:,} ops", chain_pair(ops)),
         (f"tiny GPT step ({length} positions, 4,192 params)", gpt_pair(length))],
        repeats,
    ):  # fmt: skip
        ours, lean = pair
        out.append({"workload": name, **cpu_interleaved(ours, lean, n), "targets": "<= 1.0"})
        out.append({"workload": name + ", collector paused", **cpu_interleaved(paused(ours), lean, n),
                    "targets": "<= 0.8"})  # fmt: skip
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """CPU ms of each engine and the median ratio chainrule / lean."""
    head = f"{'workload (same code on both engines)':62s} {'chainrule':>10s} {'lean':>10s} {'ratio':>6s}"
    head += "  target"
    lines = [head, "-" * len(head)]
    for row in rows:
        times = f"{row['engine_s'] * 1e3:7.1f} ms {row['baseline_s'] * 1e3:7.1f} ms"
        lines.append(f"{row['workload']:62s} {times} {row['ratio']:6.2f}  {row['targets']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vs_lean", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke run)")
    parser.add_argument("--chain-ops", type=int, default=1_000_000, metavar="N",
                        help="ops in the deep chain (default 1,000,000)")  # fmt: skip
    args = parser.parse_args(argv)
    print(table(rows(args.quick, args.chain_ops)))
    print(f"Python {sys.version.split()[0]}; CPU time, medians of interleaved pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
