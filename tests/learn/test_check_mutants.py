"""The rule lab's names, defaults and report text, written out by hand (mutation holes, issue 23)."""

from __future__ import annotations

import math

import pytest

from autograd.learn.check import _safe_name, check_backward, check_op
from autograd.learn.report import Check, Mistake


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
