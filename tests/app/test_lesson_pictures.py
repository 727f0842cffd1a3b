"""The lesson's pictures: the untrained neuron at the lesson's starting weights, truthfully coloured
and named, readable at 1920 × 1080; its loss with the neuron as one box.

The starting weights are numpy's (``np.random.seed(1); np.random.randn(2, 1)``), and every number
in the neuron's picture is derived here by hand for the sample x = (0, 1), target 1:
z = w2, a = sigmoid(z), loss = -log a, so dL/da = -1/a, dL/dz = a - 1 = dL/dw2 = dL/db, dL/dw1 = 0.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from autograd.see.draw import COLOURS, NEURON_COLOUR
from autograd.see.legibility import smallest_text
from chainrule.lesson import LESSON_WEIGHTS, _draw_pictures

pytestmark = pytest.mark.skipif(
    not any(Path(d, "dot").exists() for d in os.environ.get("PATH", "").split(os.pathsep)),
    reason="needs Graphviz's dot program",
)
SVG = "{http://www.w3.org/2000/svg}"


def boxes(path: Path) -> dict[str, tuple[list[str], str]]:
    """Each record's first text (its name) -> (its texts, its fill colour)."""
    found = {}
    for g in ET.parse(path).getroot().iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        words = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
        shapes = [*g.iter(f"{SVG}polygon"), *g.iter(f"{SVG}path")]  # a rounded box is a path
        fills = [p.get("fill") for p in shapes if p.get("fill") not in (None, "none")]
        if words and fills:
            found[words[0]] = (words, fills[0])
    return found


def legend(path: Path) -> str:
    root = ET.parse(path).getroot()
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    return " ".join(" ".join("".join(t.itertext()).split()) for t in graph.findall(f"{SVG}text"))


def test_starting_weights_are_numpys_seed_1():
    np.random.seed(1)
    assert list(np.random.randn(2, 1).ravel()) == list(LESSON_WEIGHTS)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lesson")
    return {path.name: path for path, _ in _draw_pictures(out)}


def test_neuron_graph_is_the_untrained_neuron_with_hand_derived_numbers(pictures):
    drawn = boxes(pictures["neuron-graph.svg"])
    w1, w2 = LESSON_WEIGHTS
    a = 1 / (1 + math.exp(-w2))
    expected = {  # name -> (data, grad)
        "w1": (w1, 0.0), "w2": (w2, a - 1), "b": (0.0, a - 1),
        "x1": (0.0, (a - 1) * w1), "x2": (1.0, (a - 1) * w2),
        "z": (w2, a - 1), "a": (a, -1 / a),
    }  # fmt: skip
    assert set(expected) <= set(drawn)
    for name, (data, grad) in expected.items():
        words = drawn[name][0]
        assert f"data {data:.4f}" in words and f"grad {grad:.4f}" in words, (name, words)


def test_neuron_graph_colours_parameters_inputs_and_its_legend(pictures):
    drawn = boxes(pictures["neuron-graph.svg"])
    for name in ("w1", "w2", "b"):
        assert drawn[name][1] == COLOURS["parameter"], name
    for name in ("x1", "x2"):
        assert drawn[name][1] == COLOURS["input"], name
    assert drawn["a"][1] == COLOURS["output"]
    assert legend(pictures["neuron-graph.svg"]) == "blue: parameter green: input orange: output"
    assert "w0" not in drawn  # the console's names, not nn's w0, w1


def test_loss_graph_draws_the_neuron_as_one_sigmoid_box(pictures):
    text = pictures["loss-graph.svg"].read_text()
    drawn = boxes(pictures["loss-graph.svg"])
    neuron = drawn["neuron"]
    assert neuron[1] == NEURON_COLOUR and neuron[0][1] == "sigmoid"
    assert "purple: neuron" in legend(pictures["loss-graph.svg"])
    assert "blue: parameter" not in legend(pictures["loss-graph.svg"])  # the parameters are inside the box
    assert re.search(r">loss<", text)


@pytest.mark.parametrize("name", ["neuron-graph.svg", "loss-graph.svg"])
def test_lesson_pictures_are_readable_on_a_projector(pictures, name):
    sizes = smallest_text(pictures[name].read_text())
    assert sizes.node_px >= 14 and sizes.edge_px >= 12, sizes


MEASURE = """(() => {
  const sizes = [...document.querySelectorAll('#graph g.node text, #graph g.edge text')]
    .filter(t => t.textContent.trim())
    .map(t => ({edge: !!t.closest('g.edge'),
                px: t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')),
                box: t.getBoundingClientRect().height}));
  const node = sizes.filter(s => !s.edge);
  return {count: node.length, px: Math.min(...node.map(s => s.px)), box: Math.min(...node.map(s => s.box))};
})()"""


@pytest.mark.slow
def test_lesson_step_page_text_is_readable_at_1920_by_1080(pictures, tmp_path):
    from tests.see.browser import CHROMIUM, Browser

    if CHROMIUM is None:
        pytest.fail("needs chromium")
    browser = Browser(tmp_path / "profile")
    try:
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=1920, height=1080, deviceScaleFactor=1, mobile=False
        )
        browser.open(pictures["neuron-steps.html"])
        sizes = browser.evaluate(MEASURE)
    finally:
        browser.close()
    assert sizes["count"] >= 20  # every box's name, data and grad
    assert sizes["px"] >= 14, sizes  # the font size as drawn on the screen
    assert sizes["box"] >= 14, sizes  # and the height of the smallest text's box in the DOM
    print(
        f"lesson step page at 1920 x 1080: smallest node text {sizes['px']:.1f} px (box {sizes['box']:.1f} px)"
    )
