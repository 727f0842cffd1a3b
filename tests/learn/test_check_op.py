"""check_op on planted wrong derivatives (each with the diagnosis it must get) and on right ones.

The true derivatives are the calculus-table ones; check_op finds them by central differences,
so each right case here is also a test that the checker does not cry wolf.
"""

import math
from decimal import Decimal
from fractions import Fraction

import numpy
import pytest

from autograd import check_op
from autograd.learn import MISTAKE_KINDS, Mistake
from autograd.learn.check import MAX_POINTS
from autograd.learn.diagnose import close
from autograd.value import fmt


def tanh(x):
    return math.tanh(x)


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def square(x):
    return x * x


def cube(x):
    return x**3


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


WRONG = [
    # (forward, learner's derivative, domain, its kind, words the message must contain)
    (
        tanh,
        lambda x, out: 1 - x**2,
        (-3, 3),
        "x_for_out",
        "the input x is used where the output out is needed",
    ),
    (
        math.sin,
        lambda x, out: math.cos(out),
        (-3, 3),
        "out_for_x",
        "the output out is used where the input x",
    ),
    (
        math.exp,
        lambda x, out: math.exp(out),
        (-3, 2),
        "out_for_x",
        "the output out is used where the input x",
    ),
    (sigmoid, lambda x, out: -out * (1 - out), (-3, 3), "sign", "the sign is flipped"),
    (sub, lambda a, b, out: (1.0, 1.0), (-3, 3), "sign", "d/db: the sign is flipped"),
    (square, lambda x, out: x, (-3, 3), "factor", "off by a constant factor of 1/2"),
    (cube, lambda x, out: 6 * x**2, (-3, 3), "factor", "off by a constant factor of 2"),
    (abs, lambda x, out: 1.0, (-3, 3), "part_of_domain", "wrong for -2.875 <= x <= -0.125"),
    (mul, lambda a, b, out: (a, b), (-3, 3), "swapped_partials", "the two partial derivatives are exchanged"),
    (tanh, lambda x, out: None, (-3, 3), "blank", "returned None: nothing to check"),
]

RIGHT = [
    (tanh, lambda x, out: 1 - out**2, (-3, 3)),
    (sigmoid, lambda x, out: out * (1 - out), (-3, 3)),
    (math.exp, lambda x, out: out, (-3, 3)),
    (math.sin, lambda x, out: math.cos(x), (-3, 3)),
    (math.log, lambda x, out: 1 / x, (0.1, 5)),
    (softplus, lambda x, out: sigmoid(x), (-3, 3)),
    (abs, lambda x, out: 1.0 if x > 0 else -1.0, (-3, 3)),  # the kink at 0 is skipped
    (mul, lambda a, b, out: (b, a), (-3, 3)),
    (div, lambda a, b, out: (1 / b, -out / b), [(-3, 3), (0.5, 3)]),
    (cube, lambda x, out: 3 * x**2, (-3, 3)),
]


@pytest.mark.parametrize(("forward", "derivative", "domain", "kind", "diagnosis"), WRONG)
def test_a_planted_mistake_fails_with_its_diagnosis(forward, derivative, domain, kind, diagnosis):
    report = check_op(forward, derivative, domain=domain)
    assert not report.ok
    assert report.kinds == (kind,), str(report)
    assert diagnosis in report.mistakes[0].message, str(report)
    assert "mistake: " + str(report.mistakes[0]) in str(report)


@pytest.mark.parametrize(("forward", "derivative", "domain"), RIGHT)
def test_a_right_derivative_passes_every_check(forward, derivative, domain):
    report = check_op(forward, derivative, domain=domain)
    assert report.ok, str(report)
    assert report.mistakes == ()
    titles = [c.title for c in report.checks]
    for words in ("points of the domain", "upstream gradient 2.5", "used twice", "chained with itself"):
        assert any(words in t for t in titles), titles
    assert all(c.total > 0 and c.right == c.total for c in report.checks)


def test_the_report_says_where_a_partly_right_derivative_is_wrong():
    # relu's derivative written as "1 everywhere": right for x > 0, wrong for x < 0
    report = check_op(lambda x: max(x, 0.0), lambda x, out: 1.0, domain=(-2, 2))
    (mistake,) = report.mistakes
    assert mistake.kind == "part_of_domain"
    assert mistake.message.startswith("right at 16 of 32 points only; wrong for -1.917 <= x <= -0.08333")
    assert "yours 1.0, true 0.0" in mistake.message


def test_the_points_count_and_first_wrong_point_are_reported():
    report = check_op(square, lambda x, out: x, domain=(-3, 3))
    domain_check = report.checks[0]
    assert (domain_check.right, domain_check.total) == (0, 32)
    assert domain_check.example == "at x=-2.875: yours -2.875, true -5.75"  # d(x²)/dx = 2x


def test_a_derivative_that_raises_everywhere_is_named():
    def derivative(x, out):
        raise NotImplementedError("write me")

    report = check_op(tanh, derivative)
    assert report.mistakes == (
        Mistake("raised", "your derivative raised at every point (NotImplementedError: write me)."),
    )


@pytest.mark.parametrize("domain", [(1, 1), (3, -3), "x", (1, 2, 3)])
def test_bad_domains_are_refused(domain):
    with pytest.raises(ValueError, match="check_op: .*domain"):
        check_op(tanh, lambda x, out: 1 - out**2, domain=domain)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"forward": 3}, TypeError, "check_op: the forward rule and the derivative must be functions"),
        (
            {"derivative": "1 - out**2"},
            TypeError,
            "check_op: the forward rule and the derivative must be functions",
        ),
        ({"points": 2}, ValueError, "check_op: points must be an int >= 4, got 2"),
        ({"seed": 1.5}, TypeError, "check_op: seed must be an int, got float"),
        (
            {"forward": math.log, "domain": (-3, -1)},
            ValueError,
            "check_op: the forward rule gives no finite number",
        ),
    ],
)
def test_bad_arguments_are_refused_naming_check_op(kwargs, error, message):
    arguments = {"forward": tanh, "derivative": lambda x, out: 1 - out**2, **kwargs}
    with pytest.raises(error, match=message):
        check_op(**arguments)


def test_a_forward_undefined_on_part_of_the_domain_is_checked_where_it_is_defined():
    report = check_op(math.log, lambda x, out: 1 / x, domain=(-3, 3))  # log: only x > 0
    assert report.ok and report.checks[0].total == 16


# --- numbers in every form, and what is not a number --------------------------------------------


def relu(x):
    return max(x, 0.0)


@pytest.mark.parametrize(
    "derivative",
    [
        lambda x, out: x > 0,  # a bool: 1.0 or 0.0
        lambda x, out: Fraction(int(x > 0)),
        lambda x, out: Decimal(int(x > 0)),
        lambda x, out: numpy.int64(x > 0),
        lambda x, out: numpy.bool_(x > 0),
        lambda x, out: numpy.array(float(x > 0)),  # a 0-d array
    ],
)
def test_a_right_derivative_in_any_number_type_passes(derivative):
    report = check_op(relu, derivative)
    assert report.ok, str(report)


@pytest.mark.parametrize(
    ("result", "words"),
    [
        ("0.5", "a str ('0.5'), not a number"),
        ({"x": 0.5}, "a dict"),
        (0.5 + 0j, "a complex number"),
        (lambda: 0.5, "a function (<lambda>), not its value"),
        ((d for d in [0.5]), "a generator"),
    ],
    ids=["str", "dict", "complex", "lambda", "generator"],
)
def test_a_result_that_is_not_a_number_is_named_with_its_type(result, words):
    report = check_op(tanh, lambda x, out: result)
    assert report.kinds == ("not_a_number",), str(report)
    assert words in report.mistakes[0].message
    assert "None" not in report.mistakes[0].message


@pytest.mark.parametrize(
    ("result", "count"), [(lambda a, b: b, "one value"), (lambda a, b: (b, a, 1.0), "3 values")]
)
def test_a_wrong_count_is_named_with_the_count(result, count):
    report = check_op(mul, lambda a, b, out: result(a, b))
    assert report.kinds == ("count",), str(report)
    message = report.mistakes[0].message
    assert (
        message.startswith(f"your derivative returns {count}") and "for an op of 2 inputs (a, b)" in message
    )
    assert "raised" not in str(report)


def test_a_non_number_in_one_partial_is_reported_on_that_partial_only():
    report = check_op(mul, lambda a, b, out: (b, str(a)))
    (mistake,) = report.mistakes
    assert (mistake.kind, mistake.partial) == ("not_a_number", "b")
    assert mistake.message.startswith("d/db: yours is a str")


def test_an_exception_at_large_x_does_not_make_a_right_partial_wrong():
    # the cross-entropy exercise: d/dtarget = -logit is right; the naive sigmoid in d/dlogit overflows
    def cross_entropy(logit, target):
        return max(logit, 0.0) + math.log1p(math.exp(-abs(logit))) - target * logit

    def derivative(logit, target, out):
        p = 1 / (1 + math.exp(-logit))
        return target - p, -logit  # d/dlogit has its sign flipped

    report = check_op(cross_entropy, derivative, domain=[(-6, 6), (0, 1)])
    assert [(m.kind, m.partial) for m in report.mistakes] == [("sign", "logit")]
    assert "target" not in str(report.mistakes)


# --- infinities ------------------------------------------------------------------------------------


def test_an_infinity_is_never_close_to_a_finite_number():
    assert not close(math.inf, 1e300, 1e-6)
    assert not close(-math.inf, -1.0, 1e-6)
    assert not close(math.nan, math.nan, 1.0)
    assert close(math.inf, math.inf, 0.0)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_derivative_that_is_not_finite_is_wrong(bad):
    report = check_op(tanh, lambda x, out: bad)
    assert not report.ok
    assert report.kinds == ("non_finite",), str(report)
    assert "all checks pass" not in str(report)


def test_the_lessons_naive_sigmoid_derivative_passes_with_a_note():
    def naive_sigmoid(x):
        return 1 / (1 + math.exp(-x))

    def sigmoid_derivative(x, out):  # the seed lesson's: overflows at x = -1000
        return naive_sigmoid(x) * (1 - naive_sigmoid(x))

    report = check_op(sigmoid, sigmoid_derivative)
    assert report.ok and report.mistakes == ()
    (note,) = report.notes
    assert "x = -1000.0" in note and "OverflowError" in note and "out * (1 - out)" in note
    lines = str(report).splitlines()
    assert lines[0] == "check_op(sigmoid): all checks pass"
    assert lines[1] == f"  note: {note}"  # shown under the verdict


def test_a_numpy_overflow_at_large_x_passes_with_a_note_and_no_warning(recwarn):
    def sigmoid_derivative(x, out):
        s = 1 / (1 + numpy.exp(-x))  # inf at x = -1000, with a RuntimeWarning from numpy
        return numpy.exp(-x) * s * s  # inf * 0 = nan there

    report = check_op(sigmoid, sigmoid_derivative)
    assert report.ok, str(report)
    assert len(report.notes) == 1 and "x = -1000.0" in report.notes[0]
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# --- the report's values -----------------------------------------------------------------------------


def test_a_mistake_prints_as_its_message_and_its_kind_is_documented():
    report = check_op(square, lambda x, out: x)
    (mistake,) = report.mistakes
    assert str(mistake) == mistake.message and mistake.kind in MISTAKE_KINDS
    with pytest.raises(ValueError, match="Mistake: unknown kind 'typo'"):
        Mistake("typo", "a message")


def test_points_are_bounded_with_a_clear_error():
    with pytest.raises(ValueError, match=f"check_op: points must be at most {MAX_POINTS:,}, got 100,000,000"):
        check_op(tanh, lambda x, out: 1 - out**2, points=10**8)


# --- the chain rule, the value, a product like a sum, and no pattern ------------------------------


def sin_2x(x):
    return math.sin(2 * x)


def exp_minus_x(x):
    return math.exp(-x)


@pytest.mark.parametrize(
    ("forward", "derivative", "inner"),
    [
        (sin_2x, lambda x, out: math.cos(2 * x), "2 * x"),  # d/dx sin(2x) = 2 cos(2x)
        (exp_minus_x, lambda x, out: math.exp(-x), "-x"),  # d/dx exp(-x) = -exp(-x)
        (lambda x: math.sin(x**2), lambda x, out: math.cos(x**2), "x ** 2"),  # 2x cos(x²)
    ],
)
def test_forgetting_the_chain_rule_is_named_not_a_factor_or_a_sign(forward, derivative, inner):
    report = check_op(forward, derivative)
    assert report.kinds == ("chain_rule",), str(report)
    message = report.mistakes[0].message
    assert message.startswith("forgot the chain rule") and f"d({inner})/dx" in message
    assert "factor" not in message and "sign" not in message


def test_returning_the_value_and_treating_mul_like_add_are_named():
    assert check_op(tanh, lambda x, out: out).kinds == ("value_not_derivative",)
    report = check_op(mul, lambda a, b, out: (1.0, 1.0))
    assert report.kinds == ("mul_like_add",)
    assert "the derivatives of a + b" in report.mistakes[0].message


def test_a_mistake_no_pattern_explains_says_so_plainly():
    report = check_op(tanh, lambda x, out: 1 - out)  # tanh' is 1 - out**2
    t = math.tanh(-2.875)  # the first point of the grid on (-3, 3)
    assert report.kinds == ("unexplained",)
    assert report.mistakes[0].message == (
        f"wrong at 32 of 32 points; first at x = -2.875: yours {fmt(1 - t)}, right {fmt(1 - t * t)}."
    )


def test_a_second_run_gives_the_same_report():
    first = check_op(sigmoid, lambda x, out: 1 / (1 + math.exp(-x)) * (1 - 1 / (1 + math.exp(-x))))
    assert first == check_op(sigmoid, lambda x, out: 1 / (1 + math.exp(-x)) * (1 - 1 / (1 + math.exp(-x))))
    assert first.ok and first.notes


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (
            lambda a, b: (d for d in (b, a)),
            "a generator (a ( ... for ... ) expression?), not a tuple of numbers",
        ),
        (lambda a, b: {"a": b, "b": a}, "a dict ({'a': "),
        (lambda a, b: {b, a}, "a set ({"),
    ],
    ids=["generator", "dict", "set"],
)
def test_a_container_for_a_two_input_op_is_named_with_its_type_not_called_one_value(result, words):
    """A generator of (d/da, d/db) holds two values: "returns one value (a generator)" was untrue."""
    report = check_op(mul, lambda a, b, out: result(a, b))
    assert report.kinds == ("count",), str(report)
    message = report.mistakes[0].message
    assert words in message and "not a tuple of numbers" in message and "one value" not in message
    assert "return one number per input, in order: (d/da, d/db)" in message
