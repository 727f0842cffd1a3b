"""The op functions (``autograd.exp(x)``, ``autograd.relu(x)``, ...) take a Value, as
``torch.exp`` takes a tensor: a plain number is refused with a TypeError that names the op and
what it got, not Python's "'float' object has no attribute 'data'" from inside the op."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value
from autograd.op_registry import OPS

# the op functions autograd exports whose first input is one Value (sum and dot take lists)
ONE_VALUE = sorted(n for n in OPS if hasattr(autograd, n) and n not in ("sum", "dot"))


def test_the_exported_op_functions_are_the_unary_ops_and_leaky_relu() -> None:
    assert ONE_VALUE == sorted(
        ["atan", "cos", "exp", "gelu", "leaky_relu", "log", "relu", "sigmoid", "silu", "sin", "softplus",
         "sqrt", "tan", "tanh"]
    )  # fmt: skip


@pytest.mark.parametrize("name", ONE_VALUE)
@pytest.mark.parametrize(
    "given, shown",
    [(2.0, "float 2.0"), (True, "bool True"), (None, "NoneType None"), ("x", "str 'x'"),
     (np.float64(0.5), "float64 np.float64(0.5)"), ([Value(1.0)], f"list {[Value(1.0)]!r}")],
)  # fmt: skip
def test_a_number_is_refused_by_name(name: str, given: object, shown: str) -> None:
    with pytest.raises(TypeError) as caught:
        getattr(autograd, name)(given)
    assert str(caught.value) == (
        f"{name}(): input 0 must be a Value, got {shown}; "
        "make a number a Value first (Value(x)), or use the math module for plain floats"
    )
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("name", ONE_VALUE)
def test_a_value_still_works(name: str) -> None:
    out = getattr(autograd, name)(Value(0.5))
    out.backward()
    assert isinstance(out, Value) and math.isfinite(out.data)


def test_the_function_and_the_method_agree_with_math() -> None:
    x = Value(0.5)
    assert autograd.exp(x).data == math.exp(0.5) == x.exp().data
    assert autograd.tanh(x).data == math.tanh(0.5)


def test_a_complex_data_is_a_number_but_not_a_real_one() -> None:
    v = Value(1.0, label="z")
    v.data = 1j  # type: ignore[assignment]
    with pytest.raises(TypeError) as caught:
        v.tanh()
    assert str(caught.value) == (
        "tanh: input 0 'z' has .data = 1j, a complex, not a real number; "
        ".data must hold a float (set it to float(...), or to a Value's .data)"
    )


def test_other_errors_of_the_op_functions_are_unchanged() -> None:
    with pytest.raises(TypeError, match=r"^leaky_relu: expected a real number, got str 'x'"):
        autograd.leaky_relu(Value(1.0), "x")  # type: ignore[arg-type]
    assert autograd.sum([1.0, 2.0]).data == 3.0  # sum and dot still take numbers in their lists
    assert autograd.dot([Value(1.0)], [2.0]).data == 2.0


@pytest.mark.parametrize(
    "call, shown",
    [(lambda: autograd.sum(2.0), "values (input 0) must be a list or tuple of Values or numbers, got float 2.0"),
     (lambda: autograd.sum(None), "values (input 0) must be a list or tuple of Values or numbers, got NoneType None"),
     (lambda: autograd.sum("ab"), "values (input 0) must be a list or tuple of Values or numbers, got str 'ab'"),
     (lambda: autograd.dot(2.0, 3.0), "ws (input 0) must be a list or tuple of Values or numbers, got float 2.0"),
     (lambda: autograd.dot([Value(1.0)], Value(2.0)),
      "xs (input 1) must be a list or tuple of Values or numbers, got Value Value(data=2.0, grad=0.0)")],
)  # fmt: skip
def test_sum_and_dot_name_an_input_that_is_not_a_list(call: object, shown: str) -> None:
    """Not Python's "'float' object is not iterable" or "object of type 'float' has no len()"."""
    name = "sum" if "values" in shown else "dot"
    with pytest.raises(TypeError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == f"{name}(): {shown}"


def test_sum_and_dot_still_take_lists_tuples_generators_and_arrays() -> None:
    w = [Value(1.5), Value(-2.0)]
    assert autograd.sum(v * v for v in w).data == 1.5**2 + 4.0
    assert autograd.dot(tuple(w), np.array([3.0, 0.5])).data == 1.5 * 3.0 - 2.0 * 0.5
    with pytest.raises(TypeError, match=r"^sum: expected a real number, got str 'a'$"):
        autograd.sum([Value(1.0), "a"])  # an element is named as before
