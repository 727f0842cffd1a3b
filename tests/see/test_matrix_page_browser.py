"""The matrix lens page in headless Chromium at 1920x1080: pointing at an entry of dW highlights
row r of Xᵀ and column c of d(X·W), writes the entry's edge sum, and the text is >= 14 px."""

from __future__ import annotations

from pathlib import Path

import pytest

import autograd
from autograd import as_matrix, log, matmul, matrix_add, matrix_map, matrix_mean, matrix_view
from tests.see.browser import needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


def lesson_view():  # type: ignore[no-untyped-def]
    X = as_matrix([[0, 0], [0, 1], [1, 0], [1, 1]], "X")
    W = as_matrix([[1.6243453636632417], [-0.6117564136500754]], "W")
    b = as_matrix([[0.0]], "b")
    A = matrix_map(autograd.sigmoid, matrix_add(matmul(X, W), b))
    loss = -matrix_mean([[t * log(a) + (1 - t) * log(1 - a)] for t, (a,) in zip([0, 1, 1, 0], A)])
    loss.backward()
    return matrix_view(loss, named={"X": X, "W": W, "b": b})


def test_pointing_at_an_entry_highlights_its_terms(tmp_path: Path) -> None:
    path = autograd.render_matrix_view(lesson_view(), tmp_path / "lens.html")
    for browser in start_browser():
        browser.open(path)
        # W is the second section (m1): dW[1][0] = row 1 of Xᵀ · column 0 of d(X·W)
        browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
        lit = browser.evaluate("[...document.querySelectorAll('td.hl')].map(c => c.id).sort().join(' ')")
        assert lit == " ".join(sorted([f"m1a-1-{s}" for s in range(4)] + [f"m1b-{s}-0" for s in range(4)]))
        text = browser.evaluate("document.getElementById('m1p').textContent")
        assert text.startswith("dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]")
        # the graph is bigger than its panel: the panel scrolls so that dW[1][0]'s 4 edges are in view
        # (a graph of more than 40 values: W[1][0]'s own picture, focus=W[1][0], is the one shown)
        shown = browser.evaluate("[...document.querySelectorAll('div.focus')].filter(d => !d.hidden).length")
        assert shown == 1
        lit = browser.evaluate("[...document.querySelectorAll('#graph g.edge.hl')].map(g => g.id)")
        assert len(lit) == 4
        labels = browser.evaluate(
            "[...document.querySelectorAll('#graph g.edge.hl text')].map(t => t.textContent).sort().join(' | ')"
        )
        # X[k][1] × d(X·W)[k][0]: X's column 1 is 0, 1, 0, 1
        assert labels.count("0.0000 × ") == 2 and labels.count("1.0000 × ") == 2, labels
        in_view = browser.evaluate(
            "(() => { const b = document.getElementById('graph').getBoundingClientRect();"
            " return [...document.querySelectorAll('#graph g.edge.hl')].every(g => {"
            " const r = g.getBoundingClientRect();"
            " return r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom; }); })()"
        )
        assert in_view
        assert browser.evaluate("window.scrollY") == 0
        assert "= 0.0213" in text
        # the bias (m2): db[0][0] is the sum of column 0 of d(X·W + b)
        browser.evaluate("document.getElementById('m2g-0-0').click()")
        lit = browser.evaluate("[...document.querySelectorAll('td.hl')].map(c => c.id).sort().join(' ')")
        assert lit == " ".join(sorted(f"m2a-{i}-0" for i in range(4)))
        smallest = browser.evaluate(
            "Math.min(...[...document.querySelectorAll('td, pre, caption, p')].map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 14
        assert browser.evaluate("document.body.innerText").count("equal to the grads, entry by entry") == 3
        browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
        browser.screenshot("matrix-lens.png")
        assert browser.console_errors() == []


def test_pointing_at_an_entry_highlights_its_edges_in_the_graph(tmp_path: Path) -> None:
    """Z = X·W, X 2×3, W 3×2: dW[1][0] = X[0][1]·dZ[0][0] + X[1][1]·dZ[1][0], so exactly the two
    edges W[1][0] -> Z[0][0] and W[1][0] -> Z[1][0] light up, each labelled with its term."""
    X = as_matrix([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0]], "X")
    W = as_matrix([[0.3, -0.7], [1.1, 0.4], [-0.5, 0.9]], "W")
    Z = matmul(X, W)
    loss = autograd.Value(0.0)
    for row in Z:
        for z in row:
            loss = loss + z * z
    loss.backward()
    # dZ = 2Z by hand: Z[0][0] = 0.3 + 2.2 + 0.5 = 3.0, Z[1][0] = 0.15 - 2.2 - 1.5 = -3.55
    assert Z[0][0].grad == pytest.approx(6.0) and Z[1][0].grad == pytest.approx(-7.1)
    order = autograd.topological_order(loss)
    name = {id(n): f"v{k}" for k, n in enumerate(order)}
    path = autograd.render_matrix_view(matrix_view(loss, named={"X": X, "W": W}), tmp_path / "lens.html")
    for browser in start_browser():
        browser.open(path)
        # the edges out of W[1][0] in the drawing, read from the SVG's own titles ("tail->head")
        out_of = browser.evaluate(
            "[...document.querySelectorAll('#graph g.edge')].filter(g => "
            f"g.querySelector('title').textContent.split('->')[0] === '{name[id(W[1][0])]}').map(g => g.id).sort()"
        )
        heads = {name[id(Z[0][0])], name[id(Z[1][0])]}
        assert len(out_of) == 2
        assert {e.split("-")[2].removesuffix("_op") for e in out_of} == heads
        browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
        lit = browser.evaluate("[...document.querySelectorAll('#graph g.edge.hl')].map(g => g.id).sort()")
        assert lit == out_of
        labels = browser.evaluate(
            "[...document.querySelectorAll('#graph g.edge.hl text')].map(t => t.textContent).join(' | ')"
        )
        assert "2.0000 × 6.0000 = 12.0000" in labels and "-2.0000 × -7.1000 = 14.2000" in labels, labels
        # the entry's own box, its two factors X[0][1], X[1][1] and the two product nodes are marked
        boxes = browser.evaluate("[...document.querySelectorAll('#graph g.node.hl')].map(g => g.id).sort()")
        assert {b.removeprefix("node-") for b in boxes} == {
            name[id(X[0][1])],
            name[id(X[1][1])],
            name[id(Z[0][0])],
            name[id(Z[1][0])],
        }
        assert (
            browser.evaluate("document.querySelector('#graph g.node.on').id") == f"node-{name[id(W[1][0])]}"
        )
        # another entry moves the highlight: dW[0][1] has the edges W[0][1] -> Z[0][1], Z[1][1]
        browser.evaluate("document.getElementById('m1g-0-1').dispatchEvent(new Event('mouseenter'))")
        lit = browser.evaluate("[...document.querySelectorAll('#graph g.edge.hl')].map(g => g.id)")
        assert {e.split("-")[2].removesuffix("_op") for e in lit} == {name[id(Z[0][1])], name[id(Z[1][1])]}
        # legible at 1920x1080: the graph's text, as drawn on screen, and the page's
        smallest_svg = browser.evaluate(
            "(() => { const s = document.querySelector('#graph svg');"
            " const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width;"
            " return Math.min(...[...s.querySelectorAll('text')].map(t => k * parseFloat(t.getAttribute('font-size')))); })()"
        )
        assert smallest_svg >= 14, smallest_svg
        smallest = browser.evaluate(
            "Math.min(...[...document.querySelectorAll('td, pre, caption, p')].map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 14
        browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
        browser.screenshot("matrix-lens-graph.png")
        assert browser.console_errors() == []
