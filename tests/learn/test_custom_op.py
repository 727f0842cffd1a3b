"""custom_op: a learner's op works like a built-in one (backward, steps, pictures, create_graph)."""

import gc
import math

import pytest

from autograd import Value, custom_op, draw_dot, exp, grad, ops
from tests.oracles import central_difference, close


def cube(x):
    return x**3


def cube_derivative(x, out):
    return 3 * x**2  # works on floats and on Values


def hypot(a, b):
    return math.sqrt(a * a + b * b)


def hypot_derivative(a, b, out):
    return a / out, b / out


def softplus(x):
    return math.log1p(math.exp(x))


def softplus_derivative(x, out):  # sigmoid(x), written with Value-friendly operations
    return 1 - 1 / (1 + exp(x)) if isinstance(x, Value) else 1 - 1 / (1 + math.exp(x))


def test_backward_through_a_custom_op_matches_the_calculus_and_finite_differences():
    cube_op = custom_op(cube, cube_derivative, name="cube")
    x = Value(1.5, label="x")
    y = cube_op(x) * x  # x**4
    y.backward()
    assert y.inputs[0].op == "cube"
    assert close(x.grad, 4 * 1.5**3)
    assert close(x.grad, central_difference(lambda v: cube_op(v) * v, [1.5], 0), rel=1e-6)


def test_an_op_of_two_inputs_and_upstream_other_than_one():
    hypot_op = custom_op(hypot, hypot_derivative)
    a, b = Value(3.0), Value(4.0)
    out = hypot_op(a, b)
    assert out.op == "hypot" and out.data == 5.0
    out.backward(2.0)
    assert (a.grad, b.grad) == (2.0 * 3 / 5, 2.0 * 4 / 5)


def test_numbers_become_constant_leaves_as_in_built_in_ops():
    hypot_op = custom_op(hypot, hypot_derivative)
    b = Value(4.0)
    out = hypot_op(3, b)
    out.backward()
    assert out.inputs[0].data == 3.0 and b.grad == 0.8


def test_backward_steps_and_pictures_read_custom_nodes():
    cube_op = custom_op(cube, cube_derivative, name="cube")
    x = Value(2.0, label="x")
    y = cube_op(x)
    y.label = "y"
    (step,) = list(y.backward_steps())
    assert str(step).startswith("step 0: y = cube(x) = 8.0")
    assert "x.grad += 12.0 × 1.0 = 12.0" in str(step)
    assert "cube" in draw_dot(y).source


def test_create_graph_gives_second_derivatives():
    cube_op = custom_op(cube, cube_derivative, name="cube")
    d2 = grad(grad(lambda x: cube_op(x)))
    assert close(d2(2.0), 12.0)  # d²(x³)/dx² = 6x
    sp = custom_op(softplus, softplus_derivative, name="my_softplus")
    s = 0.7
    sigmoid = 1 / (1 + math.exp(-s))
    assert close(grad(grad(lambda x: sp(x)))(s), sigmoid * (1 - sigmoid), rel=1e-12)


def test_a_custom_rule_is_kept_per_node_and_freed_with_it():
    before = len(ops.CUSTOM_RULES)
    cube_op = custom_op(cube, cube_derivative, name="cube")
    y = cube_op(Value(1.0))
    assert len(ops.CUSTOM_RULES) == before + 1
    del y
    gc.collect()
    assert len(ops.CUSTOM_RULES) == before


def test_under_no_grad_a_custom_op_makes_a_leaf():
    from autograd import no_grad

    with no_grad():
        y = custom_op(cube, cube_derivative)(Value(2.0))
    assert y.is_leaf and y.data == 8.0


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: custom_op(cube, cube_derivative, name="tanh"),
            ValueError,
            "'tanh' is the name of a built-in op",
        ),
        (lambda: custom_op(cube, cube_derivative, name="not a name"), ValueError, "must be an identifier"),
        (lambda: custom_op(cube, 3), TypeError, "must be functions"),
        (lambda: custom_op(cube, cube_derivative)(Value(1.0), Value(2.0)), TypeError, "cube: takes 1 input"),
        (lambda: custom_op(cube, cube_derivative)("2"), TypeError, "cube: expected a real number, got str"),
        (
            lambda: custom_op(hypot, lambda a, b, out: 1.0)(1.0, 2.0),
            TypeError,
            "hypot: the derivative must return 2",
        ),
        (lambda: custom_op(cube, lambda x, out: None)(1.0), TypeError, "cube: the derivative's result"),
    ],
)
def test_bad_input_is_refused_where_it_enters(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_create_graph_through_an_op_of_two_inputs():
    # h = sqrt(a² + b²): dh/da = a/h, and d²h/da² = b²/h³ (hand-derived); at (3, 4): 16/125
    hypot_op = custom_op(hypot, hypot_derivative)
    a, b = Value(3.0), Value(4.0)
    h = hypot_op(a, b)
    h.backward(create_graph=True)
    da = a.grad
    assert isinstance(da, Value) and close(da.data, 3 / 5)
    a.grad, b.grad = 0.0, 0.0
    da.backward()
    assert close(a.grad, 16 / 125)
    assert close(b.grad, -12 / 125)  # d²h/dadb = -ab/h³


def test_a_custom_op_is_checked_by_anomaly_mode():
    from autograd import AnomalyError, detect_anomaly

    bad = custom_op(cube, lambda x, out: float("nan"), name="bad_cube")
    with detect_anomaly(), pytest.raises(AnomalyError, match="bad_cube"):
        bad(Value(1.0)).backward()
