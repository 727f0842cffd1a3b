"""The compact code of autograd/trace.py (``_Inliner``), checked line by line: holes the
mutation session found (docs/testing.md, issue 23).

Compact code writes a value used once, and needed by nothing else, into the expression that
uses it. Only the numbers of compact code were tested, and inlining never changes them, so a
wrong choice of what to inline (a value used twice written twice, a value the backward pass
reads left without a line, brackets lost or added) went unseen. Each expected forward pass
below is derived by hand from the rule in ``_Inliner``'s docstring; the numbers are checked
against the node engine's ``backward()``.
"""

from __future__ import annotations

import pytest

import autograd
from autograd import Value, trace
from autograd.trace import INLINE_DEPTH
from autograd.trace_rules import HELPERS, SUM_ADDS_IN_ORDER


def forward_lines(source: str) -> list[str]:
    """The assignments of the forward pass: the lines between the docstring and the backward."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    # forward")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("    # backward"))
    return [line.strip() for line in lines[start:end]]


def check_numbers(f, *xs: float) -> None:
    """The compact code's value and gradient are the node engine's, to the last bit."""
    t = trace(f, *xs)
    namespace: dict = {}
    exec(t.source(compact=True), {**HELPERS, "PathChanged": autograd.PathChanged}, namespace)
    value, gradient = namespace[f"{t.name}_value_and_grad"](*xs)
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    assert value == out.data
    assert gradient == tuple(leaf.grad for leaf in leaves)


def twice(x):
    y = x.exp()
    return y + y


def twice_added(x):
    y = x + 1.0
    return y + y


def negative_constant(x):
    return (x * 2.0) + -0.5


def mixed(a, b, c):
    return (a + b) + c.tanh() * (a - b)


def through_relu(x):
    return (x.exp() + 1.0).relu() + 2.0


def quotient(a, b):
    return -(a / b).exp() / (a * b).log()


@pytest.mark.parametrize(
    ("f", "xs", "forward"),
    [
        # v2 is read twice by v3 (and by exp's derivative): a line of its own, not exp(x) + exp(x)
        (twice, (1.0,), ["v2 = exp(x)", "v3 = v2 + v2"]),
        # v2 = x + 1.0 is read by no derivative but used twice by v3: a line, not written twice
        (twice_added, (0.5,), ["v2 = x + 1.0", "v3 = v2 + v2"]),
        # a negative constant as an operand is bracketed, whatever is written beside it
        (negative_constant, (1.0,), ["v3 = x * 2.0 + (-0.5)"]),
        # v4 = a + b and v7 = v5 * v6 are used once and read by no derivative (add's are 1.0,
        # mul's the other factor): written into v8, bare (a sum first in a sum, a product second);
        # v5 (tanh's derivative reads it) and v6 (mul's derivative of v5) keep their lines
        (mixed, (1.0, 2.0, 3.0), ["v5 = tanh(c)", "v6 = a - b", "v8 = a + b + v5 * v6"]),
        # relu reads its input twice, and its derivative reads it: v3 keeps its line; the relu
        # itself, a bracketed group, is written bare into the add
        (through_relu, (0.5,), ["v2 = exp(x)", "v3 = v2 + 1.0", "v5 = (0.0 if v3 <= 0.0 else v3) + 2.0"]),
        # the negation -v4 is written bare as the numerator (a unary binds tighter than /)
        (quotient, (2.0, 3.0), ["v3 = a / b", "v4 = exp(v3)", "v6 = a * b", "v7 = log(v6)", "v8 = -v4 / v7"]),
    ],
)
def test_the_compact_forward_pass_inlines_exactly_the_values_used_once(f, xs, forward):
    """Mutants of _Inliner: the use counts, the derivatives that need a value, the repeated
    slots, the bracketing by binding and slot."""
    assert forward_lines(trace(f, *xs).source(compact=True)) == forward
    check_numbers(f, *xs)


def test_a_sum_in_the_second_slot_of_a_subtraction_keeps_its_brackets():
    """a - (b - c) is not a - b - c; the inputs of a sum of three, used once, go into the
    fsum in brackets, the third one too (mutants: BARE looked up for no op, the slot read past
    the second). By hand: 8 - (2 - 2) = 8, slopes (1, -1, 1); 4 + 4 - 2 = 6, slopes (1, 3, 1)."""

    def g(a, b, c):
        return a - (b - c)

    def s(a, b, c):
        return autograd.sum([a + b, b * c, -c])

    assert forward_lines(trace(g, 8.0, 2.0, 2.0).source(compact=True)) == ["v5 = a - (b - c)"]
    assert trace(g, 8.0, 2.0, 2.0).compile()(8.0, 2.0, 2.0) == (8.0, (1.0, -1.0, 1.0))
    if SUM_ADDS_IN_ORDER:
        assert forward_lines(trace(s, 2.0, 2.0, 2.0).source(compact=True)) == [
            "v7 = fsum(((a + b), (b * c), (-c),))"
        ]
    namespace: dict = {}
    exec(trace(s, 2.0, 2.0, 2.0).source(compact=True), dict(HELPERS), namespace)
    assert namespace["s_value_and_grad"](2.0, 2.0, 2.0) == (6.0, (1.0, 3.0, 1.0))
    check_numbers(g, 8.0, 2.0, 2.0)


def three_sums(a, b, c):
    return autograd.sum([a.exp(), b.exp(), c.exp()]) + 1.0


def test_a_sum_of_three_keeps_the_values_its_derivative_does_not_need_inlined():
    """sum's local derivatives are 1.0: its inputs are needed only by exp's derivatives."""
    forward = forward_lines(trace(three_sums, 1.0, 2.0, 3.0).source(compact=True))
    assert forward[:3] == ["v4 = exp(a)", "v5 = exp(b)", "v6 = exp(c)"]
    check_numbers(three_sums, 1.0, 2.0, 3.0)


def negations(x):
    for _ in range(250):
        x = -x
    return x


def test_an_expression_is_nested_at_most_inline_depth_deep():
    """250 negations of x: each used once and needed by nothing (neg's derivative is -1.0), so
    they nest; the one at depth INLINE_DEPTH (the 200th, v201) gets a line and the nesting
    starts again, and the output (v251) has its line (mutants of the depth count)."""
    forward = forward_lines(trace(negations, 1.5).source(compact=True))
    assert [line.split(" = ")[0] for line in forward] == [f"v{INLINE_DEPTH + 1}", "v251"]
    assert forward[0] == "v201 = " + "-(" * 199 + "-x" + ")" * 199
    assert forward[1] == "v251 = " + "-(" * 49 + "-v201" + ")" * 49
    check_numbers(negations, 1.5)  # by hand: an even count of negations, 1.5 and slope 1


def test_a_dot_is_a_sum_nested_as_deep_as_its_pairs():
    """A dot of n pairs is n nested additions: 199 pairs are written into the exp that uses
    them (in brackets: a sum inside a call), 200 are not (mutants of dot's binding and depth)."""

    def f(n):
        def dotted(*xs):
            return autograd.dot(list(xs[:n]), list(xs[n:])).exp()

        return dotted

    if not SUM_ADDS_IN_ORDER:  # from 3.12 a dot is one sum() call however wide: one line, inlined
        xs = [0.001 * k for k in range(1, 2 * 200 + 1)]
        forward = forward_lines(trace(f(200), *xs).source(compact=True))
        assert len(forward) == 1 and forward[0].startswith("v402 = exp(sum((x0 * x200, x1 * x201, ")
        small = trace(f(2), 0.1, 0.2, 0.3, 0.4).source(compact=True)
        assert forward_lines(small) == ["v6 = exp(sum((x0 * x2, x1 * x3, ), 0.0))"]
        check_numbers(f(2), 0.1, 0.2, 0.3, 0.4)
        return
    xs = [0.001 * k for k in range(1, 2 * 199 + 1)]
    text = trace(f(199), *xs).source(compact=True)
    assert forward_lines(text)[-1].startswith("v400 = exp((sum((x0 * x199, x1 * x200, ")
    xs = [0.001 * k for k in range(1, 2 * 200 + 1)]
    forward = forward_lines(trace(f(200), *xs).source(compact=True))
    assert forward[-2].startswith("v401 = sum((x0 * x200, x1 * x201, ")
    assert forward[-1] == "v402 = exp(v401)"
    small = trace(f(2), 0.1, 0.2, 0.3, 0.4).source(compact=True)
    assert forward_lines(small) == ["v6 = exp((0.0 + x0 * x2 + x1 * x3))"]
    check_numbers(f(2), 0.1, 0.2, 0.3, 0.4)
