"""record() builds op nodes without Value.__init__: the node must still hold a float and every slot."""

from __future__ import annotations

import pytest

from autograd import Value, no_grad


def test_an_int_data_set_by_hand_gives_a_float_node() -> None:
    v = Value(1.0)
    v.data = 3  # type: ignore[assignment]
    w = v * v
    assert type(w.data) is float and w.data == 9.0  # 3 * 3, as a float as Value(9) would hold
    u = v + True  # 3 + 1
    assert type(u.data) is float and u.data == 4.0


def test_an_int_too_large_for_a_float_is_named_by_the_op() -> None:
    v = Value(1.0)
    v.data = 10**200  # type: ignore[assignment]
    with pytest.raises(OverflowError, match=r"^mul: int too large for a float"):
        v * v  # 10**400 is beyond 1.8e308


def test_an_op_node_has_every_slot_set() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0)
    c = a * b
    assert (c.data, c.grad, c.label, c.op, c.inputs, c.local_grads) == (
        -6.0,
        0.0,
        "",
        "mul",
        (a, b),
        (-3.0, 2.0),
    )
    assert repr(c) == "Value(data=-6.0, grad=0.0, op='mul')"
    with no_grad():
        d = a * b
    assert (d.op, d.inputs, d.local_grads) == ("", (), ())
