"""The live page's matrix view in headless Chromium: MLP(2, [3, 1]) with ``matrices=mlp.matrices()``.

At every step of the page's own backward pass each cell shows its node's data (as the node's
box writes it) and its grad once the step that makes it final has run, "pending" before; the
grads are PyTorch's, in float64, at the start and after an edit. The cells' text is at least
14 px at 1920 × 1080 and 1366 × 768, and pointing works both ways: a cell rings its node in
the graph, a node marks its cell. Screenshots go to $CHAINRULE_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd import Value, render_steps, topological_order
from autograd.see.dot_text import box_number
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]

X = [0.7, -1.2]
TARGET = 0.25


def mlp_page(tmp_path: Path, x: list[float] = X) -> tuple[nn.MLP, Value, Path]:
    mlp = nn.MLP(2, [3, 1], activation="tanh", seed=3)
    out = mlp([Value(x[0], "x1"), Value(x[1], "x2")])
    assert isinstance(out, Value)
    loss = (out - TARGET) ** 2
    loss.label = "loss"
    loss.backward()  # a learner's graph after backward(): the page must not read these grads
    path = render_steps(loss, tmp_path / "mlp.html", model=mlp, matrices=mlp.matrices(), edge_labels=True)
    return mlp, loss, path


def torch_grads(torch: Any, mlp: nn.MLP, x: list[float]) -> list[tuple[list[list[float]], list[float]]]:
    """Each layer's (weight grad, bias grad) from PyTorch in float64, nn.Linear's (out, in) orientation."""
    seq = mlp.to_torch()
    out = seq(torch.tensor([x], dtype=torch.float64))
    ((out[0, 0] - TARGET) ** 2).backward()
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    return [(m.weight.grad.tolist(), m.bias.grad.tolist()) for m in linears]


def final_steps(loss: Value, mlp: nn.MLP) -> dict[str, int]:
    """For each parameter name, the step after which its grad is final: its neuron's dot node's step + 1."""
    order = topological_order(loss)
    dots = [n for n in order if n.op == "dot"]
    out = {}
    for name, p in mlp.named_parameters():
        (dot,) = [d for d in dots if any(i is p for i in d.inputs)]
        out[name] = order.index(dot) + 1
    return out


def check_grid(browser: Browser, mlp: nn.MLP, expected: Any, position: int, finals: dict[str, int]) -> None:
    for n, (layer, (wgrad, bgrad)) in enumerate(zip(mlp.layers, expected)):
        m = browser.evaluate(f"window.chainrule.matrix('layer {n + 1}')")
        cells = [
            (row[j], layer.neurons[i].w[j], wgrad[i][j])
            for i, row in enumerate(m["rows"])
            for j in range(len(row))
        ]
        cells += [(m["bias"][i], layer.neurons[i].b, bgrad[i]) for i in range(layer.nout)]
        for cell, p, g in cells:
            assert cell["data"] == p.data
            if position < finals[cell["node"]]:
                assert cell["grad"] is None and cell["shown"] == "pending", (position, cell)
            else:
                assert cell["grad"] == pytest.approx(g, rel=1e-12, abs=1e-15), (position, cell)
                assert cell["shown"] == box_number(g)


@pytest.mark.torch
def test_each_cell_is_pending_until_its_step_then_holds_pytorchs_grad(
    browser: Browser, tmp_path: Path, torch: Any
) -> None:
    mlp, loss, path = mlp_page(tmp_path)
    browser.open(path)
    finals = final_steps(loss, mlp)
    expected = torch_grads(torch, mlp, X)
    steps = browser.evaluate("window.chainrule.steps()")
    assert 0 < min(finals.values()) < max(finals.values()) <= steps
    for position in range(steps + 1):
        browser.evaluate(f"window.chainrule.step({position})")
        check_grid(browser, mlp, expected, position, finals)
    # the cell's data is the very text of its node's box in the graph
    same = browser.evaluate("""[...document.querySelectorAll('.cr-matrix td')].every((td) => {
      const box = [...document.querySelectorAll('#graph g.node')].find((g) => g.querySelector('title').textContent === td.dataset.node);
      const data = [...box.querySelectorAll('text')].find((t) => t.textContent.startsWith('data '));
      return data.textContent === 'data ' + td.querySelector('.d').textContent;
    })""")
    assert same is True
    # an edit reruns forward and backward, and the grid follows (PyTorch at the new input)
    browser.evaluate("window.chainrule.set('x1', -2.5)")
    browser.evaluate("window.chainrule.set('layers.0.neurons.1.w.0', 0.9)")
    mlp.layers[0].neurons[1].w[0].data = 0.9
    check_grid(browser, mlp, torch_grads(torch, mlp, [-2.5, X[1]]), steps, finals)
    assert browser.console_errors() == []


def rect(browser: Browser, selector: str) -> dict[str, float]:
    return browser.evaluate(
        f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()"
    )


def mouse(browser: Browser, kind: str, x: float, y: float) -> None:
    extra = {"button": "left", "clickCount": 1} if kind != "mouseMoved" else {}
    browser.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, **extra)


def centre(r: dict[str, float]) -> tuple[float, float]:
    return (r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2


def node_selector(browser: Browser, name: str) -> str:
    k = browser.evaluate(f"window.chainrule.names().indexOf({json.dumps(name)})")
    return f'#graph g.node[data-cr-v="{k}"]'


def legible_and_linked(browser: Browser, tmp_path: Path, shot: str) -> None:
    _, _, path = mlp_page(tmp_path)
    browser.open(path)
    browser.evaluate("window.chainrule.step(4)")
    # every cell's text at least 14 px, and the whole first grid on screen
    sizes = browser.evaluate(
        "[...document.querySelectorAll('.cr-matrix td span, .cr-matrix th, .cr-matrix caption')]"
        ".map((e) => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 14
    table = rect(browser, ".cr-matrix table")
    width, height = browser.evaluate("[window.innerWidth, window.innerHeight]")
    assert 0 <= table["left"] and table["right"] <= width and 0 <= table["top"] and table["bottom"] <= height
    # tag each node group with its index, to find a node's box from a test
    browser.evaluate(
        "document.querySelectorAll('#graph g.node').forEach((g) => {"
        " const t = g.querySelector('title').textContent; if (/^v\\d+$/.test(t)) g.dataset.crV = t.slice(1); })"
    )
    name = "layers.0.neurons.1.w.0"
    cell = f'.cr-matrix td[data-node="v{browser.evaluate(f"window.chainrule.names().indexOf({json.dumps(name)})")}"]'
    # a click on the cell keeps the mark and brings its node into view; the ring is around the node's box
    x, y = centre(rect(browser, cell))
    mouse(browser, "mouseMoved", x, y)
    assert browser.evaluate("window.chainrule.pointed()") == name
    mouse(browser, "mousePressed", x, y)
    mouse(browser, "mouseReleased", x, y)
    box, ring, graph = (
        rect(browser, node_selector(browser, name)),
        rect(browser, "rect.cr-pointer"),
        rect(browser, "#graph"),
    )
    assert (
        browser.evaluate("getComputedStyle(document.querySelector('rect.cr-pointer')).visibility")
        == "visible"
    )
    assert ring["left"] < box["left"] and ring["right"] > box["right"]
    assert ring["top"] < box["top"] and ring["bottom"] > box["bottom"]
    assert graph["left"] <= box["left"] and box["right"] <= graph["right"]
    assert graph["top"] <= box["top"] and box["bottom"] <= graph["bottom"]
    browser.screenshot(f"{shot}-pointed.png")
    # the other way: pointing at another weight's box in the graph marks its cell
    other = "layers.0.neurons.1.w.1"
    other_cell = f'.cr-matrix td[data-node="v{browser.evaluate(f"window.chainrule.names().indexOf({json.dumps(other)})")}"]'
    x, y = centre(rect(browser, node_selector(browser, other)))
    mouse(browser, "mouseMoved", x, y)
    assert browser.evaluate("window.chainrule.pointed()") == other
    assert (
        browser.evaluate(f"document.querySelector({json.dumps(other_cell)}).classList.contains('hot')")
        is True
    )
    assert browser.evaluate(f"document.querySelector({json.dumps(cell)}).classList.contains('hot')") is False
    # leaving it goes back to the cell kept by the click
    mouse(browser, "mouseMoved", 5, 5)
    assert browser.evaluate("window.chainrule.pointed()") == name
    assert browser.evaluate(f"document.querySelector({json.dumps(cell)}).classList.contains('hot')") is True
    assert browser.console_errors() == []


def test_the_grid_is_legible_and_points_both_ways_at_1920x1080(browser: Browser, tmp_path: Path) -> None:
    legible_and_linked(browser, tmp_path, "matrix-1920")


def test_the_grid_is_legible_and_points_both_ways_at_1366x768(tmp_path: Path) -> None:
    for small in start_browser("1366,768"):
        legible_and_linked(small, tmp_path, "matrix-1366")


def test_no_matrices_no_matrix_view(browser: Browser, tmp_path: Path) -> None:
    x = Value(2.0, "x")
    out = (x * x).tanh()
    browser.open(render_steps(out, tmp_path / "plain.html"))
    assert browser.evaluate("document.getElementById('matrix-view').hidden") is True
    assert browser.evaluate("window.chainrule.matrices()") == []
    assert browser.evaluate("document.querySelectorAll('.cr-matrix').length") == 0


def test_an_error_or_an_infinity_in_the_graph_reaches_the_cells(browser: Browser, tmp_path: Path) -> None:
    """out = w · log(x): at x = -1 the forward pass stops (no grads: '—'); at x = inf, d out/d w = inf."""
    w, x = Value(0.5, "w"), Value(2.0, "x")
    out = w * x.log()
    out.label = "out"
    browser.open(render_steps(out, tmp_path / "log.html", matrices={"P": [[w, x]]}))
    start = browser.evaluate("window.chainrule.matrix('P')")
    # hand-derived: d out/d w = log 2, d out/d x = w / x = 0.25
    assert [c["shown"] for c in start["rows"][0]] == [box_number(0.6931471805599453), box_number(0.25)]
    browser.evaluate("window.chainrule.set('x', -1)")
    assert (
        browser.evaluate("window.chainrule.error()")["type"] == "ValueError"
    )  # math.log(-1), as Python says
    cells = browser.evaluate("window.chainrule.matrix('P')")["rows"][0]
    assert [(c["data"], c["grad"], c["shown"]) for c in cells] == [(0.5, None, "—"), (-1, None, "—")]
    browser.evaluate("window.chainrule.set('x', Infinity)")
    shown = [c["shown"] for c in browser.evaluate("window.chainrule.matrix('P')")["rows"][0]]
    assert shown == ["inf", box_number(0.0)]  # log(inf) = inf; w / inf = 0
    assert browser.console_errors() == []
