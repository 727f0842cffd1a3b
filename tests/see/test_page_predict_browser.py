"""Predict mode of the live page in headless Chromium: nothing it asks for is on the page.

At every step, with edge labels on, the whole page is scanned for the numbers still to be
predicted, written as the page writes numbers (a box's four decimals, the panel's four
significant digits): the text of the HTML and of the SVG, every title, label, placeholder,
value and data attribute, and ``window.chainrule``. The hidden numbers come from Python
(``backward_steps`` on a twin of the graph); a number the page shows for another reason (a
value, a local derivative at the first level, the seed, 0) is allowed to be equal.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd import Value, backward_steps, render_steps, topological_order
from autograd.see.dot_text import box_number
from tests.see.browser import Browser, needs_browser
from tests.see.test_page_browser import lecture_neuron

pytestmark = [pytest.mark.slow, needs_browser]

EVERYTHING = """(() => {
  const parts = [document.body.innerText];
  for (const t of document.querySelectorAll('svg text, svg title')) parts.push(t.textContent);
  const names = /^(title|aria-label|placeholder|value|alt|xlink:title|data-.*)$/;
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) if (names.test(a.name)) parts.push(a.value);
    if (e instanceof HTMLInputElement) parts.push(e.value);
  }
  return parts.join('\\n');
})()"""


def js_short(x: float) -> str:
    """The panel's format: ``String(Number(x.toPrecision(4)))`` in JavaScript."""
    y = float(f"{x:.4g}")
    if y == int(y) and abs(y) < 1e21:
        return str(int(y))
    if 1e-7 <= abs(y) < 1e21:
        return format(Decimal(repr(y)), "f")
    mantissa, exponent = f"{y:e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{'-' if exponent[0] == '-' else '+'}{int(exponent[1:])}"


def formats(x: float) -> set[str]:
    return {box_number(x), js_short(x)}


def found(text: str, shown: str) -> bool:
    """``shown`` in ``text`` as a whole number: not part of a longer one."""
    return re.search(r"(?<![\w.\-])" + re.escape(shown) + r"(?!\.?\d)(?!e[+-]?\d)", text) is not None


def odd_graph() -> Value:
    """Numbers that do not coincide: two paths to a (a * b and the last * a), a constant, a log."""
    a, b, c = Value(1.3, label="a"), Value(-0.7, label="b"), Value(2.1, label="c")
    h = (a * b + c).tanh()
    h.label = "h"
    out = h * a + (c * 0.45).log()
    out.label = "out"
    return out


def square_graph() -> Value:
    """``x * x``: one step whose two rows add into the same grad (the issue's case)."""
    x = Value(1.5, label="x")
    y = x * x
    y.label = "y"
    out = y * 0.7
    out.label = "out"
    return out


def scan(browser: Browser, hidden: set[float], allowed: set[float]) -> list[str]:
    """The hidden numbers (as the page would write them) found anywhere on the page."""
    text = browser.evaluate(EVERYTHING)
    ok = set().union(*(formats(x) for x in allowed)) if allowed else set()
    leaks = []
    for x in hidden:
        for shown in formats(x) - ok:
            if found(text, shown):
                leaks.append(shown)
    return leaks


def walk_without_answering(
    browser: Browser, root: Value, level: str, tmp_path: Path, matrices: dict[str, Any] | None = None
) -> int:
    """Open the page in predict mode at ``level``, press next through every step answering
    nothing, and check at each step that no hidden number is on the page (nor in the matrix
    view's cells, with ``matrices``). Returns the count of numbers checked."""
    twin = build_twin(root)
    steps = list(backward_steps(twin))
    order = topological_order(twin)
    values = {n.data for n in order}
    locals_ = {t.local_grad for s in steps for t in s.terms}
    browser.open(render_steps(root, tmp_path / f"{level}.html", edge_labels=True, matrices=matrices))
    browser.evaluate("document.getElementById('predict').click()")
    if level == "local":
        browser.evaluate("document.getElementById('predict-local').click()")
    assert browser.evaluate("window.chainrule.predicting()") == level
    browser.press("Home")
    checked = 0
    for position in range(len(steps) + 1):
        done = steps[:position]
        hidden = {t.grad_after for s in done for t in s.terms} | {
            t.contribution for s in done for t in s.terms
        }
        hidden |= {s.upstream for s in steps[1:position]}  # every upstream but the seed comes from a step
        allowed = values | {1.0, 0.0}
        if level == "grad":
            allowed |= locals_
        else:
            hidden |= {t.local_grad for s in done for t in s.terms}
        hidden = {x for x in hidden if math.isfinite(x)} - allowed
        leaks = scan(browser, hidden, allowed)
        assert leaks == [], (level, position, leaks)
        checked += len(hidden)
        # window.chainrule answers null for every hidden grad and every hidden number of the step
        grads = browser.evaluate("window.chainrule.names().map((n) => window.chainrule.grad(n))")
        for node, grad in zip(order, grads):
            if node is not order[0]:
                assert grad is None or grad == 0.0, (position, node.label, grad)
        if position:
            step = browser.evaluate(f"window.chainrule.step({position})")
            assert step["terms"] and all(
                t["after"] is None and t["contribution"] is None for t in step["terms"]
            )
            if position > 1:
                assert step["upstream"] is None
            if level == "local":
                assert all(t["local"] is None for t in step["terms"])
        for name in matrices or {}:  # a cell's grad comes from a step not yet predicted: hidden
            m = browser.evaluate(f"window.chainrule.matrix({json.dumps(name)})")
            cells = [c for row in m["rows"] for c in row] + (m["bias"] or [])
            assert all(c["grad"] is None and c["shown"] in ("pending", "?") for c in cells), (position, m)
        browser.evaluate("document.getElementById('next').click()")
    assert browser.console_errors() == []
    return checked


def build_twin(root: Value) -> Value:
    """The same graph again, from the same numbers (the oracle runs backward on it, not on root)."""
    order = topological_order(root)
    twin: dict[Value, Value] = {}
    for node in reversed(order):
        twin[node] = Value(
            node.data, node.label, node.op, tuple(twin[c] for c in node.inputs), node.local_grads
        )
    return twin[root]


@pytest.mark.parametrize("level", ["grad", "local"])
@pytest.mark.parametrize("graph", [lecture_neuron, odd_graph, square_graph])
def test_skipping_every_step_shows_no_hidden_number(browser: Browser, tmp_path: Path, graph, level) -> None:
    root = graph()
    root.backward()  # a learner's graph after backward(): its grads must not leak either
    checked = walk_without_answering(browser, root, level, tmp_path)
    assert checked >= 2  # the scan had numbers to look for


@pytest.mark.parametrize("level", ["grad", "local"])
def test_the_matrix_view_shows_no_hidden_number(browser: Browser, tmp_path: Path, level: str) -> None:
    mlp = nn.MLP(2, [2, 1], activation="tanh", seed=4)
    out = mlp([Value(0.6, label="x1"), Value(-1.1, label="x2")])
    assert isinstance(out, Value)
    loss = (out - 0.3) ** 2
    loss.label = "loss"
    loss.backward()
    checked = walk_without_answering(browser, loss, level, tmp_path, matrices=mlp.matrices())
    assert checked >= 2


def test_the_issue_cases_step_two_and_the_second_row_of_x_times_x(browser: Browser, tmp_path: Path) -> None:
    """Skipping step 1, step 2 showed step 1's answer as its upstream; in x*x row 2's 'grad before'
    was row 1's answer."""
    browser.open(render_steps(square_graph(), tmp_path / "square.html", edge_labels=True))
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(2)")  # y = x * x, with y.grad = 0.7 from step 1 unanswered
    rows = browser.evaluate(
        "[...document.querySelectorAll('#terms tbody tr')].filter(r => r.querySelector('td.before'))"
        ".map(r => [r.querySelector('td.upstream').textContent, r.querySelector('td.before').textContent])"
    )
    assert rows == [["× ?", "0"], ["× ?", "?"]]  # row 2 starts from row 1's answer: hidden
    assert "?" in browser.evaluate("document.getElementById('step-rule').textContent")
    # Giving up on step 2 shows step 1's answer too: step 2's numbers are made from it.
    browser.evaluate("document.getElementById('reveal').click()")
    assert browser.evaluate("window.chainrule.grad('y')") == pytest.approx(0.7)
    assert browser.evaluate("window.chainrule.grad('x')") == pytest.approx(2 * 1.5 * 0.7)


def test_a_wrong_prediction_gets_words_naming_the_factor(browser: Browser, tmp_path: Path) -> None:
    """Step 4 of the neuron: v3 = x1 * w1 with upstream 0.5; x1.grad after = -3 × 0.5 = -1.5."""
    browser.open(render_steps(lecture_neuron(), tmp_path / "words.html"))
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(3)")
    browser.evaluate("document.getElementById('reveal').click()")  # steps 1-3 given up: upstream shown
    browser.evaluate("window.chainrule.step(4)")
    field = "#terms tbody tr:first-child input.prediction"
    cases = {
        "-3": "local derivative alone",  # forgot the upstream
        "0.5": "upstream gradient on unchanged",  # forgot the local derivative
        "1.5": "sign is off",
        "1": "local derivative of another input",  # x1's value: d(x1 w1)/dx1 is w1
        "7": "check each of the three",  # nothing explains it: said plainly
        "abc": "is not a number",
    }
    for guess, words in cases.items():
        browser.type_into(field, guess)
        browser.press("Enter")
        feedback = browser.evaluate("document.getElementById('feedback').textContent")
        assert words in feedback, (guess, feedback)
        assert browser.evaluate(f"document.querySelector({json.dumps(field)}).classList.contains('wrong')")
    browser.type_into(field, "-1.5")
    browser.press("Enter")
    assert browser.evaluate(f"document.querySelector({json.dumps(field)}).dataset.right") == "true"
    assert browser.evaluate("window.chainrule.grad('x1')") is None  # w1's row is still to answer
    assert browser.evaluate("document.activeElement.matches('#terms tbody tr:nth-child(2) input.prediction')")
    browser.send("Input.insertText", text="1")
    browser.press("Enter")
    assert math.isclose(browser.evaluate("window.chainrule.grad('x1')"), -1.5, rel_tol=1e-12)
    assert browser.evaluate("document.activeElement.id") == "next"  # Enter or → goes on


def test_second_level_asks_the_local_derivative_and_tab_moves_to_the_next_field(
    browser: Browser, tmp_path: Path
) -> None:
    root = lecture_neuron()
    browser.open(render_steps(root, tmp_path / "local.html"))
    browser.evaluate("document.getElementById('predict-local').click()")
    assert browser.evaluate("window.chainrule.predicting()") == "local"
    browser.evaluate("window.chainrule.step(1)")  # o = tanh(n): d o/d n = 1 - o**2 = 0.5
    browser.type_into("#terms input[data-what=after]", "0.5")  # the grad before the local derivative:
    browser.press("Enter")  # right, but no slip is named while the local derivative is hidden
    assert "local derivative ∂o/∂n first" not in browser.evaluate(
        "document.getElementById('feedback').textContent"
    )
    browser.type_into("#terms input[data-what=after]", "0.25")
    browser.press("Enter")
    assert "local derivative ∂o/∂n first" in browser.evaluate(
        "document.getElementById('feedback').textContent"
    )
    fields = browser.evaluate(
        "[...document.querySelectorAll('#terms input.prediction')].map(f => f.dataset.what)"
    )
    assert fields == ["local", "after"]
    title = browser.evaluate("document.getElementById('step-title').textContent")
    assert repr(root.data) in title and repr(root.inputs[0].data) in title  # o and n with all their digits
    browser.type_into("#terms input[data-what=local]", "0.7071")  # o itself
    browser.press("Enter")
    assert "value, not its derivative" in browser.evaluate("document.getElementById('feedback').textContent")
    browser.type_into("#terms input[data-what=local]", "0.5")
    browser.press("Enter")  # right: focus moves on to the grad
    assert browser.evaluate("document.activeElement.dataset.what") == "after"
    browser.evaluate("document.querySelector('#terms input[data-what=local]').focus()")
    browser.send("Input.dispatchKeyEvent", type="rawKeyDown", key="Tab", code="Tab", windowsVirtualKeyCode=9)
    browser.send("Input.dispatchKeyEvent", type="keyUp", key="Tab", code="Tab", windowsVirtualKeyCode=9)
    assert browser.evaluate("document.activeElement.dataset.what") == "after"  # Tab: the next field
    browser.send("Input.insertText", text="0.5")
    browser.press("Enter")
    assert browser.evaluate("window.chainrule.grad('n')") == pytest.approx(0.5)
    browser.screenshot("predict-local.png")


def test_an_infinite_grad_is_predicted_as_inf(browser: Browser, tmp_path: Path) -> None:
    x = Value(1e-320, label="x")
    out = x.log()  # d log(x)/dx = 1/x overflows: inf
    out.label = "out"
    assert out.local_grads == (math.inf,)
    browser.open(render_steps(out, tmp_path / "inf.html"))
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(1)")
    for guess, right in (("1e308", "false"), ("-inf", "false"), ("nan", "false"), ("inf", "true")):
        browser.type_into("#terms td.after input", guess)
        browser.press("Enter")
        if right == "false":
            assert browser.evaluate("document.querySelector('#terms td.after input').dataset.right") == right
    assert browser.evaluate("document.querySelectorAll('#terms input.prediction').length") == 0  # answered
    assert browser.evaluate(GRADS_X) == "grad inf"


GRADS_X = """[...document.querySelectorAll('#graph g.node')].find(g => g.querySelector('title').textContent === 'v1')
  .querySelector('text:last-of-type').textContent"""
