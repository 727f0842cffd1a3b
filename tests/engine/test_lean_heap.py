"""The heap bound (bench/heap.py): bytes per node of the deep chain, with grads, on this Python.

Not a timing: tracemalloc counts the bytes the graph holds, which are the same on every run.
"""

import pytest

from bench import heap


@pytest.mark.slow  # tracemalloc over a 3,000-node chain: about 1.5 s, too long for the fast loop
def test_bytes_per_node_with_grads_within_this_pythons_bound():
    figures = heap.heap_per_node(3_000)
    # the graph alone < with grads (one new float per node)
    assert 0 < figures["heap_bytes_per_node"] < figures["heap_bytes_per_node_with_grads"]
    # what each further node costs, with its grad: no growth
    assert 100 < heap.bytes_per_node_with_grads() <= heap.bound()


def test_the_bounds_by_version():
    assert heap.bound((3, 10)) == heap.bound((3, 11)) == 165.0
    assert heap.bound((3, 12)) == heap.bound((3, 13)) == 173.0
