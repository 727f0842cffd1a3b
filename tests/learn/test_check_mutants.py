"""The rule lab's names, defaults and report text, written out by hand (mutation holes, issue 23)."""

from __future__ import annotations

import math
import re

import pytest

from autograd.learn import check
from autograd.learn.check import _safe_name, check_backward, check_op
from autograd.learn.report import Check, Mistake, Report
from autograd.value import Value


class Cube:
    """A forward rule with no ``__name__`` (a callable object)."""

    def __call__(self, x: float) -> float:
        return x**3


class DoNothing:
    """A micrograd backward with no ``__name__`` that adds nothing."""

    def __call__(self, x: object, out: object) -> None:
        return None


def test_a_forward_without_a_name_is_called_op() -> None:
    report = check_op(Cube(), lambda x, out: 3 * x**2)
    assert report.ok
    assert report.name == "check_op(op)"
    assert str(report).splitlines()[0] == "check_op(op): all checks pass"


def test_a_backward_without_a_name_is_called_backward() -> None:
    report = check_backward(math.sin, DoNothing())
    assert not report.ok
    assert report.name == "check_backward(backward)"
    assert report.kinds == ("blank",)


def test_the_report_keeps_the_learners_name() -> None:
    def mine(x: object, out: object) -> None:
        return None

    assert check_backward(math.sin, mine).name == "check_backward(mine)"
    assert check_backward(math.sin, mine, name="given").name == "check_backward(given)"

    def boom(x: object, out: object) -> None:
        raise RuntimeError("no")

    raised = check_backward(math.sin, boom)
    assert raised.kinds == ("raised",)
    assert raised.name == "check_backward(boom)"


@pytest.mark.parametrize("where, run", [("check_op", check_op), ("check_backward", check_backward)])
def test_a_forward_without_inputs_is_refused_by_name(where: str, run: object) -> None:
    with pytest.raises(ValueError, match=f"^{where}: the forward rule must take at least one input"):
        run(lambda: 1.0, lambda *a: 0.0)  # type: ignore[operator]


def test_a_bad_domain_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="^check_backward: domain must be"):
        check_backward(math.sin, lambda x, out: None, domain="wide")


def test_safe_names_for_custom_op() -> None:
    assert _safe_name("cube") == "cube"
    assert _safe_name("my_cube2") == "my_cube2"
    assert _safe_name("tanh") == "my_tanh"  # a built-in op's name
    assert _safe_name("x**3") == "x__3"
    assert _safe_name("2x") == "my_2x"  # not an identifier
    assert _safe_name("") == "op"


def test_check_text() -> None:
    assert str(Check("point by point", 32, 32)) == "  ok   point by point: 32/32 right"
    assert str(Check("point by point", 3, 32)) == "  FAIL point by point: 3/32 right"
    assert str(Check("t", 1, 2, "at x = 1")) == "  FAIL t: 1/2 right (first wrong: at x = 1)"


def test_an_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(ValueError) as err:
        Mistake("typo", "m")
    assert "the kinds are sign, factor, chain_rule," in str(err.value)


def square(x: float) -> float:
    return x * x


def test_points_at_the_bounds_are_taken_and_beyond_them_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def right(x: float, out: float) -> float:
        return 2 * x

    assert check_op(square, right, points=4).ok  # 4 is the least allowed
    with pytest.raises(ValueError, match=r"^check_op: points must be an int >= 4, got 3$"):
        check_op(square, right, points=3)
    with pytest.raises(ValueError, match=r"^check_op: points must be an int >= 4, got 10\.0$"):
        check_op(square, right, points=10.0)  # type: ignore[arg-type]
    monkeypatch.setattr(check, "MAX_POINTS", 6)
    assert check_op(square, right, points=6).ok  # at most MAX_POINTS: MAX_POINTS itself is taken
    with pytest.raises(ValueError, match=r"^check_backward: points must be at most 6, got 7$"):
        check_backward(square, lambda x, out: None, points=7)


def test_check_backward_is_seeded_by_0_unless_told() -> None:
    # two inputs: every point is drawn at random, so the first wrong one shown depends on the
    # seed; d(ab)/da = b is right for a < 1 only
    def product(a: float, b: float) -> float:
        return a * b

    def half_right(a: Value, b: Value, out: Value) -> None:
        a.grad += (b.data if a.data < 1 else 0.0) * out.grad
        b.grad += a.data * out.grad

    default = str(check_backward(product, half_right))
    assert default == str(check_backward(product, half_right, seed=0))
    assert default != str(check_backward(product, half_right, seed=1))  # the seed does show


def test_a_failed_check_no_pattern_explains_is_named_plainly() -> None:
    # adds d/dx * out.grad**2: right with out.grad = 1 (the point-by-point checks), 6.25 / 2.5 =
    # 2.5 times too much with out.grad = 2.5 at every point (x = 0 is never drawn), and adding on
    # top of a grad that holds 1.0 keeps it: no mistake pattern, one failed check without example
    def squared_upstream(x: Value, out: Value) -> None:
        x.grad += 2 * x.data * out.grad**2

    report = check_backward(square, squared_upstream)
    assert report.name == "check_backward(squared_upstream)"
    assert report.kinds == ("unexplained",)
    assert report.mistakes[0].message == (
        "wrong in the check 'multiplies by the upstream gradient out.grad = 2.5': 0 of 32 right."
    )


def test_named_adds_the_first_wrong_example_when_there_is_one() -> None:
    plain = check._named(Report("r", (Check("t", 1, 2),), ()))
    assert plain.mistakes[0].message == "wrong in the check 't': 1 of 2 right."
    shown = check._named(Report("r", (Check("t", 1, 2, "at x=1.0"),), ()))
    assert shown.mistakes[0].message == "wrong in the check 't': 1 of 2 right; first wrong at x=1.0."


def _overflows_or_fails_near_0(x: float, out: float) -> float:
    if abs(x) >= 50:
        raise OverflowError("big")
    if -0.3 < x < 0.3:
        raise ValueError("bad")
    return 2 * x


def test_a_report_that_stops_early_keeps_its_name_and_notes() -> None:
    # raised near 0 (a mistake with no derivative to build graphs from: no graph checks), and
    # an overflow at |x| = 100 and 1000 only, which is a note
    report = check_op(square, _overflows_or_fails_near_0, name="sq")
    assert report.name == "check_op(sq)"
    assert report.kinds == ("raised",)
    assert [c.title for c in report.checks] == ["derivative at 32 points of the domain"]
    assert len(report.notes) == 1
    assert report.notes[0].startswith("your derivative raises OverflowError (big) at x = ")
    assert "where the op's value is finite: it overflows there only" in report.notes[0]


def test_a_backward_that_adds_nothing_keeps_its_name_and_notes() -> None:
    # f(x) = 5 has derivative 0; this backward writes into out.grad, adds nothing, and overflows
    # at large |x| (a note)
    def constant(x: float) -> float:
        return 5.0

    def idle(x: Value, out: Value) -> None:
        out.grad = 0.0
        if abs(x.data) >= 50:
            raise OverflowError("big")

    report = check_backward(constant, idle)
    assert report.name == "check_backward(idle)"
    assert report.kinds == ("wrote_out_grad",)
    assert len(report.notes) == 1
    assert report.notes[0].startswith("your backward raises OverflowError (big) at x = ")


def shift(a: float, b: float) -> float:
    return a + b + 10.0


def shift1(x: float) -> float:
    return x + 10.0


def test_a_derivative_that_goes_wrong_only_inside_a_graph_says_what_it_gave() -> None:
    # right (1, 1) inside the domain and at large |x|, but 3 values at 3.5 < |a| < 50, where
    # the outer op of f(f(a, b), b) is called (a + b + 10 is between 4 and 16)
    def count_off(a: float, b: float, out: float) -> tuple[float, ...]:
        return (1.0, 1.0) if abs(a) < 3.5 or abs(a) > 50 else (1.0, 1.0, 1.0)

    report = check_op(shift, count_off)
    assert report.kinds == ("in_graph",)
    chained = report.checks[-1]
    assert chained.title == "chained with itself, f(f(x))" and chained.right == 0
    assert re.fullmatch(
        r"at a=\S+, b=\S+: TypeError: shift: the derivative gave 3 values for an op of 2 inputs \(a, b\)",
        chained.example,
    )

    def text_off(x: float, out: float) -> object:  # a str where the outer op is called
        return 1.0 if abs(x) < 3.5 or abs(x) > 50 else "one"

    chained = check_op(shift1, text_off).checks[-1]
    assert chained.right == 0
    assert re.fullmatch(
        r"at x=\S+: TypeError: shift1: the derivative gave \(\"a str \('one'\), not a number\",\)",
        chained.example,
    )


def test_a_backward_that_adds_nothing_to_a_constant_op_is_right() -> None:
    # d/dx 5 = 0: adding 0 * out.grad (or nothing) leaves every grad as it should be. The old
    # check called both "wrong: changes nothing and returns nothing (is it still blank?)".
    def constant(x: float) -> float:
        return 5.0

    def adds_zero(x: Value, out: Value) -> None:
        x.grad += 0.0 * out.grad

    def nothing(x: Value, out: Value) -> None:
        pass

    for backward in (adds_zero, nothing):
        report = check_backward(constant, backward)
        assert report.ok
        assert report.mistakes == ()
        assert report.notes == (
            "your backward adds nothing to the inputs' grads: right here, since the derivative is 0 "
            "at every point tried.",
        )

    def square(x: float) -> float:
        return x * x

    assert check_backward(square, nothing).kinds == ("blank",)  # d/dx x**2 = 2x is not 0

    def assigns_zero(x: Value, out: Value) -> None:  # `=` loses what a node used twice held
        x.grad = 0.0

    assert not check_backward(constant, assigns_zero).ok


def _constant(x: float) -> float:
    return 5.0


def test_a_backward_that_adds_nothing_is_right_only_if_nothing_else_is_wrong() -> None:
    # d/dx 5 = 0, so adding nothing is right, unless the backward does something else wrong
    def raises_far_out(x: Value, out: Value) -> None:  # a ValueError at |x| = 100 and 1000
        if abs(x.data) >= 50:
            raise ValueError("far")

    def touchy(x: Value, out: Value) -> None:  # fails once a grad holds something (used twice)
        if x.grad:
            raise RuntimeError("held")

    def writes_out(x: Value, out: Value) -> None:  # and raises at large |x|: out.grad is named
        out.grad = 0.0
        raises_far_out(x, out)

    far = check_backward(_constant, raises_far_out)  # the old check said "changes nothing" only
    assert far.kinds == ("raised",)
    assert str(far.mistakes[0]) == "your backward raised ValueError: far at x = -1000.0."
    assert not check_backward(_constant, touchy).ok
    assert check_backward(_constant, writes_out).kinds == ("wrote_out_grad",)


def test_a_backward_right_by_adding_nothing_keeps_the_grades_notes() -> None:
    def overflows_far_out(x: Value, out: Value) -> None:  # an overflow at large |x| only: a note
        if abs(x.data) >= 50:
            raise OverflowError("big")

    report = check_backward(_constant, overflows_far_out)
    assert report.ok
    assert len(report.notes) == 2
    assert report.notes[0].startswith("your backward raises OverflowError (big) at x = ")
    assert report.notes[1].startswith("your backward adds nothing to the inputs' grads: right here")
