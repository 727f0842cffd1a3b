"""Where one op's time goes, against the lean engine: ``python -m bench.per_op [--rounds N]``.

Each row runs a statement 20,000 times on chainrule's ``Value`` and on ``bench.lean.LeanValue``,
alternately, ``--rounds`` times (CPU time, the collector off: this is the op's own cost), and
reports the median of the per-round ratios chainrule / lean and the median nanoseconds a call.

The last rows are the bound: ``a * b`` written out by hand as the fewest steps that still make
chainrule's node (the grad-mode read, an empty Value, its six slots, the local derivatives), with
no guard, no ``as_value``, no rule call and no ``record`` call. No version of the op that keeps
the node's label and op name, and the grad mode, can be faster than that row.

Then the cycle collector: with a graph of ``--nodes`` ops alive (a chain of ``*`` and ``+``),
one full collection (``gc.collect()``) on each engine, alternately: the collector visits every
node and every slot of it, and chainrule's node has six slots and a weak-reference slot against
the lean engine's four. With the collector on, Python runs such full collections while a large
graph is being built, so this ratio bounds how close the two can come on a large graph.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from typing import Any

from autograd import Value
from autograd.grad_mode import recording
from bench.lean import LeanValue

CALLS = 20_000
STATEMENTS = ["a * b", "a + b", "a * 2.0", "0 + a", "a / b", "a.exp()", "a.relu()"]


def mul_by_hand(a: Value, b: Value, new: Any = object.__new__, mode: Any = recording.get) -> Value:
    """a * b with nothing but what chainrule's node needs (the bound; not used by the engine)."""
    if mode():
        out: Value = new(Value)
        out.data = a.data * b.data
        out.grad = 0.0
        out.label = ""
        out.op = "mul"
        out.inputs = (a, b)
        out.local_grads = (b.data, a.data)
        return out
    return Value(a.data * b.data)


def lean_node(a: LeanValue, b: LeanValue) -> LeanValue:
    """The lean engine's a * b (its __mul__ with the Value check done): the node and its tuples."""
    return LeanValue(a.data * b.data, (a, b), (b.data, a.data))


def graph(value_class: Any, nodes: int) -> Any:
    """A chain of ``nodes`` ops (``*`` and ``+`` in turn) on ``value_class``, kept alive."""
    x = y = value_class(0.5)
    for i in range(nodes // 2):
        y = y * x + 0.001 * (i % 3)
    return y


def full_collection_ms(root: Any) -> float:
    """CPU milliseconds of one full collection while ``root``'s graph (if any) is alive."""
    start = time.process_time()
    gc.collect()
    return (time.process_time() - start) * 1e3


def cpu_ns(statement: str, names: dict[str, Any]) -> float:
    """CPU nanoseconds per run of ``statement`` (CALLS runs)."""
    code = compile(f"for _ in range({CALLS}):\n    {statement}", "<per_op>", "exec")
    start = time.process_time()
    exec(code, dict(names))
    return (time.process_time() - start) / CALLS * 1e9


def row(name: str, ours: tuple[str, dict[str, Any]], lean: tuple[str, dict[str, Any]], rounds: int) -> str:
    pairs = [(cpu_ns(*ours), cpu_ns(*lean)) for _ in range(rounds)]
    ratio = statistics.median(a / b for a, b in pairs)
    ours_ns, lean_ns = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
    return f"{name:44s} {ours_ns:8.0f} ns {lean_ns:8.0f} ns {ratio:6.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.per_op", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds (default 15)")
    parser.add_argument("--nodes", type=int, default=200_000, help="ops in the graph collected (200,000)")
    args = parser.parse_args(argv)
    a, b, la, lb = Value(1.3), Value(0.7), LeanValue(1.3), LeanValue(0.7)
    ours_names = {"a": a, "b": b, "mul_by_hand": mul_by_hand}
    lean_names = {"a": la, "b": lb, "lean_node": lean_node}
    head = f"{'statement (the same on both engines)':44s} {'chainrule':>11s} {'lean':>11s} {'ratio':>6s}"
    print(head)
    print("-" * len(head))
    was_on = gc.isenabled()
    gc.disable()
    try:
        for statement in STATEMENTS:
            print(row(statement, (statement, ours_names), (statement, lean_names), args.rounds))
        print(row("a * b by hand (bound) / lean's node alone", ("mul_by_hand(a, b)", ours_names),
                  ("lean_node(la, lb)", {**lean_names, "la": la, "lb": lb}), args.rounds))  # fmt: skip
        print(row("a * b by hand (bound) / lean's a * b", ("mul_by_hand(a, b)", ours_names),
                  ("a * b", lean_names), args.rounds))  # fmt: skip
    finally:
        if was_on:
            gc.enable()
    python = sys.version.split()[0]
    print(f"Python {python}; CPU time, collector off, medians of {args.rounds} alternating rounds")
    rounds = []
    for _ in range(args.rounds):  # each graph alone alive, and neither (the rest of the process)
        times = []
        for value_class in (Value, LeanValue, None):
            root = graph(value_class, args.nodes) if value_class is not None else None
            gc.collect()
            times.append(full_collection_ms(root))
            del root
        rounds.append(times)
    ours_ms, lean_ms, rest_ms = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratio = statistics.median((a - c) / (b - c) for a, b, c in rounds)
    ours_ms, lean_ms = ours_ms - rest_ms, lean_ms - rest_ms
    print(
        f"\none full collection with a graph of {args.nodes:,} ops alive, less one without it: "
        f"chainrule {ours_ms:.1f} ms, lean {lean_ms:.1f} ms, ratio {ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
