"""The flipbook on the screens a class uses, measured in headless Chromium.

Every piece of text on the page is measured on screen (CSS px; an SVG text's font size times its
drawing's scale): at least 14 px on a projector or laptop (1920x1080, 1366x768, 1024x768), at
least 12 px on a phone (390x844), and presentation mode makes no text smaller. On the phone the
page is one column: the network drawing first, the other panels below it, nothing wider than
the screen. No text is cut off by its drawing's edge, and no two of the network's labels overlap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autograd.see.flipbook import render_flipbook
from tests.see.browser import Browser, needs_browser, start_browser
from tests.see.test_flipbook_browser import record_run

pytestmark = [pytest.mark.slow, needs_browser]

TEXT_PX = """(() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || e.closest("script, style, [hidden]")) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (!range.getClientRects().length) continue;  // not on screen
    let px = parseFloat(getComputedStyle(e).fontSize);
    if (e instanceof SVGElement) px *= e.getScreenCTM().a;
    out.push([e.id || e.getAttribute("class") || e.tagName, n.textContent.trim().slice(0, 24), px]);
  }
  return out;
})()"""

CLIPPED = """(() => [...document.querySelectorAll("svg text")].filter((t) => {
  const box = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
  return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
}).map((t) => t.textContent))()"""

OVERLAPS = """(() => {
  const boxes = [...document.querySelectorAll("#net text")].map((t) => t.getBoundingClientRect());
  let n = 0;
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
  }));
  return n;
})()"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run, _ = record_run(4, [16, 16])  # the moons network of chainrule train: 2 inputs, 16, 16, 1
    return render_flipbook(
        run, tmp_path_factory.mktemp("screens") / "run.html", title="moons: hinge loss, sgd"
    )


def texts(browser: Browser) -> list[Any]:
    found = browser.evaluate(TEXT_PX)
    assert len(found) > 40  # the header, the panels' titles and legends, 35 network labels, the loss's
    return found


@pytest.mark.parametrize("size", ["1920,1080", "1366,768", "1024,768"])
def test_every_text_is_14_px_or_more_and_presenting_makes_none_smaller(page: Path, size: str) -> None:
    for browser in start_browser(size):
        browser.open(page)
        for k in (0, 3):
            browser.evaluate(f"window.chainrule.show({k})")
            normal = texts(browser)
            small = [t for t in normal if t[2] < 14.0 - 1e-6]
            assert not small, small
            assert browser.evaluate(CLIPPED) == []
            assert browser.evaluate(OVERLAPS) == 0
        browser.press("p")
        presenting = texts(browser)
        assert [t[0] for t in presenting] == [t[0] for t in normal]
        smaller = [(a, b[2]) for a, b in zip(normal, presenting) if b[2] < a[2] - 1e-6]
        assert not smaller, smaller
        assert min(t[2] for t in presenting if t[0] == "grad-label") >= 20.0 - 1e-6
        assert browser.evaluate(CLIPPED) == []
        assert browser.evaluate(OVERLAPS) == 0
        browser.press("p")
        assert texts(browser) == normal
        assert browser.console_errors() == []


def test_a_phone_gets_one_column_drawing_first_text_12_px_or_more(page: Path) -> None:
    for browser in start_browser("390,844"):
        browser.open(page)
        found = texts(browser)
        small = [t for t in found if t[2] < 12.0 - 1e-6]
        assert not small, small
        assert browser.evaluate(CLIPPED) == []
        assert browser.evaluate(OVERLAPS) == 0
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
        boxes = browser.evaluate(
            """Object.fromEntries(["net", "edge-legend", "loss", "boundary"].map((id) => {
                 const r = document.getElementById(id).getBoundingClientRect();
                 return [id, [r.left, r.top, r.width, r.height]]; }))"""
        )
        net, legend, loss, boundary = (boxes[k] for k in ("net", "edge-legend", "loss", "boundary"))
        assert net[2] >= 0.9 * 390 and net[3] >= 0.5 * 844  # the drawing first, most of the screen
        assert net[1] < 250 and net[1] + net[3] <= legend[1] <= loss[1] <= boundary[1]
        assert loss[2] >= 0.9 * 390 and boundary[2] >= 0.9 * 390 and boundary[3] >= 300
        browser.press("p")
        presenting = texts(browser)
        smaller = [(a, b[2]) for a, b in zip(found, presenting) if b[2] < a[2] - 1e-6]
        assert not smaller, smaller
        assert browser.console_errors() == []
        # the same as a phone's own browser shows it (the page's viewport meta, 3 device pixels a px)
        browser.send(
            "Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=3, mobile=True
        )
        browser.open(page)
        assert min(t[2] for t in texts(browser)) >= 12.0 - 1e-6
        assert browser.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [390, 390]
        assert browser.evaluate(CLIPPED) == [] and browser.evaluate(OVERLAPS) == 0
