"""The op registry (``autograd/op_registry.py``): what its mutants showed no test pinned down.

``guard`` wraps every op so that a ``.data`` assigned by hand that is not a number is named
where it enters. These tests read the guard's whole message for each shape of wrapper (one
input, two, the reflected form ``2.0 - b``, any number of inputs), the position it counts
(numbers and list items count, keyword arguments come after the positional ones), and that any
other TypeError goes on as it was. The registry's entries are checked against what each op is
known to be: how many inputs its node has, where it is defined, its reflected method, whether
chainrule's expressions may call it. Each expected text is the message the guard's code spells
out, with the data's ``repr`` cut to 40 characters (``value.clip``), derived here by hand.
"""

from __future__ import annotations

import inspect
import math

import pytest

from autograd import Value, ops
from autograd.op_registry import OPS

TAIL = ", not a number; .data must hold a float (set it to float(...), or to a Value's .data)"
TWO_INPUTS = ("add", "sub", "mul", "div", "pow")
ANY_NUMBER = ("sum", "dot")
ONE_INPUT = tuple(name for name in OPS if name not in TWO_INPUTS + ANY_NUMBER)


def bad(label: str = "", data: object = "2") -> Value:
    """A Value whose .data was set by hand to something that is not a number."""
    v = Value(1.0, label=label)
    v.data = data  # type: ignore[assignment]
    return v


def refusal(call) -> TypeError:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError) as caught:
        call()
    return caught.value


# --- the message, for each shape of wrapper ---------------------------------------------------------


def test_one_input_unlabelled_the_whole_message() -> None:
    error = refusal(lambda: ops.exp(bad()))
    assert str(error) == "exp: input 0 has .data = '2', a str" + TAIL
    error = refusal(lambda: bad().tanh())  # the method is the same guarded op
    assert str(error) == "tanh: input 0 has .data = '2', a str" + TAIL


def test_one_input_labelled_names_the_label() -> None:
    error = refusal(lambda: -bad("w", None))
    assert str(error) == "neg: input 0 'w' has .data = None, a NoneType" + TAIL


def test_two_inputs_count_positions_and_name_the_op() -> None:
    a = Value(3.0, label="a")
    assert str(refusal(lambda: ops.mul(a, bad("b")))) == "mul: input 1 'b' has .data = '2', a str" + TAIL
    assert str(refusal(lambda: bad("b") * a)) == "mul: input 0 'b' has .data = '2', a str" + TAIL
    assert str(refusal(lambda: ops.add(a, bad()))) == "add: input 1 has .data = '2', a str" + TAIL


def test_the_reflected_form_counts_the_number_on_the_left() -> None:
    # 2.0 - b is b.__rsub__(2.0), that is sub(2.0, b): b is input 1, and the number is input 0
    error = refusal(lambda: 2.0 - bad("b"))
    assert str(error) == "sub: input 1 'b' has .data = '2', a str" + TAIL
    error = refusal(lambda: 2.0 * bad())
    assert str(error) == "mul: input 1 has .data = '2', a str" + TAIL


def test_the_reflected_form_computes_with_the_number_on_the_left() -> None:
    b = Value(0.5)
    assert (2.0 - b).data == 1.5
    assert (2.0 / b).data == 4.0
    assert (3.0 ** Value(2.0)).data == 9.0
    assert (2.0 + b).data == 2.5
    assert (2.0 * b).data == 1.0


def test_any_number_of_inputs_counts_list_items_in_order() -> None:
    good = Value(1.0, label="g")
    assert str(refusal(lambda: ops.sum([good, bad("s")]))) == "sum: input 1 's' has .data = '2', a str" + TAIL
    assert str(refusal(lambda: ops.sum((good, good, bad())))) == "sum: input 2 has .data = '2', a str" + TAIL
    # dot's inputs are ws, then xs: the second x is input 3
    error = refusal(lambda: ops.dot([good, good], [good, bad("x1")]))
    assert str(error) == "dot: input 3 'x1' has .data = '2', a str" + TAIL
    error = refusal(lambda: ops.leaky_relu(bad("z"), 0.2))
    assert str(error) == "leaky_relu: input 0 'z' has .data = '2', a str" + TAIL


def test_keyword_arguments_are_read_after_the_positional_ones() -> None:
    # failed before: dot(..., bias=b) let Python's "sum() can't sum strings" through, and
    # sum(..., start=b) "must be real number, not str": the guard read positional arguments only
    w, x = Value(2.0), Value(3.0)
    error = refusal(lambda: ops.dot([w], [x], bias=bad("bias")))
    assert str(error) == "dot: input 2 'bias' has .data = '2', a str" + TAIL
    error = refusal(lambda: ops.sum([w], start=bad("start")))
    assert str(error) == "sum: input 1 'start' has .data = '2', a str" + TAIL
    error = refusal(lambda: ops.leaky_relu(a=bad("z")))
    assert str(error) == "leaky_relu: input 0 'z' has .data = '2', a str" + TAIL


def test_keyword_arguments_reach_the_op() -> None:
    w, x = Value(2.0), Value(3.0)
    assert ops.dot([w], [x], bias=Value(0.5)).data == 2.0 * 3.0 + 0.5
    assert ops.sum([w, x], start=Value(0.25)).data == 0.25 + 2.0 + 3.0
    assert ops.leaky_relu(Value(-2.0), negative_slope=0.2).data == pytest.approx(-0.4, rel=1e-15)
    assert ops.leaky_relu(a=Value(-2.0)).data == pytest.approx(-0.02, rel=1e-15)  # default slope 0.01


def test_a_value_as_data_and_a_long_repr_are_named() -> None:
    # repr(Value(2.4)) is "Value(data=2.4, grad=0.0)", 25 characters: shown whole
    error = refusal(lambda: ops.mul(bad("p", Value(2.4)), Value(1.0)))
    assert str(error) == "mul: input 0 'p' has .data = Value(data=2.4, grad=0.0), a Value" + TAIL
    # repr("x" * 50) has 52 characters: cut to its first 37 and "..."
    error = refusal(lambda: ops.exp(bad("", "x" * 50)))
    assert str(error) == "exp: input 0 has .data = '" + "x" * 36 + "..., a str" + TAIL


@pytest.mark.parametrize(
    "call",
    [
        lambda: ops.exp(bad()),
        lambda: ops.mul(Value(1.0), bad()),
        lambda: 2.0 - bad(),
        lambda: ops.sum([bad()]),
    ],
    ids=["one", "two", "reflected", "any"],
)
def test_the_refusal_hides_the_arithmetic_error_behind_it(call) -> None:  # type: ignore[no-untyped-def]
    error = refusal(call)
    assert error.__cause__ is None and error.__suppress_context__ is True  # raise ... from None
    assert "input 0" in str(error) or "input 1" in str(error)


def test_a_type_error_with_every_data_a_number_goes_on_unchanged() -> None:
    # the refusal is for a .data that is not a number; any other TypeError is the op's own
    with pytest.raises(TypeError) as caught:
        ops.mul(Value(1.0), "x")  # type: ignore[arg-type]
    assert str(caught.value) == "mul: expected a real number, got str 'x'"
    with pytest.raises(TypeError) as caught:
        ops.leaky_relu(Value(1.0), "s")  # type: ignore[arg-type]
    assert str(caught.value) == "leaky_relu: expected a real number, got str 's'"
    with pytest.raises(TypeError) as caught:
        ops.sum([Value(1.0), "y"])  # type: ignore[list-item]
    assert str(caught.value) == "sum: expected a real number, got str 'y'"


# --- the wrappers: named as the op, and of the op's shape ------------------------------------------


@pytest.mark.parametrize("name", list(OPS))
def test_each_wrapper_is_named_and_documented_as_its_op(name: str) -> None:
    entry = OPS[name]
    for wrapper in (entry.guarded, entry.swapped):
        if wrapper is None:
            continue
        assert wrapper.__name__ == name and wrapper.__qualname__ == name
        assert wrapper.__doc__ == entry.forward.__doc__ and wrapper.__doc__
        assert wrapper.__wrapped__ is entry.forward  # type: ignore[attr-defined]
    assert inspect.signature(entry.guarded) == inspect.signature(entry.forward)
    assert entry.forward is not entry.guarded and getattr(ops, name) is entry.guarded


def test_a_wrong_number_of_arguments_names_the_op() -> None:
    with pytest.raises(TypeError, match=r"^exp\(\) takes 1 positional argument but 2 were given$"):
        Value(1.0).exp(2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^mul\(\) missing 1 required positional argument: 'b'$"):
        ops.mul(Value(1.0))  # type: ignore[call-arg]


@pytest.mark.parametrize("name", list(OPS))
def test_one_or_two_inputs_get_a_wrapper_of_that_shape(name: str) -> None:
    """guard's promise: ``a * b`` calls a wrapper of two parameters, not one of ``*args``.

    (Speed only, checked by its shape rather than timed: every op of one or two inputs without
    defaults takes exactly them; the others, and only they, take ``*operands, **options``.)
    """
    entry = OPS[name]
    code = entry.guarded.__code__
    star = bool(code.co_flags & inspect.CO_VARARGS)
    if name in TWO_INPUTS:
        assert (code.co_argcount, star) == (2, False)
        assert entry.swapped is not None and entry.swapped.__code__.co_argcount == 2
    elif name in ANY_NUMBER or name == "leaky_relu":  # a list, or a default: *operands
        assert (code.co_argcount, star) == (0, True)
    else:
        assert (code.co_argcount, star) == (1, False)


# --- the registry's entries ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OPS))
def test_each_entry_counts_its_inputs(name: str) -> None:
    entry = OPS[name]
    assert entry.name == name
    if name in ANY_NUMBER:
        assert entry.arity == 0  # any number
        if name == "dot":  # two ws, two xs: four inputs
            node = entry.guarded([Value(0.5), Value(0.25)], [Value(2.0), Value(3.0)])
            assert len(node.inputs) == 4
        else:
            node = entry.guarded([Value(0.5), Value(0.25), Value(2.0)])
            assert len(node.inputs) == 3
        return
    arity = 2 if name in TWO_INPUTS else 1
    assert entry.arity == arity
    node = entry.guarded(*[Value(0.5) for _ in range(arity)])
    assert node.op == name and len(node.inputs) == arity


DOMAINS = {"div": "b ≠ 0", "log": "a > 0", "sqrt": "a ≥ 0", "tan": "cos a ≠ 0"}


@pytest.mark.parametrize("name", list(OPS))
def test_each_entry_says_where_its_op_is_defined(name: str) -> None:
    # 1/b needs b ≠ 0, ln a needs a > 0, √a needs a ≥ 0, tan a needs cos a ≠ 0; the other ops are
    # defined for every real number, which the registry writes as ''
    assert OPS[name].domain == DOMAINS.get(name, "")


@pytest.mark.parametrize("name", list(OPS))
def test_only_the_operators_of_two_inputs_have_a_reflected_form(name: str) -> None:
    entry = OPS[name]
    if name in TWO_INPUTS:  # 2 * a is a.__rmul__(2): __mul__'s reflected name
        (method,) = entry.methods
        assert entry.reflected == "__r" + method[2:]
        assert Value.__dict__[entry.reflected] is entry.swapped
    else:
        assert entry.reflected == "" and entry.swapped is None


EXPRESSION_FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "gelu", "silu", "relu",
                        "leaky_relu", "abs", "sin", "cos", "tan", "atan")  # fmt: skip


def test_expressions_may_call_the_functions_of_one_input_and_no_other_op() -> None:
    # neg is written -a, identity is grad(f)'s own, sum and dot take lists: none is name(x)
    assert [name for name in OPS if OPS[name].expression] == list(EXPRESSION_FUNCTIONS)
    assert all(OPS[name].expression is False for name in OPS if name not in EXPRESSION_FUNCTIONS)


def test_an_entry_keeps_the_forms_docs_ops_md_shows() -> None:
    # d(a·b)/da = b and d(a·b)/db = a; d(eᵃ)/da = eᵃ
    mul, exp = OPS["mul"], OPS["exp"]
    assert (mul.written, mul.formula, mul.derivatives) == ("a * b", "a·b", "d/da = b, d/db = a")
    assert (exp.written, exp.formula, exp.derivatives) == ("a.exp()", "eᵃ", "d/da = eᵃ = out")
    assert exp.methods == ("exp",) and mul.methods == ("__mul__",)
    assert exp.floats is math.exp and mul.floats is None
    assert exp.trace == ("exp({0})", ("{out}",)) and OPS["sum"].trace is None
