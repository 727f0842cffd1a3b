"""The live page computes its own backward pass and changes nothing in the learner's graph.

Checked against hand-derived derivatives and the engine run on a fresh graph: a graph after
``backward()`` (once or twice) gives the same page as a fresh one, edits recompute from the
inputs only, edges of steps not yet run carry no number, the page never writes into the
user's labels or grads, and it walks the graph once. Also: ``chainrule graph --steps
--edge-labels`` and the lesson's page, whose target is a named input ``y``.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import autograd.see.draw
import autograd.see.page
from autograd import Value, backward_steps, render_steps, topological_order
from autograd.see.dot_text import box_number
from tests.see.browser import Browser, needs_browser
from tests.see.test_page_browser import GRADS, lecture_neuron

pytestmark = [pytest.mark.slow, needs_browser]

EDGES = """[...document.querySelectorAll('#graph g.edge')].filter(g => g.querySelector('text')).map(g => ({
  title: g.querySelector('title').textContent, text: g.querySelector('text').textContent,
  dashed: [...g.querySelectorAll('path')].every(p => (p.getAttribute('stroke-dasharray') || '') !== '')}))"""


def names_to_grads(browser: Browser) -> dict[str, Any]:
    return dict(browser.evaluate("window.chainrule.names().map((n) => [n, window.chainrule.grad(n)])"))


def test_a_graph_after_backward_gives_the_page_of_a_fresh_graph(browser: Browser, tmp_path: Path) -> None:
    """The issue's case: o.backward(); render_steps(o) showed x1's grad doubled (-3, not -1.5)."""
    o = lecture_neuron()
    fresh_page = render_steps(o, tmp_path / "fresh.html", edge_labels=True).read_text(encoding="utf-8")
    o.backward()
    o.backward()  # twice: the leaves hold twice their grads
    leaves = {n.label: n for n in topological_order(o) if not n.inputs}
    held = {name: leaf.grad for name, leaf in leaves.items()}
    assert math.isclose(held["x1"], -3.0)  # the doubled grad the old page showed
    page = render_steps(o, tmp_path / "after.html", edge_labels=True)
    again = render_steps(o, tmp_path / "again.html", edge_labels=True)
    assert page.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")  # the same page twice
    assert {name: leaf.grad for name, leaf in leaves.items()} == held  # the page changed no grad
    stale = re.compile(r'"stale": \[[^\]]*\]')  # the one difference: the names of the leaves holding grads
    assert stale.sub("", page.read_text(encoding="utf-8")) == stale.sub("", fresh_page)
    browser.open(page)
    # o = tanh(n) = 1/sqrt(2), so do/dn = 1 - o**2 = 1/2; do/dx1 = w1 / 2 and so on, by hand
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5, "o": 1.0}
    grads = names_to_grads(browser)
    for name, value in expected.items():
        assert math.isclose(grads[name], value, rel_tol=1e-9, abs_tol=1e-12), (name, grads[name])
    boxes = browser.evaluate(GRADS)
    names = browser.evaluate("window.chainrule.names()")
    assert boxes[f"v{names.index('x1')}"] == "grad -1.5000"
    browser.press("Home")
    start = browser.evaluate("document.getElementById('step-rule').textContent")
    assert "neither used nor shown" in start  # it says so, naming the leaves (w2's grad is 0), with no number
    assert all(name in start.split("left in ")[1] for name in ("x1", "x2", "w1", "b"))
    assert "-3" not in start and "-1.5" not in start


def test_edits_recompute_from_the_inputs_not_from_accumulated_grads(browser: Browser, tmp_path: Path) -> None:
    """The issue's case: after backward() an edit gave w.grad 1.0017 where the engine gives 0.0017."""
    x, w, b = Value(2.0, label="x"), Value(-0.75, label="w"), Value(0.3, label="b")
    out = (x * w + b).tanh()
    out.label = "out"
    out.backward()
    browser.open(render_steps(out, tmp_path / "edit.html"))
    for name, value in (("w", 1.9), ("x", -0.4), ("b", 2.5)):
        browser.evaluate(f"window.chainrule.set('{name}', {value})")
        numbers = {"x": 2.0, "w": -0.75, "b": 0.3}
        numbers.update(
            {
                k: v
                for k, v in browser.evaluate(
                    "Object.fromEntries(['x', 'w', 'b'].map((n) => [n, window.chainrule.value(n)]))"
                ).items()
            }
        )
        t = math.tanh(numbers["x"] * numbers["w"] + numbers["b"])
        dz = 1 - t * t  # by hand: d tanh(xw + b) = (1 - tanh**2) (w dx + x dw + db)
        grads = names_to_grads(browser)
        assert math.isclose(grads["w"], dz * numbers["x"], rel_tol=1e-9, abs_tol=1e-15), (name, grads["w"])
        assert math.isclose(grads["x"], dz * numbers["w"], rel_tol=1e-9, abs_tol=1e-15)
        assert math.isclose(grads["b"], dz, rel_tol=1e-9, abs_tol=1e-15)
    assert browser.console_errors() == []


def test_edges_of_steps_not_yet_run_are_pending_with_no_number(browser: Browser, tmp_path: Path) -> None:
    o = lecture_neuron()
    twin = lecture_neuron()
    steps = list(backward_steps(twin))
    order = topological_order(twin)
    browser.open(render_steps(o, tmp_path / "pending.html", edge_labels=True, rankdir="LR"))
    for position in range(len(steps) + 1):
        browser.evaluate(f"window.chainrule.step({position})")
        edges = browser.evaluate(EDGES)
        assert len(edges) == sum(len(s.terms) for s in steps)
        for edge in edges:
            head = int(edge["title"].split("->v")[1].split("_")[0])  # the node the edge feeds
            if head >= position:  # node k's step is step k + 1
                assert edge["text"] == "pending" and edge["dashed"], (position, edge)
            else:
                step = steps[head]
                assert step.node is order[head]
                term = next(t for t in step.terms if edge["title"].startswith(f"v{order.index(t.input)}->"))
                assert edge["text"] == (
                    f"{box_number(term.local_grad)} × {box_number(step.upstream)} = {box_number(term.contribution)}"
                ), (position, edge)
                assert not edge["dashed"]
    browser.screenshot("pending.png")


def test_making_the_page_never_writes_labels_walks_the_graph_once_and_lays_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, w = Value(2.0, label="x"), Value(-0.75)  # w unlabelled: the page names it v<k>
    out = (x * w).tanh()
    nodes = topological_order(out)
    labels = [n.label for n in nodes]
    seen: list[list[str]] = []
    walks: list[int] = []
    real_draw, real_order = autograd.see.draw.draw_dot, autograd.see.page.topological_order

    def draw_dot(root: Value, **options: Any) -> Any:
        seen.append([n.label for n in nodes])  # the user's labels while the page draws
        return real_draw(root, **options)

    def counted(root: Value) -> list[Value]:
        walks.append(1)
        return real_order(root)

    for module in (autograd.see.draw, autograd.see.page):
        monkeypatch.setattr(module, "draw_dot", draw_dot, raising=False)
    monkeypatch.setattr(autograd.see.page, "topological_order", counted)
    render_steps(out, tmp_path / "p.html")
    assert seen and all(now == labels for now in seen)
    assert len(walks) == 1
    # each of the page's layouts (it keeps the one that suits its screen) drawn once, not measured
    # then drawn again
    assert len(seen) == len(autograd.see.draw.AUTO_LAYOUTS)
    assert [n.label for n in nodes] == labels and all(n.grad == 0.0 for n in nodes)


def test_graph_command_writes_the_step_page_with_edge_labels(tmp_path: Path) -> None:
    page = tmp_path / "steps.html"
    result = subprocess.run(
        [sys.executable, "-m", "chainrule", "graph", "x*y", "x=3", "y=4", "--edge-labels",
         "-o", str(tmp_path / "g.svg"), "--steps", str(page)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "d/dx = 4" in result.stdout and "d/dy = 3" in result.stdout
    svg = page.read_text(encoding="utf-8").split("<svg", 1)[1]
    # both edges into the mul carry a label: d(xy)/dx = y = 4 and d(xy)/dy = x = 3, × 1
    assert "4.0000 × 1.0000 = 4.0000" in svg and "3.0000 × 1.0000 = 3.0000" in svg


def test_the_lesson_page_has_the_target_as_an_input_y(browser: Browser, tmp_path: Path) -> None:
    """Setting y = 0 showed loss 0 and every grad 0: y and 1 - y were two unlinked constants."""
    from chainrule.lesson import LESSON_WEIGHTS, _draw_pictures

    pictures = {path.name: path for path, _ in _draw_pictures(tmp_path)}
    browser.open(pictures["neuron-steps.html"])
    kinds = browser.evaluate(
        "JSON.parse(document.getElementById('steps-data').textContent).nodes.map(n => [n.name, n.kind, n.op])"
    )
    assert ["y", "input", ""] in kinds
    assert not any(op in ("sum", "div") for _, _, op in kinds)  # one sample: no batch size to edit
    w1, w2 = LESSON_WEIGHTS
    a = 1 / (1 + math.exp(-w2))  # x = (0, 1): z = w2
    assert math.isclose(browser.evaluate("window.chainrule.value('loss')"), -math.log(a), rel_tol=1e-12)
    browser.evaluate("window.chainrule.set('y', 0)")
    loss = browser.evaluate("window.chainrule.value('loss')")
    assert math.isclose(loss, -math.log(1 - a), rel_tol=1e-12) and f"{loss:.3f}" == "0.433"
    grads = names_to_grads(browser)
    # d/dz of -log(1 - sigmoid(z)) = sigmoid(z) = a; z = w1 x1 + w2 x2 + b with x = (0, 1)
    for name, value in (
        ("w2", a),
        ("b", a),
        ("w1", 0.0),
        ("x2", a * w2),
        ("x1", a * w1),
        ("y", math.log(1 - a) - math.log(a)),
    ):
        assert math.isclose(grads[name], value, rel_tol=1e-9, abs_tol=1e-15), (name, grads[name], value)
    browser.screenshot("lesson-y0.png")


def test_the_current_step_and_a_wrong_answer_do_not_share_a_colour(browser: Browser, tmp_path: Path) -> None:
    browser.open(render_steps(lecture_neuron(), tmp_path / "colours.html"))
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(1)")
    browser.type_into("#terms td.after input", "7")
    browser.press("Enter")
    colours = browser.evaluate(
        """(() => {
          const field = document.querySelector('#terms td.after input');
          return {current: getComputedStyle(document.querySelector('g.cr-current polygon, g.cr-current ellipse')).stroke,
                  inputs: getComputedStyle(document.querySelector('g.cr-input polygon, g.cr-input ellipse')).stroke,
                  wrong: getComputedStyle(field).outlineColor,
                  words: getComputedStyle(document.getElementById('feedback')).color};
        })()"""
    )
    assert colours["current"] != colours["wrong"] and colours["inputs"] != colours["wrong"], colours
    assert colours["current"] != colours["inputs"]


def test_a_collapsed_neuron_has_its_colour_in_the_legend(browser: Browser, tmp_path: Path) -> None:
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    out = model([1.0, 2.0])
    browser.open(render_steps(out, tmp_path / "collapsed.html", model=model, collapse=True))
    legend = browser.evaluate("[...document.querySelectorAll('#legend li')].map(li => li.textContent)")
    assert "neuron (collapsed)" in legend
    fills = browser.evaluate(
        "[...document.querySelectorAll('#graph g.node title')].filter(t => t.textContent.startsWith('neuron'))"
        ".map(t => getComputedStyle(t.parentNode.querySelector('path, polygon')).fill)"
    )
    swatch = browser.evaluate(
        "[...document.querySelectorAll('#legend li')].find(li => li.textContent === 'neuron (collapsed)')"
        ".querySelector('.swatch').style.background"
    )
    assert fills and set(fills) == {swatch}
    assert browser.console_errors() == []
