"""Heap bytes per node of the deep chain, and the bound they must stay within on this Python.

``python -m bench.heap`` prints the figures and whether the bound holds; it needs nothing but
the engine and ``nn`` (run it under each Python with ``PYTHONPATH=.``); the chain is
``bench.workloads.deep_chain_forward``, the one the timing rows use. ``tests/engine/test_lean_heap.py``
asserts the bound on the Python that runs the tests.

The bound is the node as it is (``docs/performance.md``, "The heap target"): no growth. Per
three ops of the chain (relu, * 1.0001, + 1e-4) the graph holds three computed nodes and two
constant leaves, with their ``inputs`` and ``local_grads`` tuples and, after ``backward()``, a
grad float each: 165 B per node on 3.10 and 3.11, 173 B on 3.12 and 3.13, where a ``Value``
is 8 bytes larger (its weak-reference slot moved into a pre-header).
"""

from __future__ import annotations

import gc
import sys
import tracemalloc

from bench.workloads import deep_chain_forward


def bound(version: tuple[int, int] = (sys.version_info.major, sys.version_info.minor)) -> float:
    """The most bytes per node, with grads, allowed on Python ``version``."""
    return 165.0 if version < (3, 12) else 173.0


def heap_per_node(ops: int) -> dict[str, float]:
    """tracemalloc bytes per node of a deep chain: the graph alone, with its grads, and the peak.

    The peak includes backward()'s temporary order (a list, a set and a stack over every node).
    A fixed part (tracemalloc's own first allocations) is spread over the nodes, so small chains
    read a little high (0.2 B at 30,000 ops); ``bytes_per_node_with_grads`` leaves it out.
    """
    nodes = 1 + (ops // 3) * 5  # per (relu, *, +): 3 computed nodes and 2 constant leaves
    gc.collect()
    tracemalloc.start()
    try:
        x, y = deep_chain_forward(0.5, ops, 1.0001, 1e-4)
        graph, _ = tracemalloc.get_traced_memory()
        y.backward()
        with_grads, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del x, y
    return {"heap_bytes_per_node": graph / nodes, "heap_bytes_per_node_with_grads": with_grads / nodes,
            "heap_bytes_per_node_peak": peak / nodes}  # fmt: skip


def bytes_per_node_with_grads(small: int = 3_000, large: int = 30_000) -> float:
    """What each further node of the chain costs with its grad: the growth in bytes from ``small``
    to ``large`` ops, over the growth in nodes. The fixed part cancels, so this does not depend
    on the chain's size."""
    nodes = [1 + (ops // 3) * 5 for ops in (small, large)]
    held = [heap_per_node(ops)["heap_bytes_per_node_with_grads"] * n for ops, n in zip((small, large), nodes)]
    return (held[1] - held[0]) / (nodes[1] - nodes[0])


def main() -> int:
    heap = heap_per_node(30_000)
    with_grads, limit = bytes_per_node_with_grads(), bound()
    verdict = "met" if with_grads <= limit else "NOT met"
    print(f"Python {sys.version.split()[0]}: {heap['heap_bytes_per_node']:.1f} B per node as built, "
          f"{heap['heap_bytes_per_node_with_grads']:.1f} B with grads, each further node {with_grads:.1f} B "
          f"(bound {limit:.0f} B: {verdict})")  # fmt: skip
    return 0 if with_grads <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
