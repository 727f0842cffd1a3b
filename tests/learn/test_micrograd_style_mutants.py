"""A micrograd-style backward graded: the holes mutation testing found in micrograd_style.py.

Each backward below makes one known mistake (or none), so what the learner must be told is known
by hand: the mistake's kind and its sentence in full, and how many points a check counts (where
the points are given explicitly, ``BackwardRunner.usage`` is called on them directly).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from autograd.learn.check import check_backward
from autograd.learn.micrograd_style import BackwardRunner

V = Any  # the Values a backward receives

SCALED = "multiplies by the upstream gradient out.grad = 2.5"
ON_TOP = "adds to a grad that already holds 1.0 (a node used twice)"
TIMES = (
    "`*=` where `+=` is needed: {m}.grad starts at 0, and 0 × anything stays 0 "
    "(write {m}.grad += local_derivative * out.grad)."
)
DEPENDS = (
    "what your backward leaves in x.grad depends on what x.grad held, other than by adding to it "
    "(a `*=` after the `+=`, or x.grad inside the formula?): write x.grad += local_derivative * out.grad."
)


def _square(x: float) -> float:
    return x * x


def _line(report: object, title: str) -> str:
    """The report's line for the check ``title``."""
    lines = [line for line in str(report).splitlines() if title in line]
    assert len(lines) == 1, str(report)
    return lines[0]


def _by_kind(report: Any) -> dict[str, str]:
    return {m.kind: m.message for m in report.mistakes}


# --- a backward that adds nothing onto a zero grad: why --------------------------------------


def test_a_times_equals_on_one_side_only_is_named_not_called_blank() -> None:
    # relu with `*=`: from 0 the grad stays 0 everywhere, and for x < 0 it stays 0 from any start
    # too; only for x > 0 does 1.0 become 2.5. The old code looked at the 8 smallest points (all
    # negative) and said "changes nothing", which is untrue.
    def backward(x: V, out: V) -> None:
        x.grad *= (out.data > 0) * out.grad

    report = check_backward(lambda x: max(x, 0.0), backward)
    assert _by_kind(report) == {"multiplied_grad": TIMES.format(m="x")}


def test_a_times_equals_in_a_narrow_part_of_the_domain_is_found() -> None:
    # only for x > 2.5 (the grid of (-3, 3) has 2.625 and 2.875 there) does 1.0 become something else
    def backward(x: V, out: V) -> None:
        x.grad *= (x.data > 2.5) * out.grad

    report = check_backward(_square, backward)
    assert _by_kind(report) == {"multiplied_grad": TIMES.format(m="x")}


def test_a_blank_backward_is_told_so_in_full() -> None:
    report = check_backward(_square, lambda x, out: None)
    assert _by_kind(report) == {
        "blank": "your backward changes nothing and returns nothing: nothing to check (is it still blank?)."
    }


def test_times_equals_for_two_inputs_names_the_first_input_not_a_grad_read_for_data() -> None:
    # a.grad *= ...: with a.grad alone holding 1.0, b.grad (still 0) stays 0; a reads no other grad.
    def backward(a: V, b: V, out: V) -> None:
        a.grad *= b.data * out.grad
        b.grad *= a.data * out.grad

    report = check_backward(lambda a, b: a * b, backward)
    assert _by_kind(report) == {"multiplied_grad": TIMES.format(m="a")}


def test_a_rule_that_raises_on_one_side_is_still_read_on_the_other() -> None:
    # math.sqrt of a negative raises (ValueError) for x < 0; for x > 0 it is `*=` again.
    def backward(x: V, out: V) -> None:
        x.grad *= 1.5 * math.sqrt(x.data) * out.grad

    report = check_backward(lambda x: abs(x) ** 1.5, backward)
    assert _by_kind(report) == {"multiplied_grad": TIMES.format(m="x")}


def test_the_grad_inside_the_formula_is_not_called_times_equals() -> None:
    # x.grad *= x.grad * 2x * out.grad: from 0 it stays 0, from 1.0 it is 5x, from 2.0 it is 20x,
    # not twice 5x: what it leaves is not proportional to what it held (|x| < 0.05 here, so
    # 20x and 10x differ by less than 1).
    def backward(x: V, out: V) -> None:
        x.grad *= x.grad * 2 * x.data * out.grad

    report = check_backward(_square, backward, domain=(-0.05, 0.05))
    assert _by_kind(report) == {"multiplied_grad": DEPENDS}


# --- a backward that adds: the usage checks and their mistakes -------------------------------


def test_an_affine_rule_on_the_old_grad_is_not_called_times_equals() -> None:
    # x.grad = 100 x.grad + 2x out.grad: from 0 it adds 5x (x small here, under 0.003), from 1.0
    # it leaves 100 + 5x, from 2.0 200 + 5x; it did not start from 0, so "0 × anything" is untrue.
    def backward(x: V, out: V) -> None:
        x.grad = 100 * x.grad + 2 * x.data * out.grad

    report = check_backward(_square, backward, domain=(-0.003, 0.003))
    assert _by_kind(report)["multiplied_grad"] == DEPENDS


def test_halving_the_old_grad_is_not_taken_for_adding() -> None:
    # x.grad = 0.5 x.grad + 2x out.grad: from 1.0 it leaves 0.5 more than from 0, not 1.0 more.
    def backward(x: V, out: V) -> None:
        x.grad = 0.5 * x.grad + 2 * x.data * out.grad

    report = check_backward(_square, backward)
    assert _by_kind(report)["multiplied_grad"] == DEPENDS


def test_a_grad_read_for_data_is_named_even_when_its_effect_is_small() -> None:
    # d(0.1 a b)/db = 0.1 a; the rule reads a.grad for a.data, so with a.grad holding 1.0 before,
    # b.grad gets 0.1 * 1.0 * 2.5 = 0.25 more: small, but not the same.
    def backward(a: V, b: V, out: V) -> None:
        a.grad += 0.1 * b.data * out.grad
        b.grad += 0.1 * a.grad * out.grad

    report = check_backward(lambda a, b: 0.1 * a * b, backward)
    assert _by_kind(report)["grad_for_data"] == (
        "the rule for b.grad reads a.grad where a value is needed (a.grad for a.data?): "
        "what it adds to b.grad changes with what a.grad held before."
    )


def test_a_right_backward_with_local_derivative_one_counts_every_point() -> None:
    def backward(x: V, out: V) -> None:
        x.grad += 1.0 * out.grad

    report = check_backward(lambda x: x, backward)
    assert report.ok
    assert _line(report, SCALED).endswith(": 32/32 right")
    assert _line(report, ON_TOP).endswith(": 32/32 right")


def test_points_where_a_right_backward_adds_nothing_are_not_counted() -> None:
    def backward(x: V, out: V) -> None:
        x.grad += (x.data > 0) * out.grad

    runner = BackwardRunner(backward, 1, ("x",))
    assert runner.local((1.0,), 1.0).values == (1.0,)
    checks, mistakes = runner.usage(lambda x: max(x, 0.0), [(-2.0,), (-1.0,), (1.0,), (2.0,), (3.0,)])
    assert [(c.title, c.right, c.total) for c in checks] == [(SCALED, 3, 3), (ON_TOP, 3, 3)]
    assert mistakes == ()


def test_forgetting_a_small_upstream_is_caught() -> None:
    # d(0.1 x)/dx = 0.1: with out.grad = 2.5 it must add 0.25, this adds 0.1 (0.15 short).
    def backward(x: V, out: V) -> None:
        x.grad += 0.1

    report = check_backward(lambda x: 0.1 * x, backward)
    assert _line(report, SCALED).endswith(": 0/32 right")
    assert "forgot_upstream" in _by_kind(report)


@pytest.mark.parametrize(
    "power",
    [
        "math",  # math.sqrt(x) raises for x < 0
        "float",  # x ** 0.5 is a complex number for x < 0: not a number in x.grad
        "inf",  # an infinite grad for x < 0
    ],
)
def test_points_where_the_rule_fails_are_skipped_not_the_end(power: str) -> None:
    # d|x|^1.5/dx = 1.5 sqrt(x) for x > 0 (the learner forgot the negative side): the usage
    # checks count the points x > 0 and are right there, whatever happens for x < 0.
    def backward(x: V, out: V) -> None:
        if power == "math":
            root: Any = math.sqrt(x.data)
        elif power == "float":
            root = x.data**0.5
        else:
            root = math.sqrt(x.data) if x.data > 0 else math.inf
        x.grad += 1.5 * root * out.grad

    points = [(-2.0,), (-1.0,), (1.0,), (2.0,)]
    checks, _ = BackwardRunner(backward, 1, ("x",)).usage(lambda x: abs(x) ** 1.5, points)
    assert [(c.title, c.right, c.total) for c in checks] == [(SCALED, 2, 2), (ON_TOP, 2, 2)]


def _abs_forgetting_upstream_below_zero(x: V, out: V) -> None:
    x.grad += out.grad if x.data > 0 else -1.0


@pytest.mark.parametrize(
    "xs, forgot",
    [
        ((-2.0, -1.0, 1.0, 2.0), True),  # forgot at 2 of 4 points: half is enough
        ((-2.0, -1.0, 1.0, 2.0, 3.0), True),  # 2 of 5: 5 // 2 = 2
        ((-1.0, 1.0, 2.0, 3.0), False),  # 1 of 4: a branch, not the rule
    ],
)
def test_forgot_upstream_is_named_where_at_least_half_the_points_show_it(
    xs: tuple[float, ...], forgot: bool
) -> None:
    runner = BackwardRunner(_abs_forgetting_upstream_below_zero, 1, ("x",))
    checks, mistakes = runner.usage(abs, [(x,) for x in xs])
    positive = sum(x > 0 for x in xs)
    assert (checks[0].right, checks[0].total) == (positive, len(xs))
    assert ("forgot_upstream" in {m.kind for m in mistakes}) is forgot


def test_assigned_for_some_inputs_names_them_all() -> None:
    def backward(a: V, b: V, c: V, out: V) -> None:
        a.grad = b.data * c.data * out.grad
        b.grad = a.data * c.data * out.grad
        c.grad += a.data * b.data * out.grad

    report = check_backward(lambda a, b, c: a * b * c, backward)
    assert _by_kind(report) == {
        "assigned": "`=` where `+=` is needed for a.grad and b.grad: the 1.0 each already held is lost, "
        "so an input used twice keeps only the last share."
    }


def test_assigned_for_one_input_names_it() -> None:
    def backward(a: V, b: V, out: V) -> None:
        a.grad += b.data * out.grad
        b.grad = a.data * out.grad

    report = check_backward(lambda a, b: a * b, backward)
    assert _by_kind(report) == {
        "assigned": "`=` where `+=` is needed for b.grad: the 1.0 it already held is lost, "
        "so an input used twice keeps only the last share."
    }


def test_writing_out_grad_after_adding_is_named() -> None:
    def backward(x: V, out: V) -> None:
        x.grad += 2 * x.data * out.grad
        out.grad = 0.0

    report = check_backward(_square, backward)
    assert _by_kind(report) == {
        "wrote_out_grad": "your backward changes out.grad: leave it as it is (it is the upstream gradient)."
    }


def test_changing_an_input_after_adding_is_named() -> None:
    def backward(x: V, out: V) -> None:
        x.grad += 2 * x.data * out.grad
        x.data = 0.0

    report = check_backward(_square, backward)
    assert _by_kind(report) == {
        "changed_data": "your backward changes an input's .data: a backward only adds into .grad."
    }
