"""A report says only what was checked: no "0/0 right" passed, no input named that the op lacks."""

from __future__ import annotations

import math

from autograd import check_op


def noisy_inside(x: float) -> float:
    """x plus a ripple central differences cannot follow, inside |x| < 50: d/dx is 1 outside only."""
    return x + (0.01 * math.sin(x * 1e6) if abs(x) < 50 else 0.0)


def noisy_everywhere(x: float) -> float:
    return x + 0.01 * math.sin(x * 1e6)


def test_a_check_with_no_point_to_try_is_not_reported_as_passed() -> None:
    report = check_op(noisy_inside, lambda x, out: 1.0)
    text = str(report)
    assert "0/0" not in text
    assert [c.title for c in report.checks] == ["derivative at large |x| (100, 1000)"]
    assert report.checks[0].right == report.checks[0].total == 4  # x = ±100, ±1000: d/dx = 1
    assert any(n.startswith("not checked: 'derivative at 32 points of the domain', 'with upstream") for n in report.notes)
    assert report.ok  # right where it could be checked, and it says so
    assert text.splitlines()[0] == "check_op(noisy_inside): all checks that could run pass"


def test_a_domain_where_no_central_difference_can_be_taken_is_not_reported_as_checked() -> None:
    # sqrt on (0, 1e-4): the step h = 1e-5 crosses 0 at every point, so no point is tried there
    report = check_op(math.sqrt, lambda x, out: 0.5 / out, domain=(0, 1e-4))
    assert "0/0" not in str(report) and "points of the domain:" not in str(report)
    assert "all checks pass" not in str(report)


def test_a_report_with_nothing_checked_does_not_pass() -> None:
    report = check_op(noisy_everywhere, lambda x, out: 1.0)
    assert not report.ok and not report.checks and not report.mistakes
    assert str(report).splitlines()[0] == "check_op(noisy_everywhere): nothing checked"
    assert "all checks pass" not in str(report) and "0/0" not in str(report)


def test_the_large_points_are_named_by_the_ops_own_inputs() -> None:
    two = check_op(lambda a, b: a * b, lambda a, b, out: (b, a))  # d/da = b, d/db = a
    assert "derivative at large |a| or |b| (100, 1000): 16/16 right" in str(two)  # 8 points, 2 partials
    one = check_op(lambda t: t * t, lambda t, out: 2 * t)
    assert "derivative at large |t| (100, 1000): 4/4 right" in str(one)
    assert "|x|" not in str(one).split("\n")[2]
