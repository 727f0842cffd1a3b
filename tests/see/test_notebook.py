"""``autograd.show`` inside a real notebook: nbclient runs it, and the pages are in the outputs.

The notebook is executed on the python3 kernel in a subprocess (Jupyter's machinery raises
the recursion limit in the process that drives it). Its outputs must hold the live graph page
and the flipbook as sandboxed ``<iframe srcdoc=...>`` HTML, and ``draw_dot`` must still give
an inline SVG. The pages taken out of the outputs are then opened in Chromium and answer on
``window.chainrule``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from autograd import InlinePage, Value, show
from tests.notebooks import execute_notebook
from tests.see.browser import Browser, needs_browser

pytestmark = [pytest.mark.slow, needs_browser]

CELLS = [
    "import autograd, nn\n"
    "x = autograd.Value(2.0, label='x'); w = autograd.Value(-3.0, label='w')\n"
    "o = (x * w + 1.0).tanh(); o.label = 'o'",
    "autograd.show(o)",
    "autograd.draw_dot(o)",
    "X, y = nn.data.xor()\n"
    "model = nn.MLP(2, [3, 1], seed=0)\n"
    "opt = nn.SGD(model.parameters(), lr=0.2)\n"
    "recorder = nn.TrainingRecorder(model, X, y, grid=8)\n"
    "for _ in range(5):\n"
    "    loss = nn.mse([model(p) for p in X], y)\n"
    "    opt.zero_grad(); loss.backward(); recorder.record(loss); opt.step()\n"
    "autograd.show(recorder, title='xor run')",
    "X = autograd.as_matrix([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0]], 'X')\n"
    "W = autograd.as_matrix([[0.3, -0.7], [1.1, 0.4], [-0.5, 0.9]], 'W')\n"
    "Z = autograd.matmul(X, W)\n"
    "s = autograd.sum([z * z for row in Z for z in row]); s.backward()\n"
    "autograd.show(autograd.matrix_view(s, named={'X': X, 'W': W}), title='lens')",
]


def srcdoc(output_html: str) -> str:
    match = re.search(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts"', output_html)
    assert match, output_html[:300]
    return html.unescape(match.group(1))


def test_show_in_a_notebook(browser: Browser, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    source, executed = tmp_path / "show.ipynb", tmp_path / "show-run.ipynb"
    nbformat.write(notebook, source)
    cells = execute_notebook(source, executed, tmp_path).cells
    outputs = [[o for o in cell.outputs] for cell in cells]
    assert not [o for cell in outputs for o in cell if o.output_type == "error"]
    live = srcdoc(outputs[1][0]["data"]["text/html"])
    assert "image/svg+xml" in outputs[2][0]["data"]  # draw_dot still renders inline
    flipbook = srcdoc(outputs[3][0]["data"]["text/html"])
    assert "<title>xor run</title>" in flipbook

    (tmp_path / "live.html").write_text(live, encoding="utf-8")
    browser.open(tmp_path / "live.html")
    assert browser.evaluate("window.chainrule.names()")[:1] == ["o"]
    x, w = 2.0, -3.0  # d tanh(xw + 1)/dx = (1 - tanh(xw + 1)**2) w
    import math

    expected = (1 - math.tanh(x * w + 1) ** 2) * w
    assert math.isclose(browser.evaluate("window.chainrule.grad('x')"), expected, rel_tol=1e-12)
    (tmp_path / "flip.html").write_text(flipbook, encoding="utf-8")
    browser.open(tmp_path / "flip.html")
    assert browser.evaluate("window.chainrule.frames()") == 5

    # the matrix lens: pointing at dW[1][0] lights the two edges out of W[1][0] (into Z[0][0], Z[1][0])
    lens = srcdoc(outputs[4][0]["data"]["text/html"])
    assert "<title>lens</title>" in lens
    (tmp_path / "lens.html").write_text(lens, encoding="utf-8")
    browser.open(tmp_path / "lens.html")
    browser.evaluate("document.getElementById('m1g-1-0').dispatchEvent(new Event('mouseenter'))")
    labels = browser.evaluate(
        "[...document.querySelectorAll('#graph g.edge.hl text')].map(t => t.textContent)"
    )
    assert sorted(labels) == [
        "-2.0000 × -7.1000 = 14.2000",
        "2.0000 × 6.0000 = 12.0000",
    ]  # X[k][1] × dZ[k][0]

    # The cell's HTML as a notebook shows it: the page runs inside the sandboxed frame.
    host = tmp_path / "host.html"
    host.write_text("<!DOCTYPE html><html><body>" + outputs[1][0]["data"]["text/html"] + "</body></html>")
    browser.open(host, ready="document.querySelector('iframe') !== null")
    browser.evaluate("new Promise(r => setTimeout(r, 300))", await_promise=True)
    browser.screenshot("notebook-iframe.png")


def test_show_refuses_what_it_cannot_show() -> None:
    with pytest.raises(TypeError, match="expected a Value, a recorded training run"):
        show([1, 2, 3])
    with pytest.raises(ValueError, match="height must be an int >= 100"):
        show(Value(1.0), height=10)
    page = show(Value(1.0, label="x") * 2.0)
    assert isinstance(page, InlinePage) and page._repr_html_().startswith("<iframe srcdoc=")
