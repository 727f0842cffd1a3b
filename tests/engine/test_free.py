"""``free_graph(root)``: the graph taken apart without recursion, the numbers kept."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import pytest

import autograd
from autograd import Value, free_graph, topological_order

ROOT = Path(__file__).resolve().parents[2]


def test_release_keeps_the_numbers_and_makes_every_computed_node_a_leaf():
    # z = h*h + h with h = x*w, x = 3, w = -2: h = -6, z = 30; dz/dh = 2h + 1 = -11,
    # dz/dx = -11 * w = 22, dz/dw = -11 * x = -33 (h is reached twice: a shared node)
    x, w = Value(3.0, label="x"), Value(-2.0, label="w")
    h = x * w
    h.label = "h"
    z = h * h + h
    z.backward()
    nodes = topological_order(z)
    computed = [n for n in nodes if n.inputs]
    assert [n.op for n in computed] == ["add", "mul", "mul"]  # z, h*h, h
    free_graph(z)
    assert (z.data, z.grad) == (30.0, 1.0)
    assert (h.data, h.grad, h.label) == (-6.0, -11.0, "h")
    assert (x.grad, w.grad, x.data, w.data) == (22.0, -33.0, 3.0, -2.0)
    for node in nodes:
        assert node.inputs == () and node.local_grads == () and node.op == "" and node.is_leaf
    free_graph(z)  # a second call finds nothing to do
    assert z.inputs == () and z.data == 30.0


def test_release_leaves_the_leaves_and_other_roots_alone():
    p = Value(2.0, label="p")
    a = p * p  # 4
    b = a.exp()
    free_graph(b)
    assert a.inputs == () and b.inputs == ()
    assert p.label == "p" and p.data == 2.0 and p.is_leaf
    c = p * 3.0  # the leaf still builds new graphs: dc/dp = 3
    c.backward()
    assert p.grad == 3.0
    free_graph(p)  # a leaf: nothing to take apart
    assert p.data == 2.0


def test_release_frees_each_node_during_the_walk():
    x = Value(0.5)
    y = x
    middles = []
    for k in range(1000):
        y = y * 1.0 + 1e-3
        if k % 100 == 0:
            middles.append(weakref.ref(y))
    y.backward()
    gc.disable()  # only reference counting may free them
    try:
        assert all(m() is not None for m in middles)
        free_graph(y)
        assert all(m() is None for m in middles)  # freed one at a time, while the root lives
        assert y.grad == 1.0 and x.grad == 1.0 and math.isclose(y.data, 0.5 + 1000 * 1e-3)
    finally:
        gc.enable()


def test_bad_root_is_named():
    with pytest.raises(TypeError, match="free_graph: root must be a Value, got float"):
        free_graph(1.5)  # type: ignore[arg-type]


def test_free_graph_is_autograd_public():
    assert autograd.free_graph is free_graph and "free_graph" in autograd.__all__


@pytest.mark.slow
def test_a_million_op_chain_is_built_differentiated_and_freed():
    # y = relu(y) * 1.0 + 1e-6, 333,333 times from 0.5 (three ops each): relu is the identity
    # on positive numbers, so dy/dx = 1 exactly and y = 0.5 + 333,333e-6 (to rounding).
    steps = 1_000_000 // 3
    x = Value(0.5)
    y = x
    for _ in range(steps):
        y = y.relu() * 1.0 + 1e-6
    y.backward()
    assert x.grad == 1.0 and math.isclose(y.data, 0.5 + steps * 1e-6, rel_tol=1e-9)
    deep = weakref.ref(y.inputs[0])
    free_graph(y)
    assert deep() is None and y.inputs == () and y.grad == 1.0 and x.grad == 1.0
    del y
    assert x.data == 0.5


@pytest.mark.slow
def test_release_runs_on_a_small_stack_with_a_low_recursion_limit():
    """A 64 KiB thread stack and a recursion limit of 60 (in a subprocess, so that a crash
    could not take pytest with it): free_graph takes a 300,000-op chain apart there."""
    code = textwrap.dedent(
        """
        import sys, threading, weakref
        from autograd import Value, free_graph
        x = Value(0.5); y = x
        for _ in range(300_000):
            y = y * 1.0 + 1e-6
        y.backward()
        middle = weakref.ref(y.inputs[0].inputs[0])
        result = []
        def release():
            sys.setrecursionlimit(60)
            free_graph(y)
            result.append((middle() is None, y.inputs, y.grad, x.grad))
        threading.stack_size(64 * 1024)
        thread = threading.Thread(target=release); thread.start(); thread.join()
        print(result)
        """
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(True, (), 1.0, 1.0)]"
