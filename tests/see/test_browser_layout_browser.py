"""The live page laid out in the browser by viz-js, in headless Chromium at 1920 x 1080.

It must behave as the page laid out by ``dot``: every node drawn, the same steps with the
hand-derived numbers, edits that redo them, and in predict mode no hidden number anywhere on
the page, the DOT text it carries included.
"""

from __future__ import annotations

import functools
import json
import math
import time
from pathlib import Path

import pytest

from autograd import Value, render_steps, show, topological_order
from autograd.see.draw import AUTO_LAYOUTS
from tests.see import test_layout_screens_browser as screens
from tests.see import test_page_matrix_browser as matrix_page
from tests.see import test_page_predict_browser as predict
from tests.see.browser import Browser, needs_browser
from tests.see.test_page_browser import lecture_neuron, two_layer_graph

pytestmark = [pytest.mark.slow, needs_browser]

DRAWN = """(() => {
  const svg = document.querySelector('#canvas svg');
  return {layout: svg.dataset.layout === undefined ? null : Number(svg.dataset.layout),
          titles: [...svg.querySelectorAll('g.node > title')].map((t) => t.textContent),
          edges: svg.querySelectorAll('g.edge').length,
          text: Object.fromEntries([...svg.querySelectorAll('g.node')].map((g) =>
            [g.querySelector('title').textContent, [...g.querySelectorAll('text')].map((t) => t.textContent)]))};
})()"""


def expected_titles(root: Value, compact: bool) -> set[str]:
    """Every box ``v<k>``, and an oval ``v<k>_op`` per computed value unless ops are in the boxes."""
    order = topological_order(root)
    boxes = {f"v{k}" for k in range(len(order))}
    return boxes if compact else boxes | {f"v{k}_op" for k, n in enumerate(order) if n.inputs}


def edge_count(root: Value, compact: bool) -> int:
    order = topological_order(root)
    inputs = sum(len(n.inputs) for n in order)
    return inputs if compact else inputs + sum(1 for n in order if n.inputs)  # + op -> output


@pytest.mark.parametrize("rankdir", ["auto", "LR"])
@pytest.mark.parametrize("graph", ["neuron", "two layers"])
def test_every_node_and_edge_is_drawn(browser: Browser, tmp_path: Path, graph: str, rankdir: str) -> None:
    root = lecture_neuron() if graph == "neuron" else two_layer_graph(0.5, -1.25, 0.75, 0.1)[0]
    browser.open(
        render_steps(root, tmp_path / "page.html", layout="browser", rankdir=rankdir, edge_labels=True)
    )
    drawn = browser.evaluate(DRAWN)
    compact = AUTO_LAYOUTS[drawn["layout"]][1] if rankdir == "auto" else False
    assert sorted(drawn["titles"]) == sorted(expected_titles(root, compact))
    assert drawn["edges"] == edge_count(root, compact)
    assert browser.console_errors() == []
    browser.screenshot(f"browser-layout-{graph.replace(' ', '-')}-{rankdir}.png")


def test_the_neuron_steps_through_backward_with_the_hand_derived_numbers(
    browser: Browser, tmp_path: Path
) -> None:
    # o = tanh(n), n = x1 w1 + x2 w2 + b = 0.8814, o = 0.7071: do/dn = 1 - o^2 = 0.5, so
    # dw1 = x1 * 0.5 = 1, dx1 = w1 * 0.5 = -1.5, dw2 = x2 * 0.5 = 0, dx2 = w2 * 0.5 = 0.5, db = 0.5.
    browser.open(render_steps(lecture_neuron(), tmp_path / "neuron.html", layout="browser", edge_labels=True))
    assert browser.evaluate("window.chainrule.steps()") == 5
    first = browser.evaluate("window.chainrule.step(1)")  # o = tanh(n): n.grad += (1 - o^2) x 1
    assert first["name"] == "o" and first["op"] == "tanh"
    assert first["terms"][0]["local"] == pytest.approx(0.5) and first["terms"][0]["after"] == pytest.approx(
        0.5
    )
    browser.evaluate("window.chainrule.step(5)")
    hand = {"o": 1.0, "n": 0.5, "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    for name, grad in hand.items():
        assert browser.evaluate(f"window.chainrule.grad({name!r})") == pytest.approx(grad, abs=1e-12), name
    drawn = browser.evaluate(DRAWN)["text"]
    names = browser.evaluate("window.chainrule.names()")
    for name, grad in hand.items():  # the boxes viz-js laid out show them, as the dot page's do
        texts = drawn[f"v{names.index(name)}"]
        assert f"grad {grad:.4f}" in texts, (name, texts)
    # An edit redoes forward and backward; the layout stays where it was, as on the dot page.
    where = "(() => { const r = document.querySelector('#canvas g.node').getBBox(); return [r.x, r.y, r.width]; })()"
    before = browser.evaluate(where)
    browser.evaluate("window.chainrule.set('x1', 1)")  # n = -3 + 0 + b, do/dn = 1 - tanh(n)^2
    dn = 1 - math.tanh(1.0 * -3.0 + 0.0 * 1.0 + 6.8813735870195432) ** 2
    assert browser.evaluate("window.chainrule.grad('w1')") == pytest.approx(1.0 * dn, rel=1e-12)
    assert browser.evaluate("window.chainrule.grad('x1')") == pytest.approx(-3.0 * dn, rel=1e-12)
    assert f"grad {-3.0 * dn:.4f}" in browser.evaluate(DRAWN)["text"][f"v{names.index('x1')}"]
    assert browser.evaluate(where) == before
    assert browser.console_errors() == []
    browser.screenshot("browser-layout-neuron-edited.png")


@pytest.mark.parametrize("level", ["grad", "local"])
@pytest.mark.parametrize("graph", [lecture_neuron, predict.odd_graph])
def test_predict_mode_shows_no_hidden_number_the_dot_text_included(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, graph, level: str
) -> None:
    # The no-leak walk of test_page_predict_browser, on the page laid out in the browser, with
    # the DOT text the page carries added to what is scanned.
    monkeypatch.setattr(predict, "render_steps", functools.partial(render_steps, layout="browser"))
    with_dot = predict.EVERYTHING.replace(
        "return parts.join", "parts.push(document.getElementById('cr-dot').textContent);\n  return parts.join"
    )
    assert with_dot != predict.EVERYTHING
    monkeypatch.setattr(predict, "EVERYTHING", with_dot)
    root = graph()
    root.backward()  # a learner's graph after backward(): its grads must not leak either
    assert predict.walk_without_answering(browser, root, level, tmp_path) >= 2
    assert browser.evaluate("document.getElementById('cr-dot').textContent.length") > 1000


def test_a_browser_that_refuses_webassembly_still_steps(browser: Browser, tmp_path: Path) -> None:
    """Without 'wasm-unsafe-eval' in the policy viz-js cannot start: the graph's place says so,
    and the panel still steps through backward (the policy is what lets the normal page run)."""
    path = render_steps(lecture_neuron(), tmp_path / "refused.html", layout="browser")
    path.write_text(path.read_text(encoding="utf-8").replace(" 'wasm-unsafe-eval'", ""), encoding="utf-8")
    browser.open(path)
    said = browser.evaluate("document.querySelector('#canvas svg text').textContent")
    assert said.startswith("The graph could not be laid out in this browser (")
    assert browser.evaluate("window.chainrule.steps()") == 5
    assert browser.evaluate("window.chainrule.grad('x1')") == pytest.approx(-1.5)
    assert browser.evaluate("document.querySelectorAll('#canvas g.node').length") == 0


def test_the_same_graph_laid_out_by_dot_and_by_viz_js(browser: Browser, tmp_path: Path) -> None:
    """Both pages open the same way: the same layout chosen for this panel, every box inside the
    view or the same note saying part is outside it. (Screenshots: CHAINRULE_SCREENSHOT_DIR.)"""
    seen = {}
    for layout in ("dot", "browser"):
        browser.open(render_steps(lecture_neuron(), tmp_path / f"{layout}.html", layout=layout))
        drawn = browser.evaluate(DRAWN)
        seen[layout] = (
            drawn["layout"],
            sorted(drawn["titles"]),
            browser.evaluate("window.chainrule.steps()"),
        )
        browser.screenshot(f"neuron-laid-out-by-{layout}.png")
    assert seen["dot"] == seen["browser"]


def test_show_lays_out_in_the_notebooks_sandboxed_frame(browser: Browser, tmp_path: Path) -> None:
    """``show(o)`` as a notebook displays it: a sandboxed iframe (scripts only, an opaque
    origin, a process of its own in Chromium) whose page lays its graph out with viz-js."""
    host = tmp_path / "host.html"
    frame = show(lecture_neuron(), layout="browser")._repr_html_()
    host.write_text(f"<!DOCTYPE html><html><body>{frame}</body></html>", encoding="utf-8")
    browser.open(host, ready="document.querySelector('iframe') !== null")
    browser.send("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=False, flatten=True)
    ask = (
        "window.chainrule ? [document.querySelectorAll('#canvas g.node').length, "
        "window.chainrule.steps(), window.chainrule.grad('x1')] : null"
    )
    answer, deadline = None, time.monotonic() + 30
    while answer is None and time.monotonic() < deadline:
        browser.send("Runtime.evaluate", expression="0")  # flush events
        sessions = [
            e["params"]["sessionId"]
            for e in browser.events
            if e.get("method") == "Target.attachedToTarget" and e["params"]["targetInfo"]["type"] == "iframe"
        ]
        for session in sessions:  # the frame's own DevTools session
            browser.socket.send(json.dumps({"id": -1, "sessionId": session, "method": "Runtime.evaluate",
                                            "params": {"expression": ask, "returnByValue": True}}))  # fmt: skip
            reply = json.loads(browser.socket.recv())
            while reply.get("id") != -1:
                reply = json.loads(browser.socket.recv())
            answer = reply["result"]["result"].get("value") or answer
        time.sleep(0.05)
    assert answer is not None, "the page in the frame did not start"
    nodes, steps, grad_x1 = answer
    assert nodes >= 10 and steps == 5 and grad_x1 == pytest.approx(-1.5)  # dx1 = w1 (1 - o^2) = -3 x 0.5


def test_the_matrix_view_points_both_ways_on_the_page_laid_out_in_the_browser(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # test_page_matrix_browser's check (legible cells, a cell rings its node, a node marks its
    # cell), on MLP(2, [3, 1])'s page laid out by viz-js.
    monkeypatch.setattr(matrix_page, "render_steps", functools.partial(render_steps, layout="browser"))
    matrix_page.legible_and_linked(browser, tmp_path, "matrix-browser-layout")
    assert browser.evaluate("document.getElementById('cr-dot') !== null")


@pytest.fixture(scope="module")
def pages_laid_out_here(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The lesson's pages where there is no ``dot``: ``chainrule lesson``'s neuron page (written
    with an empty PATH, as on a machine without Graphviz), and the command line's neuron page
    with and without edge labels, laid out by viz-js."""
    import os

    from chainrule.expression import build_expression
    from chainrule.lesson import _draw_pictures

    out = tmp_path_factory.mktemp("laid-out-here")
    empty = out / "empty-bin"
    empty.mkdir()
    path = os.environ["PATH"]
    os.environ["PATH"] = str(empty)
    try:
        _draw_pictures(out)  # no dot: neuron-steps.html is laid out in the browser
    finally:
        os.environ["PATH"] = path
    assert 'id="cr-dot"' in (out / "neuron-steps.html").read_text(encoding="utf-8")
    neuron = "tanh(w1*x1 + w2*x2 + b)"
    values = {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": 6.8813735870195432}
    root, _ = build_expression(neuron, values)
    render_steps(root, out / "graph.html", rankdir="auto", layout="browser")  # as `chainrule graph --steps`
    render_steps(root, out / "edge-labels.html", edge_labels=True, layout="browser")
    return {
        "lesson": out / "neuron-steps.html",
        "graph": out / "graph.html",
        "render_steps edge_labels": out / "edge-labels.html",
    }


@pytest.mark.parametrize(
    ("size", "whole"),
    [("1920,1080", ("lesson", "graph")), ("1366,768", ("lesson", "graph")), ("1024,768", ())],
)
def test_on_the_screens_a_class_uses_as_the_dot_page(
    pages_laid_out_here: dict[str, Path], size, whole
) -> None:
    # test_layout_screens_browser's checks: whole and >= 14 px where the dot page is, else the
    # current step in view and a note; presentation mode never smaller; fit shows it all
    screens.run_screen(
        size, {f"viz {k}": v for k, v in pages_laid_out_here.items()}, tuple(f"viz {w}" for w in whole)
    )
