"""``no_grad()`` inside ``detect_anomaly()`` (issue 23's test holes), as autograd/grad_mode.py
states it: a block that records nothing checks nothing; on leaving it the checks are back, and
``enable_grad()`` inside it turns recording and the checks back on together."""

from __future__ import annotations

import math

import pytest

from autograd import Value, detect_anomaly, no_grad
from autograd.grad_mode import enable_grad
from autograd.see.anomaly import AnomalyError


def test_no_grad_inside_detect_anomaly_records_and_checks_nothing_then_checks_again():
    big = Value(1e200, "big")
    with detect_anomaly():
        with no_grad():
            y = big * big  # 1e400 overflows to inf: a bare leaf, neither recorded nor checked
            assert y.data == math.inf and y.op == "" and y.inputs == ()
            with enable_grad():
                with pytest.raises(AnomalyError, match=r"mul produced inf from inputs \(1e\+200, 1e\+200\)"):
                    big * big
            z = big * big  # back under no_grad: unchecked again
            assert z.data == math.inf and z.op == ""
        with pytest.raises(AnomalyError, match="mul produced inf"):
            big * big  # no_grad left: the checks are back
    outside = big * big  # detect_anomaly left: recorded, not checked
    assert outside.op == "mul" and outside.data == math.inf


def test_detect_anomaly_inside_no_grad_checks_nothing_it_does_not_record():
    big = Value(1e200)
    with no_grad(), detect_anomaly():
        y = big * big
        assert y.data == math.inf and y.op == ""
