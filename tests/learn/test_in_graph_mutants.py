"""What the rule lab says when an op goes wrong inside a graph: the exact text (mutation holes, issue 23).

The op is made with ``custom_op`` from a forward rule and a (wrong) derivative; ``graph_checks``
builds the four small graphs at each point. Every expected number is derived by hand: for
``f(a, b) = a * b`` the true gradients are (b, a) times the upstream gradient.
"""

from __future__ import annotations

from autograd.custom_op import custom_op
from autograd.learn.in_graph import graph_checks

TITLES = (
    "with upstream gradient 2.5",
    "with upstream gradient -0.5",
    "used twice in one graph, f(x) + f(x)",
    "chained with itself, f(f(x))",
)


def product(a: float, b: float) -> float:
    return a * b


def test_a_right_op_passes_every_graph_with_no_example() -> None:
    op = custom_op(product, lambda a, b, out: (b, a))
    checks = graph_checks(op, product, [(1.0, 2.0), (-0.5, 3.0)], 2)
    assert tuple(c.title for c in checks) == TITLES
    assert [(c.right, c.total) for c in checks] == [(2, 2)] * 4
    assert [c.example for c in checks] == ["", "", "", ""]  # a str, as Check says: nothing wrong to show


def test_swapped_partials_are_shown_with_the_inputs_names_and_comma_separated() -> None:
    # the derivative returns (a, b) instead of (b, a): at a=1, b=2 with upstream 2.5 the grads
    # are 2.5 * (1, 2) = (2.5, 5), the true ones 2.5 * (2, 1) = (5, 2.5)
    op = custom_op(product, lambda a, b, out: (a, b))
    checks = graph_checks(op, product, [(1.0, 2.0)], 2)
    assert checks[0].right == 0 and checks[0].total == 1
    assert checks[0].example == "at a=1.0, b=2.0: grads 2.5, 5.0, true 5.0, 2.5"
    # upstream -0.5: grads (-0.5, -1), true (-1, -0.5)
    assert checks[1].example == "at a=1.0, b=2.0: grads -0.5, -1.0, true -1.0, -0.5"


def test_a_derivative_that_raises_in_the_graph_is_shown_with_its_error() -> None:
    def broken(x: float, out: float) -> float:
        raise ZeroDivisionError("the learner's bug")

    def square(x: float) -> float:
        return x * x

    op = custom_op(square, broken)
    checks = graph_checks(op, square, [(0.5,), (1.5,)], 1)
    for check in checks:
        assert (check.right, check.total) == (0, 2)
        # the first point's error is kept, not the second one's
        assert check.example == "at x=0.5: ZeroDivisionError: the learner's bug"
