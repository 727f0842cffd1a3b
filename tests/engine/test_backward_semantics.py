"""The backward pass itself: fan-out, diamonds, calling it twice, order, size and memory."""

import asyncio
import gc
import math
import threading
import weakref

import pytest

from autograd import Value, backward_order, enable_grad, is_grad_enabled, no_grad, topological_order
from autograd.backward import chain_rule_step


def test_a_plus_a_counts_both_edges():
    a = Value(3.0)
    b = a + a
    assert b.inputs == (a, a)
    b.backward()
    assert a.grad == 2.0  # would be 1.0 if the loop used = instead of +=


def test_a_times_a():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_diamond():
    # x -> u = 2x, v = x^2 -> y = u * v = 2x^3 ; dy/dx = 6x^2
    x = Value(1.5)
    u, v = x * 2, x**2
    y = u * v
    y.backward()
    assert x.grad == pytest.approx(6 * 1.5**2, rel=1e-15)
    assert u.grad == pytest.approx(v.data) and v.grad == pytest.approx(u.data)


def test_order_puts_every_node_after_its_consumers():
    x = Value(1.0)
    a = x * 2
    b = a + x
    c = b * a
    order = topological_order(c)
    position = {id(n): k for k, n in enumerate(order)}
    for node in order:
        for child in node.inputs:
            assert position[id(child)] > position[id(node)]
    assert order[0] is c and len(order) == len({id(n) for n in order})
    assert {id(n) for n in order} == {id(n) for n in (x, a, b, c, a.inputs[1])}


def test_backward_order_is_the_computed_nodes_only():
    x = Value(1.0)
    a = x * 2
    b = a + x
    c = b * a
    assert backward_order(c) == [c, b, a]
    assert backward_order(x) == []  # a leaf: nothing to visit


def test_backward_twice_doubles_leaves_but_not_interior():
    x = Value(2.0)
    h = x * x  # interior
    y = h * 3
    y.backward()
    assert x.grad == 12.0 and h.grad == 3.0
    y.backward()
    assert x.grad == 24.0  # leaves accumulate, as in PyTorch
    assert h.grad == 3.0  # interior grads are recomputed for each call


def test_backward_with_upstream_grad():
    x = Value(2.0)
    (x * 5).backward(grad=0.5)
    assert x.grad == 2.5


def test_leaf_backward():
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_chain_rule_step_is_one_node():
    x, w = Value(2.0), Value(-3.0)
    y = x * w
    y.grad = 2.0
    chain_rule_step(y)
    assert x.grad == -6.0 and w.grad == 4.0
    x._backward()  # a leaf: nothing to pass on
    assert x.grad == -6.0


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + 1
        with enable_grad():
            z = x * 3
    assert is_grad_enabled()
    assert y.data == 7.0 and y.inputs == () and y.op == ""
    assert z.inputs != ()


def test_no_grad_as_decorator():
    @no_grad()
    def f(v):
        return v * 2

    assert f(Value(1.0)).inputs == ()


def test_no_grad_is_per_thread():
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def worker():
        with no_grad():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    seen["main"] = is_grad_enabled()
    seen["node"] = (Value(1.0) * 2).inputs != ()
    release.set()
    t.join()
    assert seen == {"main": True, "node": True}


def test_no_grad_is_per_async_task():
    async def in_no_grad(started, proceed):
        with no_grad():
            started.set()
            await proceed.wait()
            return is_grad_enabled()

    async def other(started, proceed):
        await started.wait()
        enabled = is_grad_enabled()
        proceed.set()
        return enabled

    async def main():
        started, proceed = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(in_no_grad(started, proceed), other(started, proceed))

    assert asyncio.run(main()) == [False, True]


def test_detach_stops_gradients():
    x = Value(2.0)
    y = x * x
    d = y.detach()
    assert d.data == 4.0 and d.inputs == () and d is not y
    (d * x).backward()
    assert x.grad == 4.0  # only through the direct edge: d is a constant


@pytest.mark.slow
def test_million_op_chain_forward_and_backward():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000 // 3):
        y = (y * 1.0).relu() + 0.0
    y.backward()
    assert y.data == 0.5 and x.grad == 1.0


def test_graph_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(100):
            y = (y * 2).tanh() + y
        y.backward()
        probe = weakref.ref(y.inputs[0])
        leaf_probe = weakref.ref(x)
        del y, x
        assert probe() is None and leaf_probe() is None  # freed by reference counting alone
    finally:
        gc.enable()


def test_repr_shows_data_grad_op_label():
    a = Value(0.0, label="z").sigmoid()
    a.label = "a"
    a.backward()
    assert repr(a) == "Value(data=0.5, grad=1.0, op='sigmoid', label='a')"
    assert repr(Value(2)) == "Value(data=2.0, grad=0.0)"
    assert repr(Value(math.inf)) == "Value(data=inf, grad=0.0)"


def test_slots_and_micrograd_aliases():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    assert not hasattr(c, "__dict__")
    assert c._prev == (a, b) and c._op == "mul"
    with pytest.raises(AttributeError):
        c._prev = ()  # read-only alias
    assert isinstance(c.grad, float) and c.local_grads == (2.0, 1.0)
