"""check_backward: a micrograd-style backward that adds into its inputs' grads, graded."""

import math

import pytest

from autograd import check_backward


def tanh(x):
    return math.tanh(x)


def mul(a, b):
    return a * b


def tanh_backward(x, out):
    x.grad += (1 - out.data**2) * out.grad


def tanh_backward_assigns(x, out):
    x.grad = (1 - out.data**2) * out.grad


def tanh_backward_forgets_upstream(x, out):
    x.grad += 1 - out.data**2


def tanh_backward_both(x, out):
    x.grad = 1 - out.data**2


def tanh_backward_uses_input(x, out):
    x.grad += (1 - x.data**2) * out.grad


def tanh_backward_blank(x, out):
    pass


def tanh_backward_returns(x, out):
    return 1 - out.data**2


def mul_backward(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def mul_backward_assigns(a, b, out):  # micrograd's x * x bug: the second = overwrites the first
    a.grad = b.data * out.grad
    b.grad = a.data * out.grad


def test_a_right_backward_passes():
    report = check_backward(tanh, tanh_backward)
    assert report.ok, str(report)
    assert [c.title for c in report.checks][-2:] == [
        "multiplies by the upstream gradient out.grad = 2.5",
        "adds to a grad that already holds 1.0 (a node used twice)",
    ]


def test_a_right_backward_of_two_inputs_passes():
    assert check_backward(mul, mul_backward).ok


@pytest.mark.parametrize(
    ("backward", "diagnoses"),
    [
        (tanh_backward_assigns, ["`=` where `+=` is needed"]),
        (mul_backward_assigns, ["`=` where `+=` is needed"]),
        (tanh_backward_forgets_upstream, ["forgot to multiply by the upstream gradient"]),
        (
            tanh_backward_both,
            ["forgot to multiply by the upstream gradient", "`=` where `+=` is needed"],
        ),
        (tanh_backward_uses_input, ["the input x is used where the output out is needed"]),
        (tanh_backward_blank, ["leaves every grad at 0: nothing to check"]),
        (tanh_backward_returns, ["returns the derivative instead of adding it into the inputs' grads"]),
    ],
)
def test_each_mistake_is_named(backward, diagnoses):
    report = check_backward(tanh if backward.__name__.startswith("tanh") else mul, backward)
    assert not report.ok
    assert len(report.mistakes) == len(diagnoses), str(report)
    for mistake, words in zip(report.mistakes, diagnoses):
        assert words in mistake, str(report)


def test_assigning_loses_exactly_what_the_grad_held():
    # with `=`, a grad that held 1.0 ends at 2.5 * tanh'(x) instead of 1.0 + 2.5 * tanh'(x)
    report = check_backward(tanh, tanh_backward_assigns)
    used_twice = report.checks[-1]
    assert (used_twice.right, used_twice.total) == (0, 32)
    upstream = report.checks[-2]
    assert upstream.ok
