"""custom_op: what its nodes hold, how many inputs it reads, which names and results it refuses
and with which words, pinned where mutation testing found them loose.

Every derivative here is hand-derived: d(x³)/dx = 3x², d(x·y)/dx = y, d(ln x)/dx = 1/x.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from autograd import CustomOp, Value, custom_op, no_grad, ops
from autograd.custom_op import arity_of


def cube(x):
    return x**3


def cube_derivative(x, out):
    return 3 * x**2


def times(x, y):
    return x * y


def times_derivative(x, y, out):
    return y, x


def test_a_node_holds_the_forward_value_the_op_name_its_inputs_and_local_derivatives() -> None:
    times_op = custom_op(times, times_derivative)
    a, b = Value(3.0), Value(-2.0)
    out = times_op(a, b)
    assert (out.data, out.op, out.inputs, out.local_grads) == (-6.0, "times", (a, b), (-2.0, 3.0))
    assert isinstance(out.local_grads[0], float) and out.grad == 0.0 and not out.is_leaf
    assert ops.CUSTOM_RULES[out] == times_op.grads  # the create_graph rule is this op's


def test_the_derivative_is_given_the_inputs_then_the_output() -> None:
    seen = []

    def spy(x, y, out):
        seen.append((x, y, out))
        return 1.0, 1.0

    custom_op(lambda x, y: x - y, spy, name="minus")(Value(5.0), 2)
    assert seen == [(5.0, 2.0, 3.0)]  # floats, in order, the output last
    assert all(type(v) is float for v in seen[0])


def test_numbers_bools_and_numpy_numbers_become_float_inputs() -> None:
    seen = []
    op = custom_op(lambda x: seen.append(x) or 2 * x, lambda x, out: 2, name="double")
    out = op(np.float32(1.5))
    assert out.data == 3.0 and type(seen[0]) is float and out.local_grads == (2.0,)
    assert op(True).data == 2.0 and type(op(True).data) is float


def test_results_that_are_ints_or_numpy_numbers_are_stored_as_floats() -> None:
    op = custom_op(lambda x: 7, lambda x, out: np.float64(0.5), name="seven")
    out = op(Value(1.0))
    assert type(out.data) is float and out.data == 7.0
    assert out.local_grads == (0.5,) and type(out.local_grads[0]) is float


def test_a_second_call_and_a_second_backward_add_up_like_a_built_in_op() -> None:
    cube_op = custom_op(cube, cube_derivative)
    x = Value(2.0)
    y = cube_op(x) + cube_op(x)  # 2x³: derivative 6x² = 24
    y.backward()
    assert x.grad == 24.0
    y.backward()  # accumulates, as backward does for every op
    assert x.grad == 48.0


def test_under_no_grad_no_rule_is_kept() -> None:
    before = len(ops.CUSTOM_RULES)
    with no_grad():
        y = custom_op(cube, cube_derivative)(Value(2.0))
    assert y.is_leaf and y.data == 8.0 and len(ops.CUSTOM_RULES) == before


def test_the_repr_names_the_op_and_its_inputs() -> None:
    assert repr(custom_op(times, times_derivative)) == "CustomOp(name='times', inputs=2)"
    assert isinstance(custom_op(cube, cube_derivative), CustomOp)


# --- how many inputs: read from forward's signature ----------------------------------------------


def test_parameters_with_defaults_and_keyword_only_ones_are_not_inputs() -> None:
    def scaled(x, k=2.0):
        return k * x

    def keyword(x, *, k=3.0):
        return k * x

    def positional_only(x, y, /):
        return x + y

    assert arity_of(scaled, "t") == 1 and arity_of(keyword, "t") == 1
    assert arity_of(positional_only, "t") == 2
    assert arity_of(lambda x, *rest: x, "t") == 1
    op = custom_op(scaled, lambda x, out: 2.0)
    assert op.arity == 1 and op(Value(4.0)).data == 8.0


def test_a_builtin_without_a_signature_is_taken_as_one_input() -> None:
    # math.log has no inspect signature (log(x[, base])): one input, d(ln x)/dx = 1/x
    ln = custom_op(math.log, lambda x, out: 1 / x, name="ln")
    assert ln.arity == 1
    x = Value(4.0)
    y = ln(x)
    y.backward()
    assert y.data == math.log(4.0) and x.grad == 0.25


def test_a_partial_has_no_name_and_is_called_custom() -> None:
    power = functools.partial(pow, exp=3)  # x**3, with a signature (base) and no __name__
    op = custom_op(power, cube_derivative)
    assert op.name == "custom" and op(Value(2.0)).op == "custom"


def test_a_forward_of_no_inputs_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        custom_op(lambda: 1.0, lambda out: 0.0, name="one")
    assert str(caught.value) == "custom_op: the forward rule must take at least one input"


# --- what is refused, and the words it is refused with -------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: custom_op(3, cube_derivative),
            TypeError,
            "custom_op: forward and derivative must be functions",
        ),
        (lambda: custom_op(cube, None), TypeError, "custom_op: forward and derivative must be functions"),
        (
            lambda: custom_op(cube, cube_derivative, name=3),
            ValueError,
            "custom_op: name must be an identifier such as 'cube', got 3",
        ),
        (
            lambda: custom_op(cube, cube_derivative, name="my cube"),
            ValueError,
            "custom_op: name must be an identifier such as 'cube', got 'my cube'",
        ),
        (
            lambda: custom_op(lambda x: x**3, cube_derivative),
            ValueError,
            "custom_op: name must be an identifier such as 'cube', got '<lambda>' "
            "(the forward rule's __name__: pass name='...')",
        ),
        # relu has no derivative rule in the table (backward handles it), but it is a built-in op
        (
            lambda: custom_op(cube, cube_derivative, name="relu"),
            ValueError,
            "custom_op: 'relu' is the name of a built-in op; choose another",
        ),
        (
            lambda: custom_op(cube, cube_derivative, name="exp"),
            ValueError,
            "custom_op: 'exp' is the name of a built-in op; choose another",
        ),
        (
            lambda: custom_op(cube, cube_derivative)(Value(1.0), 2.0),
            TypeError,
            "cube: takes 1 input(s), got 2",
        ),
        (
            lambda: custom_op(times, times_derivative)(1.0),
            TypeError,
            "times: takes 2 input(s), got 1",
        ),
        (
            lambda: custom_op(cube, cube_derivative)([2.0]),
            TypeError,
            "cube: expected a real number, got list [2.0]",
        ),
        (
            lambda: custom_op(lambda x: "8", cube_derivative, name="cube")(2.0),
            TypeError,
            "cube: the forward rule's result: expected a real number, got str '8'",
        ),
        (
            lambda: custom_op(cube, lambda x, out: "12", name="cube")(2.0),
            TypeError,
            "cube: the derivative's result: expected a real number, got str '12'",
        ),
        (
            lambda: custom_op(times, lambda x, y, out: (1.0, "x"))(2.0, 3.0),
            TypeError,
            "times: the derivative's result: expected a real number, got str 'x'",
        ),
        (
            lambda: custom_op(cube, lambda x, out: (1.0, 2.0))(2.0),
            TypeError,
            "cube: the derivative must return 1 local derivative(s) (a tuple for several inputs), got (1.0, 2.0)",
        ),
        (
            lambda: custom_op(times, lambda x, y, out: y)(2.0, 3.0),
            TypeError,
            "times: the derivative must return 2 local derivative(s) (a tuple for several inputs), got 3.0",
        ),
    ],
)
def test_refusals_say_what_is_wrong(make, error, message) -> None:
    with pytest.raises(error) as caught:
        make()
    assert str(caught.value) == message


def test_a_forward_named_like_a_built_in_op_is_told_to_pass_a_name() -> None:
    def relu(x):  # the learner's own relu: its __name__ is a built-in op's
        return max(x, 0.0)

    with pytest.raises(ValueError) as caught:
        custom_op(relu, lambda x, out: float(x > 0))
    assert str(caught.value) == (
        "custom_op: 'relu' is the name of a built-in op; choose another (the forward rule's __name__: pass name='...')"
    )
    assert custom_op(relu, lambda x, out: float(x > 0), name="my_relu")(Value(-2.0)).data == 0.0


def test_a_derivative_written_with_out_gives_second_derivatives() -> None:
    # as the module docstring advises: sigmoid' = out (1 - out), on floats and on Values alike;
    # sigmoid'' = s (1 - s) (1 - 2 s), hand-derived
    sigmoid = custom_op(lambda x: 1 / (1 + math.exp(-x)), lambda x, out: out * (1 - out), name="my_sigmoid")
    s = 1 / (1 + math.exp(-0.3))
    x = Value(0.3)
    sigmoid(x).backward(create_graph=True)
    assert isinstance(x.grad, Value) and math.isclose(x.grad.data, s * (1 - s), rel_tol=1e-15)
    slope = x.grad
    x.grad = 0.0
    slope.backward()
    assert math.isclose(x.grad, s * (1 - s) * (1 - 2 * s), rel_tol=1e-12)


def test_a_data_set_by_hand_to_text_is_refused_before_the_forward_runs() -> None:
    calls = []
    op = custom_op(lambda x: calls.append(x) or 1.0, lambda x, out: 0.0, name="spy")
    v = Value(1.0, label="v")
    v.data = "2"
    with pytest.raises(TypeError) as caught:
        op(v)
    assert str(caught.value).startswith("spy: input 0 'v' has .data = '2', a str, not a number")
    assert calls == []


def test_one_derivative_may_come_bare_or_in_a_tuple_or_a_list() -> None:
    for derivative in (lambda x, out: 3 * x**2, lambda x, out: (3 * x**2,), lambda x, out: [3 * x**2]):
        assert custom_op(cube, derivative)(Value(2.0)).local_grads == (12.0,)
    assert custom_op(times, lambda x, y, out: [y, x])(Value(2.0), Value(5.0)).local_grads == (5.0, 2.0)
