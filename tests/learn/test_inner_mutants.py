"""The inner functions read from a forward rule's source, and the check that the source is trusted
(mutation holes, issue 23). Inner functions are evaluated by hand: k * x at x = 2 with k = 3 is 6."""

from __future__ import annotations

import functools
import linecache
import math

import pytest

from autograd.learn.check import check_op
from autograd.learn.inner import _agrees, _names_of, inner_functions

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


def _texts(forward) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.text for i in inner_functions(forward, POINTS)]


def _sin_2x(x: float) -> float:
    return math.sin(2 * x)


@functools.wraps(_sin_2x)
def _decorated(x: float) -> float:  # its source (through __wrapped__) says sin(2x); it is 3 sin(2x)
    return 3 * _sin_2x(x)


def test_source_that_does_not_give_the_forward_rules_numbers_is_not_trusted() -> None:
    assert _texts(_sin_2x) == ["2 * x"]
    assert _texts(_decorated) == []


# the def has the lambda's inputs, and is on the lambda's line: the source read is the whole def
def _lambda_in_a_def(x: float): return lambda x: math.sin(2 * x)  # type: ignore[no-untyped-def]  # fmt: skip


def test_a_lambda_is_read_from_its_own_node_not_from_a_def_around_it() -> None:
    assert _texts(_lambda_in_a_def(0.0)) == ["2 * x"]


def test_a_docstring_is_skipped_and_constants_assigned_are_inlined() -> None:
    def documented(x: float) -> float:
        """sin(2x)."""
        return math.sin(2 * x)

    def named_constant(x: float) -> float:
        k = 2.0
        return math.sin(k * x)

    assert _texts(documented) == ["2 * x"]
    assert _texts(named_constant) == ["2.0 * x"]


def test_a_name_assigned_again_inside_the_expression_is_left_alone() -> None:
    def walrus(x: float) -> float:
        k = 2 * x
        return math.sin(k := 3 * x)  # noqa: F841  (k is assigned again, not read)

    assert _texts(walrus) == ["(k := (3 * x))"]  # as ast.unparse writes it


def test_a_stub_or_a_bare_return_has_no_inner_function() -> None:
    def stub(x: float) -> float:
        raise NotImplementedError

    def bare(x: float) -> None:
        return

    def unreachable(x: float) -> float:
        return math.sin(2 * x)
        k = 1.0  # noqa: F841  (a body that is not assignments-then-return)

    assert inner_functions(stub, POINTS) == ()
    assert inner_functions(bare, POINTS) == ()
    assert inner_functions(unreachable, POINTS) == ()


def test_the_walk_goes_through_negation_and_down_every_level() -> None:
    def bell(x: float) -> float:
        return math.exp(-((2 * x) ** 2))

    def nested(x: float) -> float:
        return math.sin(math.cos(3 * x))

    def plain(x: float) -> float:  # an input or a constant is not an inner function
        return math.sin(x) ** 2

    assert _texts(bell) == ["-(2 * x) ** 2", "2 * x"]
    assert _texts(nested) == ["math.cos(3 * x)", "3 * x"]
    assert _texts(plain) == ["math.sin(x)"]


X = 0.5
# each lambda on a line of its own, after the list's first line
# fmt: off
CUBES = [
    lambda x: (2 * x) ** 3]
WITH_A_NAME = [
    lambda x: math.sin(2 * x), 2 * X]
COS = dict(
    f=lambda x: math.cos(3 * x))
RULES = (  # as in check_op(\n    lambda ..., lambda ...)
    lambda x: math.sin(2 * x), lambda x, out: math.cos(2 * x))
# fmt: on


def test_a_lambda_on_a_line_of_a_list_is_trimmed_until_it_parses() -> None:
    # the source of each is its line alone: "lambda x: (2 * x) ** 3]" parses once the ] is cut
    assert _texts(CUBES[0]) == ["2 * x"]
    assert _texts(WITH_A_NAME[0]) == ["2 * x"]  # ", 2 * X" parses as the tuple's second item


def test_only_the_brackets_after_a_lambda_are_cut() -> None:
    # "f=lambda x: math.cos(3 * x))": the call's ) is cut, not the cos( ... )'s (the old trim cut
    # every ) at the end, so nothing parsed and no inner function was found)
    assert _texts(COS["f"]) == ["3 * x"]


def test_a_forward_rule_on_a_line_of_a_call_gets_the_chain_rule_named() -> None:
    # d/dx sin(2x) = 2 cos(2x); cos(2x) forgot the inner derivative 2 (the old trim found no
    # inner function here, and the report said only "off by a constant factor of 1/2")
    report = check_op(*RULES)
    assert report.kinds == ("chain_rule",)
    assert "d(2 * x)/dx" in str(report.mistakes[0])


@pytest.mark.parametrize(
    "text, inner",
    [
        ("SPACED = [\n    lambda x: (3 * x) ** 2]   \n", "3 * x"),  # spaces after the ]
        ("SPACED = {\n    lambda x: (4 * x) ** 2}\n", "4 * x"),  # a set's }
        ("SPACED = [(\n    lambda x: (5 * x) ** 2),\n]\n", "5 * x"),  # a comma, then a )
    ],
)
def test_a_lambda_line_is_trimmed_of_spaces_commas_and_braces(text: str, inner: str) -> None:
    # source registered in linecache (as an editor or a notebook does)
    name = "<test_inner_mutants trimmed>"
    linecache.cache[name] = (len(text), None, text.splitlines(keepends=True), name)
    try:
        space: dict[str, object] = {}
        exec(compile(text, name, "exec"), space)
        (forward,) = space["SPACED"]  # type: ignore[misc]
        assert _texts(forward) == [inner]
    finally:
        del linecache.cache[name]


def _with_an_empty_cell():  # type: ignore[no-untyped-def]
    a_spare = 1.0
    k = 3.0

    def f(x: float) -> float:
        return k * x if x else a_spare  # noqa: F821  (ruff misses the del below)

    del a_spare  # f's cell for a_spare is empty now; its cell for k (after it) holds 3.0
    return f


def test_an_empty_closure_cell_is_skipped_and_the_next_one_read() -> None:
    forward = _with_an_empty_cell()
    assert forward.__code__.co_freevars == ("a_spare", "k")
    namespace = _names_of(forward)
    assert "a_spare" not in namespace
    assert namespace["k"] == 3.0
    assert namespace["math"] is math  # the module's globals
    assert namespace["abs"] is abs  # and the builtins
