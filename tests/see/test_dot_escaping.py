"""Text that looks like HTML or DOT syntax, drawn by the real ``dot`` (issue 15, items 16, 18, 22).

Every op name, label and parameter name must come out of ``dot`` as the same characters,
drawn as text: never read as an HTML-like label, never breaking out of its DOT string.
"""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.see.dot_text import escape_text
from tests.see.test_draw import SVG, groups, svg_tree, texts


class _Named:
    """A stand-in model: only named_parameters(), with names chosen by the test."""

    def __init__(self, pairs: list[tuple[str, Value]]) -> None:
        self.pairs = pairs

    def named_parameters(self) -> list[tuple[str, Value]]:
        return self.pairs


@pytest.mark.parametrize("op", ["<b>op</b>", "<font>", "<>", "a<b>c", "<x>\\"])
def test_op_names_that_look_like_html_are_drawn_verbatim(op):
    x = Value(2.0, label="x")
    y = Value(3.0, "y", op, (x,), (1.0,))
    y.backward()
    tree = svg_tree(y, edge_labels=True)
    assert op in texts(tree)
    assert tree.find(f".//{SVG}text/{SVG}b") is None  # no markup from the label


@pytest.mark.parametrize("name", ["<x>.<font>", "<b>layer</b>.<i>n</i>", "title\\", 'q"\\'])
def test_parameter_names_that_look_like_html_or_end_in_backslash_make_verbatim_cluster_titles(name):
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    out = (w * x).tanh()
    out.backward()
    model = _Named([(f"{name}.w", w)])
    tree = svg_tree(out, model=model, params=[w])
    titles = [texts(g)[0] for g in groups(tree, "cluster").values()]
    assert name in titles  # the neuron's cluster title, character for character


def test_a_title_ending_in_a_backslash_is_escaped():
    """A trailing backslash unescaped would swallow the closing quote of the DOT string."""
    assert escape_text("layer\\") == "layer\\\\"
    assert escape_text("<b>") == "\\<b>"  # not an HTML-like label for the graphviz package


def test_a_label_set_to_a_non_str_is_named_when_drawn():
    x = Value(2.0, label="x")
    y = x * 3.0
    x.label = 123  # type: ignore[assignment]
    with pytest.raises(TypeError, match="draw: a label must be a str, got int 123"):
        svg_tree(y)


def test_data_set_to_a_non_number_is_named_when_drawn():
    x = Value(2.0, label="x")
    y = x * 3.0
    x.data = "abc"  # type: ignore[assignment]
    with pytest.raises(TypeError, match="draw: data and grad must be numbers, got str 'abc'"):
        svg_tree(y)


def test_grads_that_are_values_are_drawn_as_their_numbers():
    """After backward(create_graph=True) each grad is a Value; the box shows its number."""
    x = Value(3.0, label="x")
    y = x * x
    y.backward(create_graph=True)  # dy/dx = 2x = 6
    assert "grad 6.0000" in texts(svg_tree(y))
