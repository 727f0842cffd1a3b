"""The live page without ``dot``: it carries the DOT text and viz-js, and lays itself out in the browser.

Where Graphviz's ``dot`` cannot run (not on PATH; or, as under Pyodide, no process can start:
``OSError(138, ...)``, simulated here by replacing the subprocess calls), ``render_steps`` and
``show`` still write the page; ``layout="browser"`` asks for that page, ``layout="dot"`` refuses
it. The DOT text is data in the page, so it must carry no number predict mode can hide. The
browser side (every node drawn, the steps' numbers, the no-leak scan) is in
``test_browser_layout_browser.py``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import subprocess
from pathlib import Path

import pytest

from autograd import GraphvizMissing, Value, render_steps, show
from autograd.see import page as live
from autograd.see.dot_text import box_number
from autograd.see.draw import AUTO_LAYOUTS, page_dots
from tests.see.test_page_browser import lecture_neuron as neuron
from tests.see.test_page_predict_browser import odd_graph

pytest.importorskip("graphviz")

VENDOR = Path(live.__file__).parent / "vendor"
PINNED_SHA256 = "c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e"  # npm's 3.31.0 tarball
BOTH_WAYS = r"apt-get install graphviz.*brew install graphviz.*draw_dot\(root\)\.source.*@viz-js/viz"


def odd_graph_answers() -> tuple[set[float], set[float]]:
    """Every grad, upstream, contribution and local derivative of ``odd_graph``'s backward pass,
    derived by hand (the numbers predict mode may hide), and its values (never hidden)."""
    a, b, c = 1.3, -0.7, 2.1
    s = a * b + c
    h = math.tanh(s)
    dh = 1 - h * h  # tanh' = 1 - tanh^2
    locals_ = {a, h, 1 / (c * 0.45), 0.45, dh, b}  # d(h a)/dh, d(h a)/da, log', d(0.45 c)/dc, tanh', d(ab)/da
    grads = {
        h * 1.0,  # d out / d a along h*a (before the path through h is added)
        a,  # d out / d h
        a * dh,  # d out / d s, d out / d(ab)
        a * dh * b,  # through ab to a
        a * dh * b + h,  # a.grad, both paths
        a * dh * a,  # b.grad
        a * dh + 0.45 / (c * 0.45),  # c.grad, both paths
        1 / (c * 0.45),  # d out / d log's input
        0.45 / (c * 0.45),  # the log path to c
        c / (c * 0.45),  # the constant 0.45's grad
    }
    values = {a, b, c, a * b, s, h, h * a, c * 0.45, math.log(c * 0.45), h * a + math.log(c * 0.45), 0.45}
    return (grads | locals_) - values - {0.0, 1.0}, values


def found(text: str, number: str) -> bool:
    """``number`` in ``text`` as a whole number, not part of a longer one."""
    return re.search(r"(?<![\w.\-])" + re.escape(number) + r"(?!\.?\d)(?!e[+-]?\d)", text) is not None


def no_dot_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def no_processes(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    """Starting any process raises ``error``, as under Pyodide."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)


def dots_of(page: str) -> list[str]:
    match = re.search(r'<script id="cr-dot" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert match, "the page carries no DOT text"
    dots: list[str] = json.loads(match.group(1))
    return dots


def csp_of(page: str) -> dict[str, list[str]]:
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert content
    return {d.split()[0]: d.split()[1:] for d in content.group(1).split(";") if d.strip()}


@pytest.mark.parametrize("way", ["no dot on PATH", "no processes (Pyodide)"])
def test_without_dot_the_page_carries_the_dot_text_and_viz_js(tmp_path, monkeypatch, way):
    # Before: render_steps raised GraphvizMissing here, and there was no page at all.
    if way == "no dot on PATH":
        no_dot_on_path(monkeypatch, tmp_path)
    else:
        no_processes(monkeypatch, OSError(138, "emscripten does not support processes."))
    page = render_steps(neuron(), tmp_path / "steps.html").read_text(encoding="utf-8")
    viz = (VENDOR / "viz-global.js").read_text(encoding="utf-8")
    assert f"<script>{viz}</script>" in page  # viz-js inline, unchanged
    dots = dots_of(page)
    assert len(dots) == len(AUTO_LAYOUTS)  # every layout the dot page would carry
    for dot, (rankdir, _, _) in zip(dots, AUTO_LAYOUTS):
        assert dot.startswith("digraph") and f"rankdir={rankdir}" in dot
        named = set(re.findall(r"^\s*(v\d+) \[", dot, re.MULTILINE))
        assert named == {f"v{k}" for k in range(10)}  # x1 w1 x2 w2 b, the two products, two sums, o
    rest = page.replace(viz, "")
    assert '<div id="canvas"></div>' in rest and "<svg" not in rest  # no drawing from dot
    assert '<template class="cr-layout">' not in rest


def test_the_dot_text_carries_no_grad_and_no_derivative(tmp_path):
    root = odd_graph()
    root.backward()  # a learner's graph after backward(): its grads must not reach the page either
    hidden, values = odd_graph_answers()
    page = render_steps(root, tmp_path / "odd.html", edge_labels=True, layout="browser").read_text("utf-8")
    text = "\n".join(dots_of(page))
    grads = re.findall(r"grad ([^|}\"]*)", text)
    assert len(grads) == 5 * 11 and set(grads) == {"0.0000"}  # 11 boxes in each of the 5 layouts
    assert {box_number(x) for x in values} <= set(re.findall(r"data ([^|}\"]*)", text))  # shown anyway
    leaks = [box_number(x) for x in hidden if found(text, box_number(x))]
    assert leaks == []
    assert len(hidden) >= 8  # the scan had numbers to look for


def test_the_users_graph_is_untouched(tmp_path):
    root = odd_graph()
    root.backward()
    from autograd import topological_order

    before = [(n.data, n.grad, n.local_grads, n.label) for n in topological_order(root)]
    render_steps(root, tmp_path / "odd.html", edge_labels=True, layout="browser")
    assert [(n.data, n.grad, n.local_grads, n.label) for n in topological_order(root)] == before


def test_layout_browser_runs_no_program_even_where_dot_is_installed(tmp_path, monkeypatch):
    no_processes(monkeypatch, OSError("render_steps(layout='browser') must not start a process"))
    page = render_steps(neuron(), tmp_path / "steps.html", layout="browser").read_text(encoding="utf-8")
    assert len(dots_of(page)) == len(AUTO_LAYOUTS)
    one = render_steps(neuron(), tmp_path / "lr.html", layout="browser", rankdir="LR").read_text("utf-8")
    (dot,) = dots_of(one)  # one layout asked for: one DOT text
    assert "rankdir=LR" in dot and "v0_op" in dot  # left to right, ops in ovals


def test_layout_dot_refuses_and_names_both_ways_out(tmp_path, monkeypatch):
    no_processes(monkeypatch, OSError(138, "emscripten does not support processes."))
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):
        render_steps(neuron(), tmp_path / "steps.html", layout="dot")
    assert not (tmp_path / "steps.html").exists()


@pytest.mark.parametrize("bad", ["svg", "Browser", None, True, 1])
def test_a_bad_layout_is_named(tmp_path, bad):
    with pytest.raises(ValueError, match=r"render_steps: layout must be 'auto', 'dot' or 'browser', got "):
        render_steps(neuron(), tmp_path / "steps.html", layout=bad)


def test_the_content_security_policy_lets_webassembly_run_and_nothing_load(tmp_path):
    browser_page = render_steps(neuron(), tmp_path / "b.html", layout="browser").read_text("utf-8")
    assert csp_of(browser_page) == {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "script-src": ["'unsafe-inline'", "'wasm-unsafe-eval'"],
        "img-src": ["data:"],
    }
    dot_page = render_steps(neuron(), tmp_path / "d.html", layout="dot").read_text("utf-8")
    assert csp_of(dot_page)["script-src"] == ["'unsafe-inline'"]  # the page laid out by dot: as before
    assert 'id="cr-dot"' not in dot_page and "Viz.js 3.31.0" not in dot_page


def test_the_vendored_viz_js_is_the_pinned_one_with_its_licences():
    data = (VENDOR / "viz-global.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == PINNED_SHA256 == live.VIZ_SHA256
    assert data.startswith(b"/*!\nViz.js 3.31.0\n") and live.VIZ_VERSION == "3.31.0"
    assert (
        (VENDOR / "LICENSE-viz-js.txt")
        .read_text()
        .startswith("MIT License\n\nCopyright (c) Michael Daines\n")
    )
    assert (VENDOR / "LICENSE-expat.txt").read_text().startswith("MIT License\n")
    assert (VENDOR / "LICENSE-graphviz.txt").read_text().startswith("Eclipse Public License - v 1.0\n")
    assert PINNED_SHA256 in (VENDOR / "README.md").read_text()


def test_a_changed_viz_js_is_refused(monkeypatch):
    monkeypatch.setattr(live, "VIZ_SHA256", "0" * 64)
    live.viz_js.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="viz-global.js is not viz-js 3.31.0"):
            live.viz_js()
    finally:
        live.viz_js.cache_clear()


def test_user_text_stays_text_in_the_dot_json(tmp_path):
    x = Value(2.0, label="</script><script>alert(1)</script>")
    root = x * 3
    page = render_steps(root, tmp_path / "l.html", layout="browser").read_text("utf-8")
    assert "<script>alert(1)" not in page
    assert any("alert(1)" in dot for dot in dots_of(page))  # the label is there, as text


def test_show_lays_out_in_the_browser_without_dot(tmp_path, monkeypatch):
    forced = show(neuron(), layout="browser").html
    assert len(dots_of(forced)) == len(AUTO_LAYOUTS)
    no_dot_on_path(monkeypatch, tmp_path)
    fallback = show(neuron()).html
    assert dots_of(fallback) == dots_of(forced)


def test_page_dots_follows_page_layouts_choices():
    root = neuron()
    assert [re.search(r"rankdir=(\w+)", d).group(1) for d in page_dots(root, rankdir="auto")] == [
        rankdir for rankdir, _, _ in AUTO_LAYOUTS
    ]
    (tb,) = page_dots(root, rankdir="TB", compact=True)
    assert "v0_op" not in tb  # compact: the op written in its output's box
    chain = Value(0.5, label="x")
    for _ in range(80):  # 161 boxes: more than AUTO_MAX_BOXES, so not measured: left to right
        chain = chain * 1.01
    (only,) = page_dots(chain, rankdir="auto", max_nodes=500)
    assert "rankdir=LR" in only
