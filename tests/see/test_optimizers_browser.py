"""The optimizers page in headless Chromium: the numbers it shows are the recorded ones.

``nn.compare_optimizers`` records a short XOR run of every optimizer (this test may use ``nn``;
the page module never imports it). At a step chosen with the page's own slider and a parameter
chosen in its own list, each row must show that step's gradient, the optimizer's state after it,
Adam's m̂ = m / (1 - β₁ᵗ) and v̂ = v / (1 - β₂ᵗ) computed here by hand, and a step equal to the
recorded change of the parameter. Text must be at least 14 px at 1920x1080 and 1366x768, and the
table must fit its panel.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.see.optimizers import render_optimizers
from tests.oracles import close
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


def xor_comparison(steps: int = 20, grid: int = 12, hidden: int = 3) -> dict[str, Any]:
    X, y = nn.data.xor()
    model = nn.MLP(2, [hidden, 1], activation="tanh", seed=2)
    return nn.compare_optimizers(
        model, lambda: nn.binary_cross_entropy_with_logits([model(x) for x in X], y), steps=steps, grid=grid
    )


def test_scrub_and_select_show_each_optimizers_recorded_state(browser: Browser, tmp_path: Path) -> None:
    comparison = xor_comparison()
    page = render_optimizers(
        comparison, tmp_path / "opt.html", "XOR </script><script>window.__pwned=1</script>"
    )
    browser.open(page)
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("window.chainrule.frames()") == 21
    # the page's own slider, then one arrow key: step 7
    browser.evaluate(
        "(() => { const s = document.getElementById('scrub'); s.value = '6';"
        " s.dispatchEvent(new Event('input')); })()"
    )
    browser.evaluate("document.activeElement.blur()")
    browser.press("ArrowRight")
    assert browser.evaluate("window.chainrule.current()") == 7
    name = "layers.0.neurons.1.w.0"
    i = comparison["names"].index(name)
    browser.evaluate(
        f"(() => {{ const s = document.getElementById('param'); s.value = '{i}';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    assert browser.evaluate("window.chainrule.selected()") == name
    table = browser.evaluate("document.querySelector('#state tbody').innerText")
    for run in comparison["runs"]:
        row = browser.evaluate(f"window.chainrule.row({run['name']!r})")
        g = run["grads"][6][i]
        recorded = run["params"][7][i] - run["params"][6][i]
        assert close(row["g"], g) and close(row["recorded"], recorded)
        assert close(row["step"], recorded), (run["name"], row["step"], recorded)  # the rule gives the change
        state = run["state"][6]
        if run["optimizer"] == "Adam":
            (b1, b2), t = run["hyper"]["betas"], state["step"][i]
            assert t == 7
            m, v = state["exp_avg"][i], state["exp_avg_sq"][i]
            assert close(row["m"], m) and close(row["v"], v)
            assert close(row["m_hat"], m / (1 - b1**7)) and close(row["v_hat"], v / (1 - b2**7))
            assert f"m̂ = {row['m_hat']:.4g}"[:8].replace("-", "−") in table
        if "momentum_buffer" in state:
            assert close(row["b"], state["momentum_buffer"][i])
        if "square_avg" in state:
            assert close(row["s"], state["square_avg"][i])
        assert run["name"] in table
    assert "at the start" not in table
    browser.evaluate("window.chainrule.show(0)")
    assert browser.evaluate("document.querySelector('#state tbody').innerText").count("at the start") == 5
    assert browser.console_errors() == []
    browser.screenshot("optimizers-xor.png")


TEXT_PX = """(() => {
  const sizes = [];
  for (const e of document.querySelectorAll('td, th, .legend, label, select, h1, h2, #status, .key')) {
    if (e.offsetParent !== null && e.textContent.trim()) sizes.push(parseFloat(getComputedStyle(e).fontSize));
  }
  for (const t of document.querySelectorAll('svg text')) {
    sizes.push(t.getScreenCTM().a * parseFloat(t.getAttribute('font-size')));
  }
  return sizes;
})()"""

FITS = """(() => {
  const box = document.getElementById('state-box'), table = document.getElementById('state');
  return table.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5
    && document.documentElement.scrollWidth <= window.innerWidth;
})()"""


@pytest.mark.parametrize("size", ["1920,1080", "1366,768"])
def test_legible_on_a_projector_and_a_laptop(tmp_path: Path, size: str) -> None:
    comparison = xor_comparison(steps=40, grid=20, hidden=4)
    page = render_optimizers(comparison, tmp_path / "opt.html", "XOR, MLP(2, [4, 1]) tanh")
    for browser in start_browser(size):
        browser.open(page)
        browser.evaluate("window.chainrule.show(25)")
        sizes = browser.evaluate(TEXT_PX)
        assert len(sizes) > 20 and min(sizes) >= 14.0, min(sizes)
        assert browser.evaluate(FITS)
        browser.press("p")
        assert min(browser.evaluate(TEXT_PX)) >= 14.0
        browser.press("p")
        assert browser.console_errors() == []
        browser.screenshot(f"optimizers-{size.replace(',', 'x')}.png")


def test_predict_hides_the_step_until_an_answer_is_typed(browser: Browser, tmp_path: Path) -> None:
    import re

    comparison = xor_comparison()
    browser.open(render_optimizers(comparison, tmp_path / "predict.html"))
    browser.evaluate("window.chainrule.show(5)")
    name = "layers.0.neurons.0.w.1"
    i = comparison["names"].index(name)
    browser.evaluate(f"window.chainrule.select({name!r})")
    browser.evaluate("document.getElementById('predict').click()")
    assert browser.evaluate("window.chainrule.predicting()")
    table = browser.evaluate("document.querySelector('#state tbody').innerText")
    assert "Δp = −lr" not in table and "recorded change" not in table and "m̂ =" not in table
    assert browser.evaluate("document.querySelectorAll('input.guess').length") == 5
    adam = next(r for r in comparison["runs"] if r["name"] == "adam")
    m_before = float(re.search(r"before: m = (\S+),", table).group(1).replace("−", "-"))
    assert math.isclose(m_before, adam["state"][3]["exp_avg"][i], rel_tol=1e-3)  # after step 4
    assert "t = 5" in table
    true = adam["params"][5][i] - adam["params"][4][i]
    browser.type_into("input.guess[data-run='4']", f"{true:.6g}")
    browser.evaluate("document.querySelector(\"input.guess[data-run='4']\").dispatchEvent(new Event('change'))")
    sgd = comparison["runs"][0]
    wrong = 3 * (sgd["params"][5][i] - sgd["params"][4][i]) + 0.01
    assert browser.evaluate(f"window.chainrule.answer('sgd', '{wrong!r}')") is False
    table = browser.evaluate("document.querySelector('#state tbody').innerText")
    assert "right: t = 5;" in table and "Δp = −lr·m̂/(√v̂ + ε)" in table
    assert "not right (you typed" in table and "Δp = −lr·g" in table
    assert browser.evaluate("document.querySelectorAll('input.guess').length") == 3
    assert browser.evaluate("document.querySelectorAll('td.right').length") == 1
    browser.screenshot("optimizers-predict.png")
    browser.evaluate("document.getElementById('predict').click()")
    assert "recorded change" in browser.evaluate("document.querySelector('#state tbody').innerText")
    assert browser.console_errors() == []


def test_the_step_bars_are_the_steps_sizes(browser: Browser, tmp_path: Path) -> None:
    comparison = xor_comparison()
    browser.open(render_optimizers(comparison, tmp_path / "bars.html"))
    browser.evaluate("window.chainrule.show(3)")
    name = comparison["names"][0]
    browser.evaluate(f"window.chainrule.select({name!r})")
    shares = browser.evaluate("[...document.querySelectorAll('td[data-share]')].map((c) => Number(c.dataset.share))")
    steps = [abs(r["params"][3][0] - r["params"][2][0]) for r in comparison["runs"]]
    assert shares == pytest.approx([s / max(steps) for s in steps], abs=1e-4)
    assert max(shares) == 1.0


def test_a_prediction_is_read_as_a_decimal_number_only(browser: Browser, tmp_path: Path) -> None:
    """Number() would read "0x10" as 16 and "" as 0, and the page would then say "you typed 16";
    such text is not graded, and the box says it is not a number."""
    comparison = xor_comparison()
    browser.open(render_optimizers(comparison, tmp_path / "decimal.html"))
    browser.evaluate("window.chainrule.show(5)")
    name = comparison["names"][0]
    i = comparison["names"].index(name)
    browser.evaluate(f"window.chainrule.select({name!r})")
    browser.evaluate("document.getElementById('predict').click()")
    for text in ("0x10", "0b1", "Infinity", "1e999", "", "  ", "1,5", "--1"):
        assert browser.evaluate(f"window.chainrule.answer('sgd', {text!r})") is None, text
    browser.type_into("input.guess[data-run='0']", "0x10")
    browser.evaluate("document.querySelector(\"input.guess[data-run='0']\").dispatchEvent(new Event('change'))")
    assert browser.evaluate("document.querySelector(\"input.guess[data-run='0']\").classList.contains('bad')")
    assert "not a number" in browser.evaluate("document.querySelector(\"input.guess[data-run='0']\").title")
    assert browser.evaluate("document.getElementById('state-note').textContent").startswith("“0x10” is not a number")
    assert browser.evaluate("document.querySelectorAll('input.guess').length") == 5  # nothing graded
    browser.screenshot("optimizers-not-a-number.png")
    sgd = comparison["runs"][0]
    true = sgd["params"][5][i] - sgd["params"][4][i]
    typed = f"{true:.6e}".replace("-", "−")  # a Unicode minus and an exponent are a number
    assert browser.evaluate(f"window.chainrule.answer('sgd', {typed!r})") is True
    assert browser.console_errors() == []
