"""The live page's title: how many steps the backward pass has."""

from __future__ import annotations

from autograd import Value
from autograd.see.page import live_page


def test_the_title_counts_steps_in_english() -> None:
    one = live_page(Value(3.0) ** 2)  # one computed node: one step
    assert "<title>Backward pass of the graph: 1 step</title>" in one
    x = Value(2.0, label="x")
    two = (x * x).tanh()
    two.label = "o"
    assert "<title>Backward pass of o: 2 steps</title>" in live_page(two)
