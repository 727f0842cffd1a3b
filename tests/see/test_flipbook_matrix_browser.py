"""The flipbook's matrix view of a layer, in headless Chromium: the recorded numbers, in their places.

A short run of ``MLP(2, [3, 1])`` is recorded with ``nn.record.TrainingRecorder``. For two frames
and each layer, every cell of the page's matrix must hold the recorded weight and grad of the
parameter whose name says that row (``neurons.<j>``) and column (``w.<i>``, the bias last),
formatted here in Python as the page's ``fmt`` formats numbers (three decimals, or two-digit
mantissa exponents below 1e-3 and from 1e4). Pointing at a cell must put the halo on the edge
that joins its input to its neuron (found from the drawn circles, not from the page's own map),
and pointing at an edge must mark its cell. Text is at least 14 px at 1920x1080 and 1366x768
(20 presenting), and on a phone the matrix comes below the network.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.see.flipbook import render_flipbook
from nn.record import TrainingRecorder
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


def record_run(steps: int = 6) -> dict[str, Any]:
    X, y = nn.data.make_moons(30, noise=0.1, seed=5)
    model = nn.MLP(2, [3, 1], seed=2)
    optimizer = nn.SGD(model.parameters(), lr=0.2)
    recorder = TrainingRecorder(model, X, y, grid=8)
    for _ in range(steps):
        loss = nn.hinge([model(x) for x in X], [2.0 * t - 1.0 for t in y])
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        optimizer.step()
    return recorder.as_dict()


def page_format(x: float) -> str:
    """A number as the page writes it: JavaScript's toFixed(3), or toExponential(2) when tiny or big."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    exact = Decimal(x)  # JavaScript rounds the exact binary value, a tie away from zero
    if x != 0 and (abs(x) < 1e-3 or abs(x) >= 1e4):
        exponent = exact.adjusted()
        mantissa = exact.scaleb(-exponent).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if abs(mantissa) >= 10:  # 9.996e-4 -> 1.00e-3
            exponent += 1
            mantissa = exact.scaleb(-exponent).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{mantissa}e{exponent:+d}"  # JavaScript: 1.23e-4, 5.00e+4
    return "0.000" if x == 0 else str(exact.quantize(Decimal("0.001"), ROUND_HALF_UP))


CELLS = """(() => [...document.querySelectorAll('#matrix tbody tr')].map((tr) =>
  [...tr.querySelectorAll('td')].map((td) => ({param: Number(td.dataset.param), title: td.title,
    w: td.querySelector('.w').textContent, g: td.querySelector('.g').textContent}))))()"""


@pytest.fixture(scope="module")
def run_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    run = record_run()
    yield run, render_flipbook(run, tmp_path_factory.mktemp("matrix") / "run.html")


def test_every_cell_is_the_recorded_weight_and_grad(
    browser: Browser, run_page: tuple[dict[str, Any], Path]
) -> None:
    run, page = run_page
    browser.open(page)
    names = run["names"]
    shapes = {0: (3, 2), 1: (1, 3)}  # MLP(2, [3, 1]): 3 neurons of 2 inputs, 1 of 3
    seen = 0
    for k in (1, 4):
        browser.evaluate(f"window.chainrule.show({k})")
        frame = run["frames"][k]
        for layer, (rows, inputs) in shapes.items():
            assert browser.evaluate(f"window.chainrule.layer({layer})") == layer
            cells = browser.evaluate(CELLS)
            assert [len(row) for row in cells] == [inputs + 1] * rows
            for j, row in enumerate(cells):
                for i, cell in enumerate(row):
                    want = f"layers.{layer}.neurons.{j}." + ("b" if i == inputs else f"w.{i}")
                    p = names.index(want)
                    assert cell["param"] == p and cell["title"] == want
                    assert cell["w"] == page_format(frame["params"][p]), (k, want)
                    assert cell["g"] == page_format(frame["grads"][p]), (k, want)
                    seen += 1
    assert seen == 2 * (3 * 3 + 1 * 4)
    assert run["frames"][1]["params"] != run["frames"][4]["params"]  # two different frames were read
    assert browser.console_errors() == []


def test_page_format_is_javascripts() -> None:
    assert [
        page_format(x) for x in (0.0, -0.0, 0.12351, -2.5e-4, 12345.0, 1.0, 0.0625, -0.0625, 9.996e-4, 0.0)
    ] == [
        "0.000",
        "0.000",
        "0.124",
        "-2.50e-4",
        "1.23e+4",
        "1.000",
        "0.063",  # an exact tie: JavaScript's toFixed rounds it up, where Python's format gives 0.062
        "-0.063",
        "1.00e-3",
        "0.000",
    ]


CENTRES = """(() => ({
  inputs: [...document.querySelectorAll('#net rect')].filter((r) => !r.classList.contains('label-card'))
    .map((r) => [Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2,
                 Number(r.getAttribute('y')) + Number(r.getAttribute('height')) / 2]),
  neurons: [...document.querySelectorAll('#net circle.body')].map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]),
  halo: (() => { const h = [...document.querySelectorAll('#net line')].find((l) => !l.classList.contains('edge'));
    return {shown: h.getAttribute('visibility') === 'visible',
            ends: ['x1', 'y1', 'x2', 'y2'].map((k) => Number(h.getAttribute(k)))}; })(),
  hot: [...document.querySelectorAll('#matrix td.hot')].map((td) => td.title),
  rims: [...document.querySelectorAll('#net circle.body')].map((c) => c.getAttribute('stroke')),
  layer: document.getElementById('matrix-layer').value}))()"""


def hover(browser: Browser, selector: str) -> None:
    browser.evaluate(f"document.querySelector({selector!r}).dispatchEvent(new MouseEvent('mouseenter'))")


def test_pointing_at_a_cell_haloes_its_edge_and_back(
    browser: Browser, run_page: tuple[dict[str, Any], Path]
) -> None:
    run, page = run_page
    browser.open(page)
    names = run["names"]
    browser.evaluate("window.chainrule.layer(0)")
    p = names.index("layers.0.neurons.2.w.1")  # input x2 -> neuron 3 of layer 1
    hover(browser, f'#matrix td[data-param="{p}"]')
    state = browser.evaluate(CENTRES)
    assert state["hot"] == ["layers.0.neurons.2.w.1"] and state["halo"]["shown"]
    assert state["halo"]["ends"] == pytest.approx([*state["inputs"][1], *state["neurons"][2]])
    assert state["rims"].count("#000") == 0
    # the bias: its neuron gets the black rim, no edge is haloed
    b = names.index("layers.0.neurons.1.b")
    hover(browser, f'#matrix td[data-param="{b}"]')
    state = browser.evaluate(CENTRES)
    assert state["hot"] == ["layers.0.neurons.1.b"] and not state["halo"]["shown"]
    assert [k for k, s in enumerate(state["rims"]) if s == "#000"] == [1]
    # from the network: the edge from neuron 2 of layer 1 to the output shows layer 2 and marks its cell
    neurons = state["neurons"]
    edge = browser.evaluate(
        f"""(() => [...document.querySelectorAll('#net line.edge')].findIndex((l) =>
          Math.abs(l.getAttribute('x1') - {neurons[1][0]}) < 1e-6 && Math.abs(l.getAttribute('y1') - {neurons[1][1]}) < 1e-6 &&
          Math.abs(l.getAttribute('x2') - {neurons[3][0]}) < 1e-6 && Math.abs(l.getAttribute('y2') - {neurons[3][1]}) < 1e-6))()"""
    )
    assert edge >= 0
    browser.evaluate(
        f"document.querySelectorAll('#net line.edge')[{edge}].dispatchEvent(new MouseEvent('mouseenter'))"
    )
    state = browser.evaluate(CENTRES)
    assert state["layer"] == "1" and state["hot"] == ["layers.1.neurons.0.w.1"]
    assert state["halo"]["ends"] == pytest.approx([*neurons[1], *neurons[3]])
    assert state["rims"].count("#000") == 0  # the bias rim was taken off
    with pytest.raises(Exception, match="no layer 2"):
        browser.evaluate("window.chainrule.layer(2)")
    assert browser.console_errors() == []


MATRIX_PX = """(() => [...document.querySelectorAll('#matrix th, #matrix td span, #matrix-layer')].map(
  (e) => parseFloat(getComputedStyle(e).fontSize)))()"""


@pytest.mark.parametrize("size", ["1920,1080", "1366,768", "1024,768"])
def test_matrix_text_is_readable(run_page: tuple[dict[str, Any], Path], size: str) -> None:
    _, page = run_page
    for browser in start_browser(size):
        browser.open(page)
        browser.evaluate("window.chainrule.layer(0)")
        normal = browser.evaluate(MATRIX_PX)
        assert len(normal) == 4 + 3 + 2 * 9 + 1 and min(normal) >= 14.0, min(normal)
        box = browser.evaluate(
            "(() => { const r = document.getElementById('matrix-box').getBoundingClientRect();"
            " return [r.left, r.right, r.top, r.bottom, innerWidth, innerHeight]; })()"
        )
        assert 0 <= box[0] < box[1] <= box[4] and 0 <= box[2] < box[3] <= box[5]  # on screen, beside the rest
        browser.press("p")
        assert min(browser.evaluate(MATRIX_PX)) >= 20.0
        browser.screenshot(f"flipbook-matrix-{size.replace(',', 'x')}.png")


def test_on_a_phone_the_matrix_comes_below_the_network(run_page: tuple[dict[str, Any], Path]) -> None:
    _, page = run_page
    for browser in start_browser("390,844"):
        browser.set_viewport("390,844", mobile=True)
        browser.open(page)
        net, matrix = browser.evaluate(
            "['net-box', 'matrix-box'].map((id) => { const r = document.getElementById(id).getBoundingClientRect();"
            " return [r.left, r.right, r.top, r.bottom]; })"
        )
        assert matrix[2] >= net[3] and matrix[0] >= 0 and matrix[1] <= 390
        assert min(browser.evaluate(MATRIX_PX)) >= 12.0


def test_unusual_runs_a_model_not_named_as_an_mlp_and_numbers_that_are_not_finite(
    browser: Browser, tmp_path: Path
) -> None:
    """No layout, no matrix (the panel is hidden, not empty); NaN and infinities written as the
    network's labels write them; a neuron without a bias has an empty bias cell, not a number."""
    plain = {"names": ["a", "b"], "layers": [], "data": None, "grid": None,
             "frames": [{"step": 0, "loss": 1.0, "params": [1.0, 2.0], "grads": [0.1, 0.2]}]}  # fmt: skip
    browser.open(render_flipbook(plain, tmp_path / "plain.html"))
    assert browser.evaluate("document.getElementById('matrix-box').hidden") is True
    assert browser.console_errors() == []
    odd = {
        "names": ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1"],
        "layers": [[{"w": [0, 1], "b": None}]],
        "frames": [{"step": 0, "loss": 1.0, "params": [1.0, math.inf], "grads": [math.nan, 2e-5]}],
        "data": None,
        "grid": None,
    }
    browser.open(render_flipbook(odd, tmp_path / "odd.html"))
    cells = browser.evaluate(
        "[...document.querySelectorAll('#matrix td')].map((t) => [...t.children].map((s) => s.textContent))"
    )
    assert cells == [["1.000", "NaN"], ["Infinity", "2.00e-5"], ["", ""]]
    assert browser.console_errors() == []
