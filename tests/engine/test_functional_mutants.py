"""Holes the mutation session found in autograd/functional.py (docs/testing.md, issue 23).

Each case is derived by hand and fails on the surviving mutant named in its docstring.
"""

from __future__ import annotations

import pytest

from autograd import Value, grad, value_and_grad


def test_grad_with_no_arguments_says_what_to_do_instead():
    """The whole message, word for word (mutants: each of its three parts changed)."""
    with pytest.raises(ValueError) as caught:
        grad(lambda: Value(1.0))()
    assert str(caught.value) == (
        "grad: called with no arguments, so nothing to differentiate with respect to; grad(f)(x) "
        "gives df/dx at x. For the gradient with respect to Values f closes over (a model's "
        "parameters), call f().backward() and read each p.grad, or use trace_values(f, model)"
    )


def test_argnums_may_count_from_the_end():
    """f(x, y) = x * y**2: df/dx = y**2 = 9 and df/dy = 2xy = 12 at (2, 3); argnums -2 is x, -1
    is y (mutant: -len(args) refused)."""

    def f(x, y):
        return x * y**2

    assert grad(f, argnums=-2)(2.0, 3.0) == 9.0
    assert grad(f, argnums=-1)(2.0, 3.0) == 12.0
    assert grad(f, argnums=(-2, 1))(2.0, 3.0) == (9.0, 12.0)


@pytest.mark.parametrize("argnums", [2, -3, (0, 2)])
def test_argnums_out_of_range_is_named(argnums):
    """Two arguments have positions -2..1: 2 and -3 are refused, naming the position
    (mutant: len(args) accepted)."""
    bad = 2 if argnums in (2, (0, 2)) else -3
    with pytest.raises(ValueError) as caught:
        grad(lambda x, y: x * y, argnums=argnums)(2.0, 3.0)
    assert str(caught.value) == f"grad: argnums {bad} is out of range for 2 arguments"


def test_a_non_number_argument_is_named():
    """grad(f)('a'): a TypeError naming grad (mutants: the name changed or dropped)."""
    with pytest.raises(TypeError) as caught:
        grad(lambda x: x * 2.0)("a")
    assert str(caught.value) == "grad: expected a real number, got str 'a'"


def test_a_result_that_is_not_a_number_is_named():
    """f returning a string: a TypeError naming f's result (mutant: the words changed)."""
    with pytest.raises(TypeError) as caught:
        grad(lambda x: "s")(1.0)
    assert str(caught.value) == "grad: f's result: expected a real number, got str 's'"


def test_a_constant_result_with_several_argnums_gives_a_tuple_of_zeros():
    """f(x, y) = 3 does not depend on x or y: (3.0, (0.0, 0.0)) (mutant: one 0.0 instead)."""
    assert value_and_grad(lambda x, y: 3.0, argnums=(0, 1))(1.0, 2.0) == (3.0, (0.0, 0.0))
    assert value_and_grad(lambda x, y: 3, argnums=1)(1.0, 2.0) == (3.0, 0.0)


def test_with_a_value_argument_the_value_is_a_value_too():
    """value_and_grad(f)(Value(2)) for f = x**3 gives the Value 8 (with a graph: d/dx = 12) and
    the Value 12 (mutant: the value as a plain float)."""
    x = Value(2.0)
    value, slope = value_and_grad(lambda v: v**3)(x)
    assert isinstance(value, Value) and isinstance(slope, Value)
    assert (value.data, slope.data) == (8.0, 12.0)
    value.backward()
    assert x.grad == 12.0  # d(x**3)/dx = 3 x**2 = 12 at 2, through the value's own graph
