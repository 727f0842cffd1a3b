"""Losses under ``autograd.trace``: a branch a loss takes on its input is guarded, never baked in."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import PathChanged, Value, trace


def bce_of_one(p: Value) -> Value:
    return nn.binary_cross_entropy(p, 1.0)


def test_bce_traced_inside_the_clamp_stops_at_a_clamped_p() -> None:
    compiled = trace(bce_of_one, 0.5).compile()
    loss, (grad,) = compiled(0.25)
    assert loss == pytest.approx(-math.log(0.25), rel=1e-15)  # -log p
    assert grad == pytest.approx(-1.0 / 0.25, rel=1e-15)  # d/dp -log p = -1/p
    with pytest.raises(PathChanged, match="p >= 1e-12"):
        compiled(0.0)


def test_bce_traced_at_a_clamped_p_does_not_reuse_the_clamp_elsewhere() -> None:
    # Traced at p = 0 the loss is -log(1e-12), a constant; reusing that at p = 0.5 would give
    # 27.63 instead of log 2 = 0.693.
    compiled = trace(bce_of_one, 0.0).compile()
    assert compiled(0.0)[0] == pytest.approx(-math.log(1e-12), rel=1e-12)
    with pytest.raises(PathChanged):
        compiled(0.5)
    assert trace(bce_of_one, 0.5).compile()(0.5)[0] == pytest.approx(math.log(2.0), rel=1e-15)


def test_bce_still_refuses_a_probability_outside_0_1_and_nan() -> None:
    for p in (1.5, -0.1, math.nan):
        with pytest.raises(ValueError, match="binary_cross_entropy: probabilities must be in \\[0, 1\\]"):
            nn.binary_cross_entropy(Value(p), 1.0)
