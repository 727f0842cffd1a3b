"""Holes the mutation session found in autograd/value.py (docs/testing.md, issue 23).

Each case states a fact about ``Value`` known without the engine (the comparison of two
numbers, a message's exact text, a gradient derived by hand) and fails on the surviving
mutant named in its docstring.
"""

from __future__ import annotations

import operator

import pytest

from autograd import PathChanged, Value, trace
from autograd.value import clip, fmt, to_float

COMPARISONS = [("<", operator.lt), ("<=", operator.le), (">", operator.gt), (">=", operator.ge)]


@pytest.mark.parametrize(("name", "compare"), COMPARISONS)
@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (-0.0, 0.0)])
def test_a_comparison_is_the_comparison_of_the_numbers(name, compare, a, b):
    """Value(a) OP b and Value(a) OP Value(b) are a OP b, equal numbers included
    (mutants: < as <=, <= as <, > as >=, >= as >)."""
    assert compare(Value(a), b) is compare(a, b)
    assert compare(Value(a), Value(b)) is compare(a, b)


@pytest.mark.parametrize(("name", "compare"), COMPARISONS)
def test_a_comparison_with_a_non_number_names_its_operator(name, compare):
    """The TypeError names the comparison: '<=: expected a real number, got str 'a''
    (mutants: the operator's name replaced or dropped)."""
    with pytest.raises(TypeError) as caught:
        compare(Value(1.0), "a")
    assert str(caught.value) == f"{name}: expected a real number, got str 'a'"


@pytest.mark.parametrize(("name", "compare"), COMPARISONS)
def test_a_traced_comparison_becomes_a_guard(name, compare):
    """A traced branch on x OP 1 is guarded: an input that flips the comparison raises
    PathChanged (mutants: the compared Value not passed on to the trace)."""

    def f(x):
        return x * 2.0 if compare(x, 1.0) else x * 3.0

    for traced_at, flipped in [(0.5, 1.5), (1.5, 0.5)]:
        compiled = trace(f, traced_at).compile()
        slope = 2.0 if compare(traced_at, 1.0) else 3.0
        assert compiled(traced_at) == (traced_at * slope, (slope,))
        with pytest.raises(PathChanged):
            compiled(flipped)


def test_detach_keeps_the_label():
    """detach() is a new leaf with the same number and label (mutant: the label dropped)."""
    a = Value(2.0, label="a")
    b = (a * 3.0).detach()
    c = a.detach()
    assert (c.data, c.label, c.inputs, b.label) == (2.0, "a", (), "")


def test_backward_steps_starts_from_its_grad():
    """backward_steps(grad=2) for c = a*b leaves a.grad = 2b and b.grad = 2a, as backward(2) does
    (mutant: the grad not passed on, so 1 is used)."""
    a, b = Value(3.0), Value(-4.0)
    c = a * b
    steps = list(c.backward_steps(2.0))
    assert [s.upstream for s in steps] == [2.0]
    assert (a.grad, b.grad) == (-8.0, 6.0)


def test_explain_lists_at_most_max_paths():
    """y_{k+1} = y_k * x + y_k from y_0 = x: the paths to x number p_{k+1} = 2 p_k + 1 (through
    y_k twice, x once), 63 after five steps. explain lists 20 of them by default and max_paths
    when given (mutants: the default 21, max_paths not passed on)."""
    x = Value(1.5, label="x")
    y = x
    for _ in range(5):
        y = y * x + y
    full = x.explain(y, max_paths=100)
    assert full.path_count == 63
    assert len(full.paths) == 63
    assert len(x.explain(y).paths) == 20
    assert len(x.explain(y, 3).paths) == 3


def test_to_float_clips_a_long_repr_to_40_characters():
    """The repr in the TypeError is cut at 40 characters, the last three '...' (mutants: 41, +3)."""
    text = "y" * 100
    with pytest.raises(TypeError) as caught:
        to_float(text, "Value")
    clipped = "'" + "y" * 36 + "..."
    assert len(clipped) == 40
    assert str(caught.value) == f"Value: expected a real number, got str {clipped}"
    assert clip("z" * 40) == "z" * 40
    assert clip("z" * 41) == "z" * 37 + "..."


def test_fmt_of_a_non_float_is_its_repr():
    """fmt(3) is '3', fmt(True) 'True', fmt('a') "'a'" (mutant: repr(None))."""
    assert (fmt(3), fmt(True), fmt("a"), fmt(None)) == ("3", "True", "'a'", "None")


def test_numpy_bool_and_numpy_arrays():
    """numpy's bools are numbers (True is 1.0); a numpy array is not one, even of one element,
    and is refused with a TypeError naming it (mutants: 'and' as 'or', numpy's bool name)."""
    np = pytest.importorskip("numpy")
    assert (Value(np.True_).data, Value(np.False_).data) == (1.0, 0.0)
    for array in (np.array(2.0), np.array([1.0, 2.0])):
        with pytest.raises(TypeError) as caught:
            Value(array)
        assert str(caught.value).startswith("Value: expected a real number, got ndarray")


def test_a_class_named_bool_outside_numpy_is_not_a_number():
    """A class named like numpy's bool in another module is refused (mutant: 'and' as 'or')."""
    bool_ = type("bool_", (), {"__float__": lambda self: 1.0})
    with pytest.raises(TypeError, match="got bool_"):
        Value(bool_())
