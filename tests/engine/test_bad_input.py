"""Bad input is refused where it enters, with the exception type and a message naming op and value."""

import fractions

import numpy as np
import pytest

import autograd
from autograd import Value


@pytest.mark.parametrize("bad", ["abc", None, [1], 1 + 2j, {"a": 1}])
def test_value_rejects_non_real(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_of_a_value_says_what_to_do():
    with pytest.raises(TypeError, match="detach"):
        Value(Value(1.0))


@pytest.mark.parametrize(
    "ok", [True, 3, 2.5, fractions.Fraction(1, 4), np.float32(1.5), np.int64(7), np.float64(2)]
)
def test_value_accepts_real_numbers(ok):
    v = Value(ok)
    assert type(v.data) is float and v.data == float(ok)


@pytest.mark.parametrize("bad", ["abc", None, [1], 1 + 2j])
def test_operators_reject_non_real_operands(bad):
    x = Value(1.0)
    for op in (
        lambda: x + bad,
        lambda: bad + x,
        lambda: x * bad,
        lambda: x / bad,
        lambda: x**bad,
        lambda: x - bad,
    ):
        with pytest.raises(TypeError, match=type(bad).__name__):
            op()


def test_comparison_with_non_number():
    with pytest.raises(TypeError, match="str"):
        _ = Value(1.0) < "a"


def test_fused_ops_name_themselves():
    with pytest.raises(TypeError, match="sum.*str"):
        autograd.sum([Value(1.0), "x"])
    with pytest.raises(TypeError, match="dot.*NoneType"):
        autograd.dot([Value(1.0)], [None])
    with pytest.raises(ValueError, match="dot.*3 and 2"):
        autograd.dot([1, 2, 3], [1, 2])


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_domain(x):
    with pytest.raises(ValueError, match=rf"log: input must be > 0, got {x!r}"):
        Value(x).log()


def test_sqrt_domain():
    with pytest.raises(ValueError, match=r"sqrt: input must be >= 0, got -4.0"):
        Value(-4.0).sqrt()


def test_fractional_power_of_negative_base():
    with pytest.raises(ValueError, match=r"pow: negative base -2.0 .* 0.5"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="pow"):
        (-8) ** Value(1 / 3)


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError, match=r"div: division by zero \(1.0 / 0.0\)"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="div"):
        1 / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="pow: 0.0 to the negative power -1.0"):
        Value(0.0) ** -1


def test_overflow_names_the_op():
    with pytest.raises(OverflowError, match=r"exp: e \*\* 1000.0"):
        Value(1000.0).exp()
    with pytest.raises(OverflowError, match=r"pow: 10.0 \*\* 400.0"):
        Value(10.0) ** 400


def test_leaky_relu_slope_must_be_a_number():
    with pytest.raises(TypeError, match="leaky_relu.*str"):
        Value(1.0).leaky_relu("a")


def test_micrograd_style_children_argument_is_refused():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(TypeError, match="label must be a str, got tuple"):
        Value(3.0, (a, b), "+")


def test_leaky_relu_slope_is_known_on_either_side_of_zero():
    from autograd import ops

    for x in (2.0, -2.0, 0.0):
        for slope in (0.01, 0.2, -0.5):
            node = Value(x).leaky_relu(slope)
            assert ops.leaky_relu_slope(node) == slope, (x, slope)
