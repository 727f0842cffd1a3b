"""Holes the JavaScript mutation runner (tests/js/mutate_page.py) found in the fast loop's checks of
the page's JavaScript (docs/testing.md, issue 23).

The twin's ``fsum`` was compared with the engine to a relative 1e-12 only, so its exact rounding
(the last bit, which is what makes it ``math.fsum``) and its infinities went unchecked; ``pyRepr``
was never asked for a number at its switch to the exponent form (1e16). Each case here has an
independent answer: Python's ``math.fsum`` and ``repr``.

The full run of the other mutants (``--start 124``) found more, below: the sum of -0.0 (the
twin's was -0.0, math.fsum's is 0.0) and an op named as an Object method (``toString``) were bugs
of the twin, fixed; the rest were checks missing (sigmoid's branch, relu(-0), the unknown op's
message, short's infinity, pyExp with little to round, predict mode's deps).
"""

from __future__ import annotations

import functools
import math
import operator
import random

import pytest

from tests.see.test_js_page import NODE, js_number, run_node

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the page's JavaScript is tested in the browser tests only"
)


def fsum_lists() -> list[list[float]]:
    """Sums whose exactly rounded result differs from adding left to right: large and small
    numbers together, exact powers of two (ties), and numbers cancelled by their negatives."""
    lists = [[1e16, 1.0, 1e-16], [-1e16, -1.0, -1e-16], [2.0**53, 1.0, 2.0**-60], [1.0, 2.0**-53, 2.0**-106]]
    rng = random.Random(23)
    for _ in range(1000):
        xs: list[float] = []
        for _ in range(rng.randint(2, 8)):
            kind = rng.random()
            if xs and kind < 0.3:
                xs.append(-rng.choice(xs))
            elif kind < 0.65:
                xs.append(rng.choice([-1.0, 1.0]) * 2.0 ** rng.randint(-60, 60))
            else:
                xs.append(rng.uniform(-1.0, 1.0) * 10.0 ** rng.randint(-20, 20))
        lists.append(xs)
    return lists


def python_fsum(xs: list[float]) -> dict[str, str]:
    """What the twin should answer: math.fsum's number, or its error's name and message."""
    try:
        return {"out": repr(math.fsum(xs))}
    except (ValueError, OverflowError) as err:
        return {"error": type(err).__name__, "message": str(err)}


def twin_sums(lists: list[list[float]]) -> list[dict[str, str]]:
    got = run_node({"ops": [["sum", [js_number(x) for x in xs], None] for xs in lists]})["ops"]
    return [
        {"error": g["error"], "message": g["message"]} if "error" in g else {"out": repr(float(g["out"]))}
        for g in got
    ]


def test_the_twins_sum_is_exactly_rounded_as_math_fsum():
    """Bit for bit, not within 1e-12: over a tenth of these lists are not added exactly left to
    right (mutants of fsum's partial sums and of its half-to-even correction)."""
    lists = fsum_lists()
    naive_differs = sum(functools.reduce(operator.add, xs, 0.0) != math.fsum(xs) for xs in lists)  # left to right
    assert naive_differs > 100  # the exact rounding is what is tested
    got = twin_sums(lists)
    wrong = [(xs, g, python_fsum(xs)) for xs, g in zip(lists, got) if g != python_fsum(xs)]
    assert wrong == []


SPECIAL_SUMS = [
    [math.inf, 1.0],
    [2.0, -math.inf],
    [math.inf, math.inf, -3.0],
    [-math.inf, 5.0, -math.inf],
    [1.0, math.nan],
    [math.inf, math.nan],
    [math.inf, -math.inf],
    [-math.inf, 1.0, math.inf, math.nan],
    [1e308, 1e308],
    [1e308, 1e308, -1e308],
    [1e308, math.inf, 1e308],  # the partial sums before an infinity are dropped: no overflow
]


def test_the_twins_sum_of_infinities_and_nans_is_math_fsums():
    """inf + 1 = inf, -inf + 2 = -inf, nan anywhere is nan, inf - inf is fsum's ValueError and an
    overflow its OverflowError (mutants: the infinities' sum subtracted, the special case's test)."""
    assert twin_sums(SPECIAL_SUMS) == [python_fsum(xs) for xs in SPECIAL_SUMS]


REPR_NUMBERS = [
    1e16,
    -1e16,
    1.2345e16,
    9999999999999998.0,
    1e15,
    123456789012345.67,
    1e-4,
    1e-5,
    0.00012345,
    1.5e-7,
    1e22,
    2.0**70,
]


def test_pyrepr_switches_to_the_exponent_form_where_python_does():
    """repr writes 1e+16 from 1e16 on and 1e-05 below 1e-4, positional in between
    (mutants: the switch at 1e17)."""
    got = run_node({"format": [js_number(x) for x in REPR_NUMBERS]})["format"]
    assert [g["repr"] for g in got] == [repr(x) for x in REPR_NUMBERS]


def test_an_infinity_is_close_only_to_itself():
    """tests/oracles.close, which compares the twin with the engine: |inf - 0.5| <= rel * inf held,
    so a twin giving inf where the engine gives 0.5 passed (found by the mutant sqrt's derivative
    'out !== 1', which makes d sqrt(a)/da at a = 1 infinite instead of 1/2)."""
    from tests.oracles import close
    from tests.see.test_ops_twin_browser import TWIN_AGREES

    for a, b in [(math.inf, 0.5), (0.5, math.inf), (-math.inf, -1e300), (math.inf, -math.inf)]:
        assert not close(a, b, **TWIN_AGREES) and not close(a, b)
    assert close(math.inf, math.inf, **TWIN_AGREES) and close(-math.inf, -math.inf)
    got = run_node({"ops": [["sqrt", [1.0], None], ["sqrt", [0.0], None]]})["ops"]
    assert [float(g["local"][0]) for g in got] == [0.5, math.inf]  # d sqrt(a)/da = 1/(2 sqrt a), by hand


def test_the_twins_sum_of_nothing_is_zero():
    """autograd.sum([]) is a node of value 0 (the empty sum), which the page recomputes with the
    twin: 0, as math.fsum([]) (mutants: fsum's start 1, and its first partial read at index -1)."""
    got = run_node({"ops": [["sum", [], None], ["dot", [], None]]})["ops"]
    assert [float(g["out"]) for g in got] == [math.fsum([]), 0.0] == [0.0, 0.0]


def test_a_domain_error_in_the_pages_forward_pass_is_shown_not_thrown():
    """log(x) drawn at x = 2, then the learner types x = -1: log of -1 is the engine's ValueError,
    which the page records on the node (and runs no backward pass) instead of throwing (mutant:
    the test for the twin's own errors negated)."""
    from autograd import Value
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    x = Value(2.0, "x")
    order = topological_order(x.log() * 3.0)
    where = order.index(x)
    got = run_node({"graphs": [{"G": graph_data(order), "leaves": {str(where): -1.0}}]})["graphs"][0]
    with pytest.raises(ValueError) as engine:
        Value(-1.0).log()
    assert [(kind, message) for _, kind, message in got["errors"]] == [("ValueError", str(engine.value))]
    assert got["steps"] == 0


def test_every_spelling_of_an_infinity_is_read_with_its_sign():
    """The typed answers inf, +inf, -inf, infinity, -infinity are Python's float() of them
    (mutant: -infinity read as +inf)."""
    texts = ["inf", "+inf", "-inf", "infinity", "-infinity", "Infinity", "-Infinity"]
    got = run_node({"typed": texts})["typed"]
    assert [float(g) for g in got] == [float(t) for t in texts]


def test_a_second_pass_on_the_same_page_starts_clean():
    """log(x) * 3 drawn at x = 2; the learner types x = -1 (log's ValueError, no backward pass),
    then x = 4: the error is gone and the pass has its 2 steps again, d/dx = 3/x = 0.75 (mutants:
    forward() keeping the errors of the pass before, backward() adding its steps to the old ones)."""
    from autograd import Value
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    x = Value(2.0, "x")
    order = topological_order(x.log() * 3.0)
    where = str(order.index(x))
    request = {"G": graph_data(order), "leaves": {}, "edits": [{where: -1.0}, {where: 4.0}]}
    got = run_node({"graphs": [request]})["graphs"][0]
    assert got["errors"] == [] and got["steps"] == 2
    assert float(got["grads"][int(where)]) == 0.75


# --- the full run of the rest (mutants 124 to 540 of --list, issue 23): the holes it found ---------


def test_the_twins_sigmoid_is_the_engines_bit_for_bit_where_their_exps_agree():
    """sigmoid(x) is 1/(1 + e**-x) for x >= 0 and e**x/(1 + e**x) below, in the engine
    (``ops.float_sigmoid``) and in the twin; both forms agree to 1e-12, so a twin switching forms
    at 1 instead of 0 passed. V8's Math.exp and the C library's exp differ in the last bit at some
    points; where they agree (the twin's own exp op at the same argument), the twin's sigmoid is
    the engine's to the last bit (mutant: ``x >= 0`` as ``x >= 1``)."""
    from autograd.ops import float_sigmoid

    xs = [k / 500 for k in range(-500, 500)]
    got = run_node({"ops": [["sigmoid", [x], None] for x in xs] + [["exp", [-abs(x)], None] for x in xs]})
    sigmoids, exps = got["ops"][: len(xs)], got["ops"][len(xs) :]
    same_exp = [x for x, e in zip(xs, exps) if float(e["out"]) == math.exp(-abs(x))]
    assert len(same_exp) > 700  # most points are compared
    wrong = [x for x, s in zip(xs, sigmoids) if x in same_exp and float(s["out"]) != float_sigmoid(x)]
    assert wrong == []


def test_relu_of_minus_zero_is_plus_zero_as_the_engine_says_in_its_error():
    """relu(-0.0) is 0.0 (``0.0 if x <= 0.0``), not -0.0: the sign shows when the page writes the
    number, as in log's error for log(relu(x)) at a typed x = -0 ("got 0.0", the engine's words)
    (mutant: ``x <= 0`` as ``x < 0``, which passes -0 through)."""
    from autograd import Value
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    got = run_node({"ops": [["relu", ["-0"], None]]})["ops"][0]
    assert got["out"] == "0" and Value(-0.0).relu().data == 0.0
    x = Value(2.0, "x")
    order = topological_order(x.relu().log())
    request = {"G": graph_data(order), "leaves": {str(order.index(x)): "-0"}}
    page = run_node({"graphs": [request]})["graphs"][0]
    with pytest.raises(ValueError) as engine:
        Value(-0.0).relu().log()
    assert str(engine.value) == "log: input must be > 0, got 0.0"
    assert [(kind, message) for _, kind, message in page["errors"]] == [("ValueError", str(engine.value))]


ZERO_SUMS = [[-0.0], [-0.0, -0.0], [0.0, -0.0], [-0.0, 0.0], [1.0, -1.0], [-1.0, 1.0], [-0.0, 2.0, -2.0]]


def test_the_twins_sum_of_negative_zeros_is_plus_zero_as_math_fsum():
    """math.fsum keeps no zero among its partial sums, so the sum of -0.0 alone is 0.0; the twin
    kept it and answered -0.0, which the page writes when it names the number: log(sum of [x]) at a
    typed x = -0 said "got -0.0" where the engine says "got 0.0" (found by the mutant that
    deletes ``hi = partials[--n]``, whose sum starts at +0)."""
    from autograd import Value
    from autograd.backward import topological_order
    from autograd.ops import sum as value_sum
    from autograd.see.page import graph_data

    got = run_node({"ops": [["sum", [js_number(x) for x in xs], None] for xs in ZERO_SUMS]})["ops"]
    signs = [math.copysign(1.0, float(g["out"])) for g in got]
    assert signs == [math.copysign(1.0, math.fsum(xs)) for xs in ZERO_SUMS] == [1.0] * len(ZERO_SUMS)
    x = Value(2.0, "x")
    order = topological_order(value_sum([x]).log())
    request = {"G": graph_data(order), "leaves": {str(order.index(x)): "-0"}}
    page = run_node({"graphs": [request]})["graphs"][0]
    with pytest.raises(ValueError) as engine:
        value_sum([Value(-0.0)]).log()
    assert str(engine.value) == "log: input must be > 0, got 0.0"
    assert [(kind, message) for _, kind, message in page["errors"]] == [("ValueError", str(engine.value))]


def test_an_op_without_a_twin_is_named_when_the_learner_changes_a_leaf():
    """A custom op (``autograd.custom_op``) has no JavaScript twin: when the learner types a new
    number under it, the page's forward pass records the twin's ValueError, naming the op, and runs
    no backward pass; it does not throw (mutants: the unknown-op test deleted, so ``rule(...)``
    throws a TypeError; the op's name subtracted from the message)."""
    from autograd import Value, custom_op
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    cube = custom_op(lambda a: a**3, lambda a, out: 3 * a**2, name="cube")
    x = Value(2.0, "x")
    order = topological_order(cube(x) * 2.0)
    request = {"G": graph_data(order), "leaves": {str(order.index(x)): 3.0}}
    got = run_node({"graphs": [request], "ops": [["cube", [3.0], None]]})
    expected = ("ValueError", "cube: this page has no JavaScript twin of this op")
    assert (got["ops"][0]["error"], got["ops"][0]["message"]) == expected
    page = got["graphs"][0]
    assert [(order[k].op, kind, message) for k, kind, message in page["errors"]] == [("cube", *expected)]
    assert page["steps"] == 0


def test_python_formats_where_the_exact_decimal_has_about_as_many_digits_as_asked():
    """pyExp and pyFixed round the double's exact decimal D / 10**s; when D has no more digits
    than asked (drop = 0) or one more (drop = 1), the rounding step is (almost) nothing, a branch
    the page's own 3 and 4 digits never reach and the random doubles of test_js_page rarely do.
    Python's f"{x:.{d}e}" and f"{x:.{d}f}" are the answer (mutant: ``drop > 0`` as ``drop > 1``,
    which raised 10n to the power -1)."""
    xs = [(2.0**52 + j) * 2.0**e for e in range(-8, 3) for j in (0, 1, 12345, 2**51)]
    requests = [[x, kind, d] for x in xs + [-x for x in xs] for kind in ("e", "f") for d in range(12, 26)]
    got = run_node({"pyformat": requests})["pyformat"]
    expected = [format(x, f".{d}{kind}") for x, kind, d in requests]
    assert [(r, g) for r, g, e in zip(requests, got, expected) if g != e] == []


def test_short_writes_an_infinity_as_python_does_not_as_javascript_does():
    """short() is read back as a number by test_js_page, and float("Infinity") is inf too, so a
    short() without its own infinity line passed: pyExp of an infinity rounds 2**1024 to
    1.798e+308, which Number() reads as Infinity, and the page wrote "Infinity" where Python's
    "%.4g" and the page's boxes write "inf" (mutant: that line deleted)."""
    specials = [math.inf, -math.inf, math.nan]
    got = run_node({"format": [js_number(x) for x in specials]})["format"]
    assert [g["short"] for g in got] == [f"{x:.4g}" for x in specials] == ["inf", "-inf", "nan"]


def test_predict_mode_knows_which_steps_each_grad_comes_from():
    """Predict mode hides a number while any step it comes from is still to be predicted, so each
    step records those steps (deps). For f = a*b + a, by hand: step 0 (the add, the root's seed:
    no step) gives c = a*b and a grads from step 0; step 1 (the mul) reads c's grad (step 0) and
    gives a and b grads from steps 0 and 1. Without them the page shows b's grad before the
    learner has predicted step 0 (mutant: the line that records them deleted)."""
    from autograd import Value
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    order = topological_order(c + a)
    assert [n.op for n in order[:2]] == ["add", "mul"] and [n for n in order[0].inputs] == [c, a]
    got = run_node({"graphs": [{"G": graph_data(order), "leaves": {}}]})["graphs"][0]
    assert got["deps"] == [{"up": [], "after": [[0], [0]]}, {"up": [0], "after": [[0, 1], [0, 1]]}]


@pytest.mark.parametrize("name", ["constructor", "toString", "valueOf", "hasOwnProperty"])
def test_an_op_named_as_a_javascript_object_method_has_no_twin_either(name):
    """A custom op may be called ``toString`` or ``constructor`` (an identifier, not a built-in
    op); the twin looked it up in its table of ops, an object, and found Object's own method: the
    page's forward pass then threw a TypeError (``constructor``) or took a string for the output
    (``toString``) instead of saying the op has no twin (found by the mutant that deletes forward's
    rethrow of an error that is not the twin's)."""
    from autograd import Value, custom_op
    from autograd.backward import topological_order
    from autograd.see.page import graph_data

    op = custom_op(lambda a: a + 1.0, lambda a, out: 1.0, name=name)
    x = Value(2.0, "x")
    order = topological_order(op(x) * 2.0)
    request = {"G": graph_data(order), "leaves": {str(order.index(x)): 3.0}}
    got = run_node({"graphs": [request], "ops": [[name, [3.0], None]]})
    expected = ("ValueError", f"{name}: this page has no JavaScript twin of this op")
    assert (got["ops"][0].get("error"), got["ops"][0].get("message")) == expected
    page = got["graphs"][0]
    assert [(order[k].op, kind, message) for k, kind, message in page["errors"]] == [(name, *expected)]
    assert page["steps"] == 0
