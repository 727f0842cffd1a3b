"""The expression builder behind `chainrule graph`: right numbers, and a clean error for anything else."""

import math
import sys

import pytest

from chainrule.expression import ExpressionError, build_expression


def test_lecture_neuron_gradients_by_hand():
    x1, x2, w1, w2, b = 2.0, 0.0, -3.0, 1.0, 6.8813735870195432
    root, v = build_expression("tanh(w1*x1 + w2*x2 + b)", dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b))
    root.backward()
    o = math.tanh(w1 * x1 + w2 * x2 + b)
    dn = 1 - o * o
    assert root.data == pytest.approx(o)
    assert v["x1"].grad == pytest.approx(dn * w1) and v["w1"].grad == pytest.approx(dn * x1)
    assert v["x2"].grad == pytest.approx(dn * w2) and v["w2"].grad == pytest.approx(dn * x2)
    assert v["b"].grad == pytest.approx(dn)
    assert v["w1"].label == "w1"


def test_all_operators_and_unary_minus():
    root, v = build_expression("-x ** 2 / (y - 1) + 3 * +y", dict(x=3.0, y=2.0))
    root.backward()
    # f = -x^2/(y-1) + 3y ; df/dx = -2x/(y-1); df/dy = x^2/(y-1)^2 + 3
    assert root.data == pytest.approx(-9.0 + 6.0)
    assert v["x"].grad == pytest.approx(-6.0) and v["y"].grad == pytest.approx(12.0)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("__import__('os').system('touch /tmp/chainrule-pwned')", 1, "cannot call"),
        ("__import__('os')", 1, "'__import__'"),
        ("x.real", 1, "Attribute"),
        ("(lambda: 1)()", 1, "cannot call"),
        ("lambda: x", 1, "Lambda"),
        ("[x for x in (1, 2)]", 1, "ListComp"),
        ("{x: 1}", 1, "Dict"),
        ("x[0]", 1, "Subscript"),
        ("x if x else 1", 1, "IfExp"),
        ("x + 'a'", 5, "only numbers"),
        ("x + y", 5, "unknown name 'y'"),
        ("x @ x", 3, "operator @ is not allowed"),
        ("x % 2", 3, "operator % is not allowed"),
        ("~x", 1, "operator ~ is not allowed"),
        ("x < 1", 1, "Compare"),
        ("tanh", 1, "is a function"),
        ("tanh(x, x)", 1, "exactly one argument"),
        ("tanh(x=x)", 1, "exactly one argument"),
        ("open(x)", 1, "cannot call 'open'"),
        ("x ** 99999", 1, "too large"),
        ("x * 1" + "0" * 400, 5, "too large"),
        ("log(x - 2)", 1, "log: input must be > 0"),
        ("x +", 4, "not a valid expression"),
        ("(x := 3)", 2, "NamedExpr"),
    ],
)
def test_hostile_or_wrong_text_is_refused_with_a_column(text, column, words, tmp_path):
    with pytest.raises(ExpressionError) as info:
        build_expression(text, {"x": 2.0})
    assert words in str(info.value)
    assert info.value.column == column
    assert str(info.value).startswith(f"column {column}: ")


def test_nothing_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(ExpressionError):
        build_expression(f"__import__('os').system('touch {marker}')", {})
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-" * 5000 + "x",
        "(" * 300 + "x" + ")" * 300,
        "x+" * 6000 + "x",
        "tanh(" * 3000 + "x" + ")" * 3000,
    ],
)
def test_empty_deep_or_huge_text(text):
    with pytest.raises(ExpressionError):
        build_expression(text, {"x": 1.0})


def test_depth_limit_does_not_depend_on_the_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)  # as a Jupyter kernel might
    try:
        with pytest.raises(ExpressionError, match="nested more than 200 levels"):
            build_expression("-" * 1000 + "x", {"x": 1.0})
    finally:
        sys.setrecursionlimit(old)


def test_moderately_deep_nesting_builds_without_recursion():
    root, v = build_expression("tanh(" * 60 + "x" + ")" * 60, {"x": 0.5})
    root.backward()
    assert 0 < v["x"].grad < 1


def test_missing_and_extra_variables():
    with pytest.raises(ExpressionError, match="unknown name 'b'"):
        build_expression("a * b", {"a": 1.0})
    with pytest.raises(ExpressionError, match="variable 'c' is given but not used"):
        build_expression("a * b", {"a": 1.0, "b": 2.0, "c": 3.0})


@pytest.mark.parametrize(
    ("text", "column", "hint"),
    [
        ("x^2", 2, "write x**2"),
        ("x ^ 2", 3, "write x ** 2"),
        ("(x+1)^2", 6, "write (x+1)**2"),
        ("3*x^2 + x", 4, "write 3*x**2 + x"),  # Python reads (3*x)^2 + x: the hint keeps the math's reading
        ("x^2^2", 4, "write x**2**2"),  # the outer ^ of (x^2)^2, as Python reads it
        ("ｘ^2", 2, "write ｘ**2"),  # columns count characters, not UTF-8 bytes
    ],
)
def test_a_caret_gets_the_hint_to_write_a_power(text, column, hint):
    with pytest.raises(ExpressionError) as info:
        build_expression(text, {"x": 2.0})
    assert str(info.value) == f"column {column}: ^ is not a power in Python (it is bitwise xor): {hint}"
    root, _ = build_expression(hint.removeprefix("write "), {"x": 2.0})  # and the hint builds
    assert root.data == pytest.approx(eval(hint.removeprefix("write ").replace("ｘ", "x"), {"x": 2.0}))


def test_columns_count_characters_in_every_error():
    with pytest.raises(ExpressionError, match="^column 4: log: input must be > 0"):
        build_expression("é*(log(x - 2))", {"x": 2.0, "é": 1.0})
    with pytest.raises(ExpressionError, match="^column 4: unknown name 'y'"):
        build_expression("ｘ+ y", {"x": 2.0})
