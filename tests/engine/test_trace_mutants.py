"""Holes the mutation session found in autograd/trace.py (docs/testing.md, issue 23).

Each case is derived by hand and fails on the surviving mutants named in its docstring.
"""

from __future__ import annotations

import pytest

from autograd import PathChanged, Value, trace
from autograd.trace import NumberRead


def item_of(v: Value) -> float:
    return v.item()


@pytest.mark.parametrize(
    ("read", "how", "code"),
    [(float, "float()", "return x * read(x)"), (item_of, ".item()", "return v.item()")],
)
def test_float_and_item_of_a_traced_value_are_refused_naming_the_read(read, how, code):
    """float(x) and x.item() of an input inside trace() are refused like x.data, naming the read
    and the line that made it (mutants: the value, the kind of read or the frame not passed on)."""

    def f(x):
        return x * read(x)

    with pytest.raises(NumberRead) as caught:
        trace(f, 2.0)
    message = str(caught.value)
    assert f"reads a number out of a Value ({how})" in message
    assert "test_trace_mutants.py" in message and f"({code})" in message


@pytest.mark.parametrize("read", [float, item_of])
def test_float_of_a_constant_inside_a_trace_is_its_number(read):
    """A Value that does not depend on the inputs reads as its number: f(x) = 3x, slope 3
    (mutant: the read made of None)."""
    three = Value(3.0)

    def f(x):
        return x * read(three)

    assert trace(f, 2.0).compile()(5.0) == (15.0, (3.0,))


def guard_lines(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if line.strip().startswith("if ")]


def test_each_guard_comes_right_after_the_later_of_its_operands():
    """x > 1 reads an input only: its guard is the first line. a = 2x, b = 3y: a > b is checked
    once b exists, y < a once a exists (mutants: the guard's line from a wrong default)."""

    def f(x, y):
        a = x * 2.0
        b = y * 3.0
        if x > 1.0 and a > b and y < a and b > y:
            return a + b
        return a - b

    t = trace(f, 2.0, 1.0)
    lines = [line.strip().split(":  #")[0] for line in t.source(reuse_names=False).splitlines()]
    forward = [line for line in lines[2 : lines.index("v5_bar = 1.0")] if not line.startswith(("#", "raise"))]
    assert forward == [
        "if not (x > 1.0)",
        "v3 = x * 2.0",
        "if not (y < v3)",
        "v4 = y * 3.0",
        "if not (v3 > v4)",
        "if not (v4 > y)",
        "v5 = v3 + v4",
    ]
    compiled = t.compile()
    assert compiled(2.0, 1.0) == (7.0, (2.0, 3.0))  # a + b = 2x + 3y = 4 + 3
    for flipped in [(0.5, 0.1), (2.0, 2.0)]:  # x > 1 fails; a > b fails
        with pytest.raises(PathChanged):
            compiled(*flipped)


def test_comparing_constants_makes_no_guard():
    """Two Values that do not depend on the inputs compare the same at every call: no guard
    (mutants: such a comparison taken for one that depends on the inputs)."""
    two, one = Value(2.0), Value(1.0)

    def f(x):
        return x * 2.0 if two > one else x

    t = trace(f, 1.0)
    assert guard_lines(t.source()) == []
    assert t.compile()(4.0) == (8.0, (2.0,))


@pytest.mark.parametrize("bad", ["a", None, [1.0]])
def test_a_compiled_trace_names_a_bad_input(bad):
    """compiled(f)('a'): a TypeError naming the compiled function and the input's position
    (mutants: the check skipped, or the name dropped)."""
    compiled = trace(lambda x, y: x * y, 1.0, 2.0).compile()
    with pytest.raises(TypeError) as caught:
        compiled(3.0, bad)
    assert str(caught.value).startswith("compiled f: input 1: expected a real number, got ")


def test_a_compiled_trace_refuses_a_value_input_saying_what_to_do():
    """The whole message (mutants: its parts changed)."""
    compiled = trace(lambda x: x * x, 1.0).compile()
    with pytest.raises(TypeError) as caught:
        compiled(Value(2.0))
    assert str(caught.value) == (
        "compiled f: input 0 is a Value, but a compiled trace computes with floats and "
        "cannot be differentiated again (no second derivatives through it); for those, trace "
        "a function that returns a gradient, trace(autograd.grad(f), x), or use "
        "backward(create_graph=True)"
    )


def test_a_comparison_with_a_constant_value_is_guarded_with_its_number():
    """x > one and one < 1x, with one = Value(1.0) made outside: guarded as x > 1.0 and 1.0 < v;
    f = 2x on the traced path, slope 2 (mutants: the line of a constant Value looked up with no
    default)."""
    one = Value(1.0)
    for f in (lambda x: x * 2.0 if x > one else x, lambda x: x * 2.0 if one < x * 1.0 else x):
        compiled = trace(f, 2.0).compile()
        assert compiled(3.0) == (6.0, (2.0,))
        with pytest.raises(PathChanged):
            compiled(0.5)


def test_the_line_shown_is_clipped_at_70_characters_and_left_out_without_source():
    """The refused read's line is shown cut to 70 characters (67 and '...'); code with no source
    file (made by exec) shows none (mutants: another width, or the brackets always shown)."""

    def f(x):
        return x * float(x) + x * 2.0 + x * 3.0 + x * 4.0 + x * 5.0 + x * 6.0 + x * 7.0 + x * 8.0

    code = "return x * float(x) + x * 2.0 + x * 3.0 + x * 4.0 + x * 5.0 + x * 6.0 + x * 7.0 + x * 8.0"
    with pytest.raises(NumberRead) as caught:
        trace(f, 2.0)
    assert f", line {f.__code__.co_firstlineno + 1} ({code[:67]}...) reads a number" in str(caught.value)

    namespace: dict[str, object] = {}
    exec("def g(x):\n    return x * float(x)\n", namespace)
    with pytest.raises(NumberRead) as caught:
        trace(namespace["g"], 2.0)  # type: ignore[arg-type]
    assert str(caught.value).startswith(
        "trace of g: <string>, line 2 reads a number out of a Value (float())"
    )


def test_the_table_shows_every_adjoint_line_that_reaches_the_output_even_at_zero():
    """f(x, y) = relu(2x) + xy at (-1, 3), by hand: v3 = -2, v4 = relu(v3) = 0, v5 = -3, v6 = -3;
    adjoints v6 = v4 = v5 = 1, x += y v5 = 3, y += x v5 = -1, v3 = 0 (relu is flat there), and
    x += 2 v3 = 0 is still shown: v3 reaches the output. df/dx = 3, df/dy = -1 (mutants of the
    table's rows and of the test for lines that reach the output)."""

    def f(x, y):
        return (x * 2.0).relu() + x * y

    bar = "\u0304"
    assert trace(f, -1.0, 3.0).table().splitlines() == [
        "forward trace of f (one line per op)",
        "  x = -1.0    (input)",
        "  y = 3.0    (input)",
        "  v3 = mul(x, 2.0) = -2.0",
        "  v4 = relu(v3) = 0.0",
        "  v5 = mul(x, y) = -3.0",
        "  v6 = add(v4, v5) = -3.0",
        f"adjoint trace (in reverse; v{bar} = dv6/dv)",
        f"  v6{bar} = 1.0",
        f"  v4{bar} += v6{bar}    = 1.0 \u00b7 1.0 = 1.0",
        f"  v5{bar} += v6{bar}    = 1.0 \u00b7 1.0 = 1.0",
        f"  x{bar} += y \u00b7 v5{bar}    = 3.0 \u00b7 1.0 = 3.0",
        f"  y{bar} += x \u00b7 v5{bar}    = -1.0 \u00b7 1.0 = -1.0",
        f"  v3{bar} += (1.0 if v3 > 0.0 else 0.0) \u00b7 v4{bar}    = 0.0 \u00b7 1.0 = 0.0",
        f"  x{bar} += 2.0 \u00b7 v3{bar}    = 2.0 \u00b7 0.0 = 0.0",
        f"gradient: x{bar} = 3.0, y{bar} = -1.0",
    ]


def test_the_table_of_a_result_that_depends_on_no_input():
    """g(x) = 2 * 3 does not depend on x: no adjoint trace, gradient 0."""
    table = trace(lambda x: Value(2.0) * 3.0, 1.0).table().splitlines()
    assert table[-2:] == [
        "adjoint trace: none; f's result, 6.0, depends on no input",
        "gradient: x\u0304 = 0.0",
    ]


def test_the_table_checks_the_guard_and_leaves_out_a_value_that_only_decides_a_branch():
    """f(x) = 2x if 5x > 0 (else x) at 1: v3 = 5x decides the branch, so it is checked (5 > 0 is
    True), but the output does not depend on it: no adjoint row for it, and the rows after it are
    all there; df/dx = 2 (mutants: the check row dropped, the test for rows to leave out
    reversed, a skipped row ending the list)."""

    def f(x):
        y = x * 2.0
        u = x * 5.0
        return y if u > 0.0 else x

    bar = "\u0304"
    assert trace(f, 1.0).table().splitlines() == [
        "forward trace of f (one line per op)",
        "  x = 1.0    (input)",
        "  v2 = mul(x, 2.0) = 2.0",
        "  v3 = mul(x, 5.0) = 5.0",
        "  check v3 > 0.0 is True",
        f"adjoint trace (in reverse; v{bar} = dv2/dv)",
        f"  v2{bar} = 1.0",
        f"  x{bar} += 2.0 \u00b7 v2{bar}    = 2.0 \u00b7 1.0 = 2.0",
        f"gradient: x{bar} = 2.0",
    ]


@pytest.mark.parametrize(
    ("expr", "atom"),
    [
        ("x", True),
        ("v3_bar", True),
        ("2.0", True),
        ("1e-05", True),
        ("0.5", True),
        ("-1.0", False),
        ("a + b", False),
        ("a*b", False),
        ("tanh(v3)", True),
        ("f(a, b)[0]", True),
        ("f(a, (b + c))", True),
        ("(a + b)", True),
        ("(a) + (b)", False),
        ("f(a)(b)", False),
        ("f(a)[i]", False),
        ("f(a)[0] * 2", False),
        ("x.y(1)", False),
        ("f(a", False),
    ],
)
def test_an_atom_needs_no_brackets(expr, atom):
    """The generated code brackets a factor unless it is a name, a non-negative literal, or one
    call or bracketed group, indexed at most by a number: -1.0 * y must not read as -(1.0 * y),
    nor a + b * y as a + (b * y) (mutants of _is_atom)."""
    from autograd.trace import _is_atom

    assert _is_atom(expr) is atom
