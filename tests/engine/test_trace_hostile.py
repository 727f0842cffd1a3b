"""The trace generator with hand-made nodes, reserved names and infinite constants (issue 23).

Each expected number is the engine's own (``backward()``) or derived by hand in the test.
"""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, trace, trace_values

A, B = 2.0, 3.0


def _leaves() -> tuple[Value, Value]:
    return Value(A, "a"), Value(B, "b")


HAND_MADE = [
    # (inputs of the node, local grads, op, error)
    ("ab", (3.0,), "mul", "a 'mul' node has 2 input\\(s\\) but 1 local derivative\\(s\\)"),
    ("ab", (3.0, 2.0, 1.0), "mul", "a 'mul' node has 2 input\\(s\\) but 3 local derivative\\(s\\)"),
    ("ab", (-1.0,), "neg", "a 'neg' node has 2 input\\(s\\) but 1 local derivative\\(s\\)"),  # dropped b
    ("a", (3.0,), "mul", "op 'mul' takes 2 input\\(s\\), but a node has 1"),  # was a raw IndexError
    ("aba", (1.0, 1.0, 1.0), "add", "op 'add' takes 2 input\\(s\\), but a node has 3"),  # dropped one a
    ("ab", (-1.0, 1.0), "neg", "op 'neg' takes 1 input\\(s\\), but a node has 2"),  # dropped b
]


@pytest.mark.parametrize(("which", "local_grads", "op", "error"), HAND_MADE)
def test_a_hand_made_node_whose_inputs_and_grads_disagree_is_refused(which, local_grads, op, error):
    a, b = _leaves()
    inputs = tuple({"a": a, "b": b}[c] for c in which)
    node = Value(6.0, "", op, inputs, local_grads)
    with pytest.raises(ValueError, match=f"trace: {error}"):
        trace_values(lambda: node * 1.0, [a, b])


def test_a_sound_hand_made_node_is_traced():
    a, b = _leaves()
    node = Value(A * B, "", "mul", (a, b), (B, A))  # d(ab)/da = b, d(ab)/db = a
    value, gradient = trace_values(lambda: node * 1.0, [a, b]).compile()(A, B)
    assert value == A * B and gradient == (B, A)


def test_a_compiled_trace_reruns_f_once_to_report_the_engines_error():
    """Documented in autograd/trace.py: the engine's error names the op and the value."""
    calls: list[Value] = []

    def f(x: Value) -> Value:
        calls.append(x)  # not x.data: a traced f may not read a number out of its input (NumberRead)
        return x.log()

    g = trace(f, 2.0).compile()
    assert [x.data for x in calls] == [2.0]
    assert g(3.0)[0] == math.log(3.0) and len(calls) == 1  # a sound call runs only the float code
    with pytest.raises(ValueError, match="log") as caught:
        g(-1.0)
    assert "-1" in str(caught.value) and [x.data for x in calls] == [2.0, -1.0]  # f ran once more, on -1


# --- a label that is a helper's name never shadows the helper -------------------------------------


def _with_helper_labels(exp: Value, log: Value) -> Value:
    y = exp * log
    y.label = "exp"  # the generated code calls exp(...) and log(...) below
    z = y.exp()
    z.label = "log"
    w = z.log() + exp.tanh()
    w.label = "fsum"
    return autograd.sum([w, log.sigmoid()])


def test_labels_and_inputs_named_like_helpers_do_not_shadow_them():
    x, y = Value(0.3, "exp"), Value(0.7, "log")
    out = _with_helper_labels(x, y)
    out.backward()
    t = trace(_with_helper_labels, 0.3, 0.7)
    value, gradient = t.compile()(0.3, 0.7)
    assert value == pytest.approx(out.data, rel=1e-15)
    assert gradient == pytest.approx((x.grad, y.grad), rel=1e-15)
    # by hand: out = exp(xy) log'd back to xy, + tanh x + sigmoid y
    assert value == pytest.approx(0.3 * 0.7 + math.tanh(0.3) + 1 / (1 + math.exp(-0.7)), rel=1e-15)
    for reserved in ("exp", "log", "fsum"):
        assert f"{reserved} = " not in t.source()  # assigned under another name


# --- infinite constants keep their sign ------------------------------------------------------------


@pytest.mark.parametrize("c", [math.inf, -math.inf])
def test_an_infinite_constant_keeps_its_sign_in_the_generated_code(c):
    t = trace(lambda x: x + c, 1.0)
    assert t.compile()(1.0)[0] == c
    assert t.compile()(-5.0)[0] == c
    t2 = trace(lambda x: x * c, 2.0)
    value, (gradient,) = t2.compile()(2.0)
    assert value == c and gradient == c  # d(cx)/dx = c
