"""The rule lab writes its numbers with the engine's one formatter, ``autograd.value.fmt``."""

from autograd.learn.diagnose import Sample, true_text, yours_text
from autograd.value import fmt


def test_fmt_keeps_a_float_looking_like_a_float_at_any_precision():
    assert fmt(2.0) == "2.0" and fmt(2.0, 8) == "2.0"
    assert fmt(1 / 3) == "0.3333" and fmt(1 / 3, 8) == "0.33333333"
    assert fmt(1e-8) == "1e-08" and fmt(float("-inf")) == "-inf" and fmt(3) == "3"


def test_a_near_miss_shows_the_true_derivative_as_a_float():
    # yours 2.0000001 and the true 2 agree in 4 digits and differ in 8: both are written in 8,
    # and the true one reads 2.0 as everywhere else in the rule lab's messages (not "2")
    sample = Sample(point=(1.0,), out=1.0, expected=2.0, got=2.0000001, tolerance=1e-9)
    assert yours_text(sample) == "2.0000001"
    assert true_text(sample) == "2.0"
