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
        lit = browser.evaluate("[...document.querySelectorAll('.hl')].map(c => c.id).sort().join(' ')")
        assert lit == " ".join(sorted([f"m1a-1-{s}" for s in range(4)] + [f"m1b-{s}-0" for s in range(4)]))
        text = browser.evaluate("document.getElementById('m1p').textContent")
        assert text.startswith("dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]")
        assert "= 0.0213" in text
        # the bias (m2): db[0][0] is the sum of column 0 of d(X·W + b)
        browser.evaluate("document.getElementById('m2g-0-0').click()")
        lit = browser.evaluate("[...document.querySelectorAll('.hl')].map(c => c.id).sort().join(' ')")
        assert lit == " ".join(sorted(f"m2a-{i}-0" for i in range(4)))
        smallest = browser.evaluate(
            "Math.min(...[...document.querySelectorAll('td, pre, caption, p')].map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 14
        assert browser.evaluate("document.body.innerText").count("equal to the grads, entry by entry") == 3
        browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
        browser.screenshot("matrix-lens.png")
        assert browser.console_errors() == []
