"""Pictures readable on a projector: at 1920 × 1080, node text >= 14 px and edge labels >= 12 px.

``smallest_text`` is checked on hand-made SVGs whose answer is known, then every picture that
``chainrule graph`` draws for expressions of up to 15 operations (a 15-deep chain, a wide sum,
a mixed tree) is held to the rule.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from autograd.see.draw import to_svg
from autograd.see.legibility import smallest_text
from chainrule.expression import build_expression

pytestmark = pytest.mark.skipif(
    not any(Path(d, "dot").exists() for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs Graphviz's dot program",
)


def svg(width: str, height: str, view: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="{view}">'
        f"{body}</svg>"
    )


def test_smallest_text_by_hand():
    # 960 x 540 pt = 1280 x 720 px; fitted to 1920 x 1080 the scale is 1.5.
    # A 12-unit node text (1 unit = 4/3 px) -> 12 * 4/3 * 1.5 = 24 px; a 9-unit edge label -> 18 px.
    body = (
        '<g class="node"><text font-size="12.00">x</text><text font-size="20">y</text></g>'
        '<g class="edge"><text font-size="9.00">1.0</text></g>'
    )
    sizes = smallest_text(svg("960pt", "540pt", "0 0 960 540", body))
    assert sizes.scale == pytest.approx(1.5)
    assert sizes.node_px == pytest.approx(24.0) and sizes.edge_px == pytest.approx(18.0)


def test_a_tall_picture_is_limited_by_its_height():
    # 100 x 1620 pt = 133.3 x 2160 px -> scale 0.5; a viewBox twice as large halves the font too.
    body = '<g class="node"><text font-size="20">a</text></g><text font-size="8">legend</text>'
    sizes = smallest_text(svg("100pt", "1620pt", "0 0 200 3240", body))
    assert sizes.scale == pytest.approx(0.5)
    assert sizes.node_px == pytest.approx(8 * 0.5 * 4 / 3 * 0.5)  # the legend counts as node text
    assert sizes.edge_px == float("inf")


def test_empty_texts_do_not_count_and_bad_sizes_are_refused():
    body = '<g class="node"><text font-size="2"> </text><text font-size="14">a</text></g>'
    assert smallest_text(svg("1440pt", "810pt", "0 0 1440 810", body)).node_px == pytest.approx(14 * 4 / 3)
    with pytest.raises(ValueError, match="width"):
        smallest_text(svg("wide", "810pt", "0 0 1 1", body))


EXPRESSIONS = {
    "15-deep chain": "sin(" * 15 + "x" + ")" * 15,
    "sum of 7 products": "w1*x1 + w2*x2 + w3*x3 + w4*x4 + w5*x5 + w6*x6 + w7*x7 + b",
    "mixed tree": "tanh(w1*x1 + w2*x2 + w3*x3 + b) * sigmoid(a*x1 - c) + log(x2*x2 + 1)",
    "lecture neuron": "tanh(w1*x1 + w2*x2 + b)",
    "one op": "x * y",
}


def operations(expression: str) -> int:
    return len(re.findall(r"[-+*/]|\w+\(", expression))


@pytest.mark.parametrize("edge_labels", [False, True])
@pytest.mark.parametrize("name", EXPRESSIONS)
def test_graph_pictures_up_to_15_ops_are_readable(name, edge_labels):
    expression = EXPRESSIONS[name]
    assert operations(expression) <= 15
    names = sorted(set(re.findall(r"\b([a-z]\w*)\b(?!\()", expression)))
    root, _ = build_expression(expression, {n: 0.1 * (k + 1) for k, n in enumerate(names)})
    root.label = "out"
    root.backward()
    sizes = smallest_text(to_svg(root, rankdir="auto", edge_labels=edge_labels))
    assert sizes.node_px >= 14.0, sizes
    if edge_labels:
        assert sizes.edge_px >= 12.0, sizes
