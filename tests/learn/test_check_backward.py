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
    ("backward", "kinds", "diagnoses"),
    [
        (tanh_backward_assigns, ["assigned"], ["`=` where `+=` is needed"]),
        (mul_backward_assigns, ["assigned"], ["`=` where `+=` is needed"]),
        (
            tanh_backward_forgets_upstream,
            ["forgot_upstream"],
            ["forgot to multiply by the upstream gradient"],
        ),
        (
            tanh_backward_both,
            ["forgot_upstream", "assigned"],
            ["forgot to multiply by the upstream gradient", "`=` where `+=` is needed"],
        ),
        (tanh_backward_uses_input, ["x_for_out"], ["the input x is used where the output out is needed"]),
        (tanh_backward_blank, ["blank"], ["changes nothing and returns nothing: nothing to check"]),
        (
            tanh_backward_returns,
            ["returned_not_added"],
            ["returns the derivative instead of adding it into the inputs' grads"],
        ),
    ],
)
def test_each_mistake_is_named(backward, kinds, diagnoses):
    report = check_backward(tanh if backward.__name__.startswith("tanh") else mul, backward)
    assert not report.ok
    assert list(report.kinds) == kinds, str(report)
    for mistake, words in zip(report.mistakes, diagnoses):
        assert words in mistake.message, str(report)


def tanh_backward_into_out(x, out):
    out.grad += (1 - out.data**2) * x.grad


def tanh_backward_times(x, out):
    x.grad *= (1 - out.data**2) * out.grad


def tanh_backward_data(x, out):
    x.data += (1 - out.data**2) * out.grad


def mul_backward_grad_for_data(a, b, out):
    a.grad += b.grad * out.grad
    b.grad += a.grad * out.grad


def mul_backward_one_grad_for_data(a, b, out):
    a.grad += b.data * out.grad
    b.grad += a.grad * out.grad  # a.grad for a.data


@pytest.mark.parametrize(
    ("forward", "backward", "kind", "words"),
    [
        (tanh, tanh_backward_into_out, "wrote_out_grad", "writes into out.grad"),
        (tanh, tanh_backward_times, "multiplied_grad", "`*=` where `+=` is needed"),
        (tanh, tanh_backward_data, "changed_data", "changes an input's .data"),
        (mul, mul_backward_grad_for_data, "grad_for_data", "the rule for b.grad reads a.grad"),
        (mul, mul_backward_one_grad_for_data, "grad_for_data", "the rule for b.grad reads a.grad"),
    ],
)
def test_a_backward_that_adds_nothing_is_not_called_blank(forward, backward, kind, words):
    # every one of these leaves the grads at 0 from 0 (or reads them): none is blank
    report = check_backward(forward, backward)
    assert report.kinds == (kind,), str(report)
    assert words in report.mistakes[0].message
    assert "blank" not in str(report)


def test_a_grad_set_to_a_string_is_named_not_a_raw_type_error():
    def tanh_backward(x, out):
        x.grad = str((1 - out.data**2) * out.grad)

    report = check_backward(tanh, tanh_backward)
    assert report.kinds == ("not_a_number",), str(report)
    assert "a str (" in report.mistakes[0].message and "x.grad" in report.mistakes[0].message


def test_points_are_bounded_with_a_clear_error():
    with pytest.raises(ValueError, match="check_backward: points must be at most 10,000, got 20,000"):
        check_backward(tanh, tanh_backward, points=20_000)


def test_assigning_loses_exactly_what_the_grad_held():
    # with `=`, a grad that held 1.0 ends at 2.5 * tanh'(x) instead of 1.0 + 2.5 * tanh'(x)
    report = check_backward(tanh, tanh_backward_assigns)
    used_twice = report.checks[-1]
    assert (used_twice.right, used_twice.total) == (0, 32)
    upstream = report.checks[-2]
    assert upstream.ok


def mul_backward_one_assigns(a, b, out):
    a.grad += b.data * out.grad
    b.grad = a.data * out.grad  # = for += on b only


def tanh_backward_times_after(x, out):
    x.grad += 1 - out.data**2
    x.grad *= out.grad  # scales what x.grad held too


def test_one_input_assigned_is_named_for_that_input():
    report = check_backward(mul, mul_backward_one_assigns)
    assert report.kinds == ("assigned",), str(report)
    assert "`=` where `+=` is needed for b.grad" in report.mistakes[0].message


def test_a_times_after_the_add_is_named():
    report = check_backward(tanh, tanh_backward_times_after)
    assert report.kinds == ("multiplied_grad",), str(report)
    assert "depends on what x.grad held" in report.mistakes[0].message


def test_a_report_that_fails_always_names_a_mistake():
    from autograd.learn.check import _named
    from autograd.learn.report import Check, Report

    report = _named(
        Report("check_op(f)", (Check("derivative at 32 points", 30, 32, "at x=0.5: yours 1.0"),), ())
    )
    assert report.kinds == ("unexplained",)
    assert report.mistakes[0].message == (
        "wrong in the check 'derivative at 32 points': 30 of 32 right; first wrong at x=0.5: yours 1.0."
    )


def test_an_infinite_grad_is_named_as_such_not_as_assigned_or_forgetting_upstream():
    """``x.grad += inf`` does use ``+=``; since inf + 1.0 = inf and inf * 2.5 = inf, the += and
    upstream probes cannot tell it from ``=`` or a forgotten out.grad: only "not finite" is true."""

    def adds_inf(x, out):
        x.grad += math.inf * out.grad

    report = check_backward(lambda x: x * x, adds_inf)
    assert not report.ok
    assert [m.kind for m in report.mistakes] == ["non_finite"]
    assert "`=`" not in str(report) and "upstream" not in str(report)
