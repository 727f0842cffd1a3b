"""chainrule against the lean engine and the float floor: ``python -m bench.vs_lean [--quick]``.

The same code (``bench/gpt.py``) runs on ``autograd.Value`` and on ``bench.lean.LeanValue``
in this process, and ``bench/floor.py`` does the same arithmetic by hand on plain floats (forward,
a backward pass derived by hand, the update): the fastest plain Python for the workload. The three
run interleaved (chainrule, lean, floor, chainrule, lean, floor, ...), after a check that they
give the same numbers. Times are CPU seconds (``time.process_time``: the machines these run on
are shared, and a wall clock counts the other users' work); every ratio is the median of the
per-round ratios (chainrule / lean, chainrule / floor, lean / floor), so below 1.0 the first is
faster. Garbage collection is on, as users run the code; each call starts after an untimed full
collection, so it never pays for another's garbage (``timed``); the ``collector paused`` rows run
chainrule inside ``autograd.collector_paused()`` against the lean engine and the floor as they
are (they have no such switch).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import autograd
import nn
from autograd import Value
from bench import floor, gpt, workloads
from bench.lean import LeanValue

CHAIN = (0.5, 1.0001, 1e-4)  # the deep chain's x0, scale, shift (bench/workloads.py's)
Step = Callable[[], Any]


def timed(step: Step) -> float:
    """CPU seconds of ``step()``, after an untimed full collection.

    The collection first means no call pays for garbage an earlier call left. The lean engine leaves
    its whole graph as cyclic garbage (its recursive sort's closure ``build`` refers to itself and
    holds the list of every node: 164,704 objects after a moons step of 100 points); run alone, it
    frees that garbage in its own collections, but interleaved, the collector would free it inside
    whichever call comes next. That garbage is not timed here at all, so the lean engine's figures
    are if anything low: with each engine alone in its own process (``--alone``) the tiny GPT step's
    ratio was 1.05 to 1.35 on Python 3.10 to 3.13, and 1.27 to 1.33 measured here (docs/performance.md).
    Charging the lean engine a forced full collection of its garbage instead (tried) made it 0.80:
    a forced collection of 400,000 objects costs far more than the young collection that frees
    the same cycle when the lean engine runs alone. The collector stays on during the call.
    """
    gc.collect()
    start = time.process_time()
    step()
    return time.process_time() - start


def cpu_interleaved(ours: Step, lean: Step, floor_step: Step, repeats: int) -> dict[str, float]:
    """Median CPU seconds of each and the medians of the per-round ratios.

    Each of the ``repeats`` rounds runs ours, lean, floor one after the other, each timed by
    ``timed``; ``ratio`` is chainrule / lean, ``floor_ratio`` chainrule / floor,
    ``lean_floor_ratio`` lean / floor.
    """
    rounds = []
    for _ in range(repeats):
        rounds.append((timed(ours), timed(lean), max(timed(floor_step), 1e-9)))
    return {
        "engine_s": statistics.median(a for a, _, _ in rounds),
        "baseline_s": statistics.median(b for _, b, _ in rounds),
        "floor_s": statistics.median(c for _, _, c in rounds),
        "ratio": statistics.median(a / b for a, b, _ in rounds),
        "floor_ratio": statistics.median(a / c for a, _, c in rounds),
        "lean_floor_ratio": statistics.median(b / c for _, b, c in rounds),
    }


def paused(step: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with autograd.collector_paused():
            return step()

    return run


def agree(name: str, ours: Any, theirs: Any, rel: float, baseline: str = "lean") -> None:
    """Raise ``AssertionError`` unless chainrule's result and the baseline's agree: each number
    |a - b| <= rel * max(1, |b|) (a NaN never agrees). Numbers, or sequences of the same length."""
    many = isinstance(ours, (tuple, list))
    ours_items: Sequence[float] = ours if many else [ours]
    their_items: Sequence[float] = theirs if isinstance(theirs, (tuple, list)) else [theirs]
    if len(ours_items) != len(their_items):
        counts = f"chainrule gave {len(ours_items)} numbers, {baseline} {len(their_items)}"
        raise AssertionError(f"{name}: {counts}")
    for i, (a, b) in enumerate(zip(ours_items, their_items)):
        if not abs(a - b) <= rel * max(1.0, abs(b)):
            where = f" (number {i} of {len(ours_items)})" if many else ""
            raise AssertionError(f"{name}{where}: chainrule {a!r} != {baseline} {b!r}")


def moons_trio(n: int) -> tuple[Step, Step, Step]:
    """The moons step on each engine and on the floor, each with its own copy of the same weights."""
    X, y = workloads.moons_data(n)
    weights = workloads.weights_of(nn.MLP(2, [16, 16, 1], seed=0))
    ours_model = gpt.mlp_parameters(Value, weights)
    lean_model = gpt.mlp_parameters(LeanValue, weights)
    floor_weights = [[list(r) for r in layer] for layer in weights]
    ours = partial(gpt.moons_step, Value, ours_model, X, y, 0.05, workloads.ALPHA)
    lean = partial(gpt.moons_step, LeanValue, lean_model, X, y, 0.05, workloads.ALPHA)
    floor_step = partial(floor.moons_step, floor_weights, X, y, 0.05, workloads.ALPHA)
    first = ours()
    agree("moons step", first, lean(), 1e-12)
    agree("moons step", first, floor_step(), 1e-9, "floor")
    after = [p.data for layer in ours_model for w, b in layer for p in (*w, b)]
    agree("moons step, the weights after it", after, [p for layer in floor_weights for n in layer for p in n],
          1e-9, "floor")  # fmt: skip
    return ours, lean, floor_step


def chain_trio(ops: int) -> tuple[Step, Step, Step]:
    """The deep chain (y and dy/dx0) on each engine and on the floor."""
    x0, scale, shift = CHAIN
    ours = partial(gpt.chain, Value, x0, ops, scale, shift, Value.backward)
    lean = partial(gpt.chain, LeanValue, x0, ops, scale, shift, LeanValue.backward_iterative)
    floor_step = partial(floor.deep_chain, x0, ops, scale, shift)
    first = ours()
    agree("deep chain", first, lean(), 1e-12)
    agree("deep chain", first, floor_step(), 1e-9, "floor")
    return ours, lean, floor_step


def gpt_trio(length: int) -> tuple[Step, Step, Step]:
    """The tiny GPT's step on each engine and on the floor (``floor.gpt_step``), same weights."""
    seq = gpt.sequence(length)
    ours_params, lean_params = gpt.gpt_parameters(Value), gpt.gpt_parameters(LeanValue)
    floor_weights = {name: [[p.data for p in row] for row in m] for name, m in ours_params.items()}
    ours = partial(gpt.gpt_step, ours_params, seq)
    lean = partial(gpt.gpt_step, lean_params, seq)
    floor_step = partial(floor.gpt_step, floor_weights, seq)
    first = ours()
    agree("tiny GPT step", first, lean(), 1e-12)
    agree("tiny GPT step", first, floor_step(), 1e-12, "floor")
    agree("tiny GPT step, the 4,192 weights after it", [p.data for p in gpt.flat(ours_params)],
          [p for m in floor_weights.values() for row in m for p in row], 1e-12, "floor")  # fmt: skip
    return ours, lean, floor_step


def rows(quick: bool = False, chain_ops: int = 1_000_000) -> list[dict[str, Any]]:
    """The three workloads on both engines and the floor, GC on and (chainrule) inside collector_paused()."""
    ops = 30_000 if quick else chain_ops
    length = 4 if quick else gpt.BLOCK
    repeats = (3, 3, 3) if quick else (11, 5, 7)
    out = []
    for (name, trio), n in zip(
        [("moons step (100 points, MLP 2-16-16-1)", moons_trio(100)),
         (f"deep chain, {ops:,} ops", chain_trio(ops)),
         (f"tiny GPT step ({length} positions, 4,192 params)", gpt_trio(length))],
        repeats,
    ):  # fmt: skip
        ours, lean, floor_step = trio
        out.append({"workload": name, **cpu_interleaved(ours, lean, floor_step, n), "targets": "<= 1.0"})
        out.append({"workload": name + ", collector paused",
                    **cpu_interleaved(paused(ours), lean, floor_step, n), "targets": "<= 0.8"})  # fmt: skip
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """CPU ms of chainrule, lean and the floor, and the median ratios (the target is chainrule / lean's)."""
    head = f"{'workload (same arithmetic in all three)':58s} {'chainrule':>10s} {'lean':>10s} {'floor':>10s}"
    head += f" {'ch/lean':>7s} {'ch/floor':>8s} {'lean/floor':>10s}  target"
    lines = [head, "-" * len(head)]
    for row in rows:
        times = " ".join(f"{row[key] * 1e3:7.1f} ms" for key in ("engine_s", "baseline_s", "floor_s"))
        ratios = f"{row['ratio']:7.2f} {row['floor_ratio']:8.2f} {row['lean_floor_ratio']:10.2f}"
        lines.append(f"{row['workload']:58s} {times} {ratios}  {row['targets']}")
    return "\n".join(lines)


ENGINES = {"chainrule": 0, "lean": 1}
ROOT = Path(__file__).resolve().parents[1]  # where ``python -m bench.vs_lean`` finds bench/


def one_engine(engine: str, workload: str, steps: int, chain_ops: int) -> float:
    """CPU seconds a step of one engine alone in this process (after one untimed step), GC on."""
    trio = {"moons": lambda: moons_trio(100), "chain": lambda: chain_trio(chain_ops),
            "gpt": lambda: gpt_trio(gpt.BLOCK)}[workload]()  # fmt: skip
    step = trio[ENGINES[engine]]
    step()
    start = time.process_time()
    for _ in range(steps):
        step()
    return (time.process_time() - start) / steps


def alone(steps: int, pairs: int, chain_ops: int) -> str:
    """Each engine in its own process, as users run one: ``pairs`` alternating pairs of processes
    per workload, each running ``steps`` steps; the median of the per-pair ratios chainrule / lean.
    This is the check on the interleaved figures: no garbage of one engine can land in the other's
    time, because they never share a process."""
    head = "workload, each engine alone in its process"
    lines = [f"{head:44s} {'chainrule':>10s} {'lean':>10s} {'ratio':>6s}"]
    for workload in ("moons", "chain", "gpt"):
        runs = []
        for _ in range(pairs):
            pair = []
            for engine in ENGINES:
                command = [sys.executable, "-m", "bench.vs_lean", "--one", engine, workload,
                           "--steps", str(steps), "--chain-ops", str(chain_ops)]  # fmt: skip
                run = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
                pair.append(float(run.stdout))
            runs.append(pair)
        ours, lean = (statistics.median(run[i] for run in runs) for i in (0, 1))
        ratio = statistics.median(a / b for a, b in runs)
        lines.append(f"{workload:44s} {ours * 1e3:7.1f} ms {lean * 1e3:7.1f} ms {ratio:6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vs_lean", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke run)")
    parser.add_argument("--chain-ops", type=int, default=1_000_000, metavar="N",
                        help="ops in the deep chain (default 1,000,000)")  # fmt: skip
    parser.add_argument("--alone", action="store_true",
                        help="each engine in its own process, alternating")  # fmt: skip
    parser.add_argument("--steps", type=int, default=10, help="with --alone: steps per process (default 10)")
    parser.add_argument("--one", nargs=2, metavar=("ENGINE", "WORKLOAD"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # a child of --alone: print CPU seconds per step
        print(one_engine(args.one[0], args.one[1], args.steps, args.chain_ops))
        return 0
    if args.alone:
        print(alone(args.steps, 3, args.chain_ops))
        print(f"Python {sys.version.split()[0]}; CPU time per step, medians of 3 pairs of processes")
        return 0
    print(table(rows(args.quick, args.chain_ops)))
    print(f"Python {sys.version.split()[0]}; CPU time, medians of rounds of chainrule, lean, floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
