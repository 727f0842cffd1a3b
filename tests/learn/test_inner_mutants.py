"""The inner functions read from a forward rule's source, and the check that the source is trusted
(mutation holes, issue 23). Inner functions are evaluated by hand: k * x at x = 2 with k = 3 is 6."""

from __future__ import annotations

import math

from autograd.learn.inner import _agrees, inner_functions

SCALE = 5.0
POINTS = [(0.25 * k - 1.0,) for k in range(8)]


def _make(k: float):  # type: ignore[no-untyped-def]
    def closed(x: float) -> float:
        return math.sin(k * x)

    return closed


def test_a_closure_variable_is_read_from_the_cell() -> None:
    found = inner_functions(_make(3.0), POINTS)
    assert [i.text for i in found] == ["k * x"]
    assert found[0].function(2.0) == 6.0


def test_a_global_of_the_forward_rules_module_is_read() -> None:
    def scaled(x: float) -> float:
        return math.exp(SCALE * x)

    found = inner_functions(scaled, POINTS)
    assert [i.text for i in found] == ["SCALE * x"]
    assert found[0].function(2.0) == 10.0


def test_a_body_that_is_not_assignments_then_return_is_not_read() -> None:
    def looped(x: float) -> float:
        for _ in range(1):
            return math.sin(2 * x)
        return 0.0

    def looped_only(x: float) -> float:  # the loop is the last statement
        for _ in range(1):
            return math.sin(2 * x)
        raise AssertionError

    assert inner_functions(looped, POINTS) == ()
    assert inner_functions(looped_only, POINTS) == ()


def f0(x: float) -> float:
    return 0.5 * x


def test_agrees_is_relative_to_the_size_of_the_value() -> None:
    big = [(1e6,)]
    assert _agrees(lambda x: x + 1e-6, lambda x: x, big)  # 1e-12 relative
    assert not _agrees(lambda x: x * 1e-10 + 1.5e-9, lambda x: x * 1e-10, [(1.0,)])  # 1.5e-9 absolute near 0
    assert not _agrees(lambda x: x + 1e-6, lambda x: x, [(0.5,)])
    assert not _agrees(lambda x: x + 1.0, lambda x: x, [(0.5,)])
    assert not _agrees(lambda x: math.nan, lambda x: x, [(0.5,)])
    assert not _agrees(lambda x: 1 / 0, lambda x: x, [(0.5,)])
    assert _agrees(f0, f0, [(0.5,)])  # one point is enough
    assert not _agrees(f0, f0, [])  # no point: nothing is trusted


def test_agrees_tries_every_quarter_of_the_points() -> None:
    # 8 points: every second one is tried (0, 2, 4, 6); 3 points: every one
    wrong_at_1 = {POINTS[1][0]}

    def whole(x: float) -> float:
        return x + (1.0 if x in wrong_at_1 else 0.0)

    assert _agrees(whole, lambda x: x, POINTS)
    assert not _agrees(whole, lambda x: x, POINTS[:3])
