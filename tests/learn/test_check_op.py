"""check_op on planted wrong derivatives (each with the diagnosis it must get) and on right ones.

The true derivatives are the calculus-table ones; check_op finds them by central differences,
so each right case here is also a test that the checker does not cry wolf.
"""

import math

import pytest

from autograd import check_op


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
    # (forward, learner's derivative, domain, words the diagnosis must contain)
    (tanh, lambda x, out: 1 - x**2, (-3, 3), "the input x is used where the output out is needed"),
    (math.sin, lambda x, out: math.cos(out), (-3, 3), "the output out is used where the input x is needed"),
    (math.exp, lambda x, out: math.exp(out), (-3, 2), "the output out is used where the input x is needed"),
    (sigmoid, lambda x, out: -out * (1 - out), (-3, 3), "the sign is flipped"),
    (sub, lambda a, b, out: (1.0, 1.0), (-3, 3), "d/db: the sign is flipped"),
    (square, lambda x, out: x, (-3, 3), "off by a constant factor of 1/2"),
    (cube, lambda x, out: 6 * x**2, (-3, 3), "off by a constant factor of 2"),
    (abs, lambda x, out: 1.0, (-3, 3), "wrong for -2.875 <= x <= -0.125"),
    (
        sigmoid,
        lambda x, out: math.exp(-x) / (1 + math.exp(-x)) ** 2,
        (-3, 3),
        "right on the domain but wrong at large |x|: at x=-1000.0: yours OverflowError",
    ),
    (mul, lambda a, b, out: (a, b), (-3, 3), "the two partial derivatives are exchanged"),
    (tanh, lambda x, out: None, (-3, 3), "returned None: nothing to check"),
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


@pytest.mark.parametrize(("forward", "derivative", "domain", "diagnosis"), WRONG)
def test_a_planted_mistake_fails_with_its_diagnosis(forward, derivative, domain, diagnosis):
    report = check_op(forward, derivative, domain=domain)
    assert not report.ok
    assert len(report.mistakes) == 1, report.mistakes
    assert diagnosis in report.mistakes[0], str(report)
    assert "mistake: " + report.mistakes[0] in str(report)


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
    assert mistake.startswith("right at 16 of 32 points only; wrong for -1.917 <= x <= -0.08333")
    assert "yours 1.0, true 0.0" in mistake


def test_the_points_count_and_first_wrong_point_are_reported():
    report = check_op(square, lambda x, out: x, domain=(-3, 3))
    domain_check = report.checks[0]
    assert (domain_check.right, domain_check.total) == (0, 32)
    assert domain_check.example == "at x=-2.875: yours -2.875, true -5.75"  # d(x²)/dx = 2x


def test_a_derivative_that_raises_everywhere_is_named():
    def derivative(x, out):
        raise NotImplementedError("write me")

    report = check_op(tanh, derivative)
    assert report.mistakes == ("your derivative raised at every point (NotImplementedError: write me).",)


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
