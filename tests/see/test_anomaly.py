"""detect_anomaly(): the first NaN/inf, forward or backward, raises naming the op, inputs and line."""

from __future__ import annotations

import asyncio
import math
import sys
import threading

import pytest

from autograd import AnomalyError, Value, detect_anomaly
from autograd.grad_mode import anomaly_mode


def here() -> int:
    """The caller's line number: the oracle for the reported creation site."""
    return sys._getframe(1).f_lineno


def test_overflowing_product_is_named_with_inputs_and_line():
    a, b = Value(1e200), Value(1e200)
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        line = here() + 1  # the next line makes the node
        a * b
    message = str(err.value)
    assert "mul produced inf" in message and "(1e+200, 1e+200)" in message
    assert f"{__file__}:{line}" in message


def test_nan_input_data_is_caught_at_the_first_op():
    x = Value(float("nan"), label="x")
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"add produced nan from inputs \(nan, 1.0\)"):
        x + 1.0


def test_inf_minus_inf():
    big = Value(math.inf)
    with detect_anomaly(), pytest.raises(AnomalyError, match="sub produced"):
        big - big  # inf - inf = nan (an infinite leaf is not itself an op, so it passes)


def test_backward_zero_times_infinity_is_named_at_the_node():
    # sqrt at 0 has local derivative +inf; multiplied by an upstream grad of 0 it gives nan (0/0-style)
    with detect_anomaly():
        x = Value(0.0, label="x")
        line = here() + 1  # the next line makes the node
        r = x.sqrt()
        r.label = "r"
        y = r * 0.0
        with pytest.raises(AnomalyError) as err:
            y.backward()
    message = str(err.value)
    assert "backward through sqrt (node r" in message
    assert "grad of input x nan" in message and "local derivative inf × upstream 0.0 = nan" in message
    assert f"{__file__}:{line}" in message


def test_log0_and_div0_still_raise_their_own_errors_in_anomaly_mode():
    with detect_anomaly():
        with pytest.raises(ValueError, match="log: input must be > 0, got 0.0"):
            Value(0.0).log()
        with pytest.raises(ZeroDivisionError, match="div: division by zero"):
            Value(0.0) / Value(0.0)
        # log(0) reached by underflow: exp(-1000) is exactly 0.0, then log refuses it
        with pytest.raises(ValueError, match="log: input must be > 0"):
            Value(-1000.0).exp().log()


def test_off_by_default_nan_just_flows_and_hooks_are_removed_even_after_an_error():
    with pytest.raises(AnomalyError), detect_anomaly():
        Value(1e200) * Value(1e200)
    assert anomaly_mode.get() is None
    y = Value(float("nan")) + 1.0  # no anomaly mode: no error
    assert math.isnan(y.data)


def test_anomaly_mode_backward_leaves_the_same_grads_as_plain_backward():
    def build() -> tuple[Value, Value, Value]:
        a, b = Value(0.3), Value(-1.2)
        return (a * b + a).tanh() * a, a, b

    y1, a1, b1 = build()
    y1.backward()
    with detect_anomaly():
        y2, a2, b2 = build()
        y2.backward()
    assert (a1.grad, b1.grad) == (a2.grad, b2.grad)


def test_nested_blocks_keep_the_mode_until_the_outermost_ends():
    with detect_anomaly():
        with detect_anomaly():
            pass
        with pytest.raises(AnomalyError):
            Value(1e300) * 1e300
    assert anomaly_mode.get() is None


def test_the_mode_belongs_to_one_thread():
    """A block in one thread neither checks nor is seen by another thread (as no_grad)."""
    inside, release = threading.Event(), threading.Event()
    seen_elsewhere: list[object] = []

    def other_thread() -> None:
        inside.wait(5)
        seen_elsewhere.append(anomaly_mode.get())
        seen_elsewhere.append((Value(1e200) * Value(1e200)).data)  # no error here
        release.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with detect_anomaly():
        inside.set()
        release.wait(5)
        with pytest.raises(AnomalyError):
            Value(1e200) * Value(1e200)
    worker.join(5)
    assert seen_elsewhere == [None, math.inf]


def test_the_mode_belongs_to_one_asyncio_task():
    async def checked() -> str:
        with detect_anomaly():
            await asyncio.sleep(0.01)  # the other task runs while this block is open
            try:
                Value(1e200) * Value(1e200)
            except AnomalyError:
                return "raised"
            return "silent"

    async def unchecked() -> str:
        await asyncio.sleep(0.005)
        return "raised" if anomaly_mode.get() is not None else str((Value(1e200) * Value(1e200)).data)

    async def both() -> list[str]:
        return list(await asyncio.gather(checked(), unchecked()))

    assert asyncio.run(both()) == ["raised", "inf"]
