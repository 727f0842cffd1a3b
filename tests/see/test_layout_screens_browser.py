"""The lesson's live pages on the screens a class uses, measured in headless Chromium.

``chainrule lesson`` writes the neuron's step page and ``chainrule graph ... --steps`` a page of
an expression. On a 1920 × 1080 or 1366 × 768 projector each opens with the whole graph in view
and every text on screen at least 14 px; on 1024 × 768 it opens either whole or zoomed in on the
current step with its text at least 14 px and a note on the page saying that the rest is outside
the view. Presentation mode never makes a text smaller. On a phone (390 × 844) the graph comes
first, the panel below it, and no text on screen is under 12 px. Sizes are what the screen shows:
an SVG text's font size times its ``getScreenCTM()`` scale, an HTML text's computed font size,
boxes from ``getBoundingClientRect()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]

# What the screen shows: the graph's boxes, the size of every text on screen, the note.
SHOWN = """(() => {
  const v = document.getElementById('graph').getBoundingClientRect();
  const seen = (r) => r.width > 0 && r.height > 0 && r.right > v.left && r.left < v.right && r.bottom > v.top && r.top < v.bottom;
  const inside = (r) => r.left >= v.left - 0.5 && r.right <= v.right + 0.5 && r.top >= v.top - 0.5 && r.bottom <= v.bottom + 0.5;
  const svgPx = (t) => { const m = t.getScreenCTM(); return parseFloat(t.getAttribute('font-size')) * Math.hypot(m.a, m.b); };
  const texts = [...document.querySelectorAll('#graph text')].filter(t => t.textContent.trim());
  const html = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg, script, template, [hidden]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height && r.bottom > 0 && r.top < innerHeight) html.push([el.tagName + ' ' + n.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(el).fontSize)]);
  }
  for (const el of document.querySelectorAll('input[type=text], button')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height && r.bottom > 0 && r.top < innerHeight) html.push([el.tagName + ' ' + (el.id || el.value), parseFloat(getComputedStyle(el).fontSize)]);
  }
  const note = document.getElementById('view-note');
  const side = document.getElementById('side').getBoundingClientRect();
  return {
    view: [v.left, v.top, v.width, v.height], side: [side.left, side.top, side.width, side.height],
    boxes: [...document.querySelectorAll('#graph g.node')].map(g => inside(g.getBoundingClientRect())),
    current: [...document.querySelectorAll('#graph g.cr-current')].map(g => inside(g.getBoundingClientRect())),
    graphText: Math.min(...texts.filter(t => seen(t.getBoundingClientRect())).map(svgPx)),
    anyGraphText: Math.min(...texts.map(svgPx)),
    html: html.sort((a, b) => a[1] - b[1]).slice(0, 3),
    note: note && !note.hidden && note.getBoundingClientRect().height > 0 ? note.textContent : null,
    pageWidth: document.documentElement.scrollWidth, width: innerWidth,
  };
})()"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages as the lesson and the command line write them."""
    from autograd import render_steps
    from chainrule.cli import main
    from chainrule.expression import build_expression
    from chainrule.lesson import _draw_pictures

    out = tmp_path_factory.mktemp("pages")
    _draw_pictures(out)  # what `chainrule lesson` writes: neuron-steps.html among the pictures
    neuron = ["tanh(w1*x1 + w2*x2 + b)", "x1=2", "w1=-3", "x2=0", "w2=1", "b=6.8813735870195432"]
    assert main(["graph", *neuron, "-o", str(out / "g.svg"), "--steps", str(out / "graph.html")]) == 0
    labels = ["--edge-labels", "--steps", str(out / "graph-labels.html")]
    assert main(["graph", *neuron, "-o", str(out / "g2.svg"), *labels]) == 0
    values = {name: float(x) for name, x in (pair.split("=") for pair in neuron[1:])}
    root, _ = build_expression(neuron[0], values)
    render_steps(root, out / "edge-labels.html", edge_labels=True)  # as docs/teaching.md writes it
    return {
        "lesson": out / "neuron-steps.html",
        "graph": out / "graph.html",
        "graph --edge-labels": out / "graph-labels.html",
        "render_steps edge_labels": out / "edge-labels.html",
    }


def browser_at(size: str, mobile: bool = False) -> Iterator[Browser]:
    for browser in start_browser(size):
        if mobile:  # a phone: the page's <meta name=viewport> decides its width
            browser.set_viewport(size, mobile=True)
        yield browser


def check_open(shown: dict[str, Any], what: str, least: float, whole: bool) -> None:
    """The page as it opens: its texts readable; the whole graph in view, or a note saying it is not."""
    assert shown["graphText"] >= least * 0.999, f"{what}: graph text {shown['graphText']:.1f} px"
    assert shown["html"][0][1] >= least, f"{what}: smallest page text {shown['html']}"
    if all(shown["boxes"]):
        assert shown["note"] is None, f"{what}: the whole graph is in view, yet the note says otherwise"
    else:
        assert not whole, (
            f"{what}: {shown['boxes'].count(False)} of {len(shown['boxes'])} shapes outside the view"
        )
        assert shown["note"] and "outside this view" in shown["note"], f"{what}: cut off without saying so"
        assert shown["current"] and all(shown["current"]), f"{what}: the current step is not in view"


def check_presentation(browser: Browser, what: str) -> dict[str, Any]:
    """Presentation mode (p) makes no text smaller, in the graph or in the panel; p again leaves it."""
    before = browser.evaluate(SHOWN)
    browser.press("p")
    after = browser.evaluate(SHOWN)
    browser.press("p")
    assert browser.evaluate("document.documentElement.classList.contains('present')") is False
    assert after["anyGraphText"] >= before["anyGraphText"] * 0.999, (
        f"{what}: presentation mode made the graph's text smaller "
        f"({before['anyGraphText']:.1f} -> {after['anyGraphText']:.1f} px)"
    )
    assert after["html"][0][1] >= before["html"][0][1], (
        f"{what}: presentation mode made the page's text smaller"
    )
    if not all(after["boxes"]):
        assert after["note"], f"{what}: presentation mode cut the graph off without saying so"
    return after


def run_screen(size: str, pages: dict[str, Path], whole: tuple[str, ...]) -> None:
    for browser in browser_at(size):
        for name, page in pages.items():
            what = f"{name} page at {size.replace(',', 'x')}"
            browser.open(page)
            shown = browser.evaluate(SHOWN)
            assert shown["view"][2] > 0 and shown["view"][3] > 0, f"{what}: no graph"
            check_open(shown, what, 14.0, name in whole)
            browser.screenshot(f"screen-{size.replace(',', 'x')}-{name.replace(' --', '-')}.png")
            check_presentation(browser, what)
            if not all(shown["boxes"]):  # the rest is reachable: fit shows it all, and the note goes
                browser.evaluate("document.getElementById('fit').click()")
                fitted = browser.evaluate(SHOWN)
                assert all(fitted["boxes"]) and fitted["note"] is None, f"{what}: fit does not show it all"


def test_1920x1080_whole_graphs_readable_and_presentation_mode_never_smaller(pages: dict[str, Path]) -> None:
    # presentation mode shrank the graph panel, and its text with it (edge labels 14.1 -> 12.4 px)
    # (with edge labels the neuron needs 1344 px at 14 px, more than the 1295 px it gets: it opens
    # on the current step and says so)
    run_screen("1920,1080", pages, whole=("lesson", "graph"))


def test_1366x768_opens_with_the_whole_lesson_graph(pages: dict[str, Path]) -> None:
    # the neuron page opened cut off: 5 of 15 shapes outside the view, the lesson's loss off the bottom
    run_screen("1366,768", pages, whole=("lesson", "graph"))


def test_1024x768_opens_whole_or_on_the_current_step_and_says_so(pages: dict[str, Path]) -> None:
    run_screen("1024,768", pages, whole=())


def test_a_phone_shows_the_graph_first_and_the_panel_below(pages: dict[str, Path]) -> None:
    # the graph page showed no graph at 390 x 844: the side panel took the whole width
    for browser in browser_at("390,844", mobile=True):
        for name, page in pages.items():
            what = f"{name} page on a 390x844 phone"
            browser.open(page)
            shown = browser.evaluate(SHOWN)
            (_, top, width, height), side = shown["view"], shown["side"]
            assert shown["width"] == 390 and shown["pageWidth"] <= 390, (
                f"{what}: the page is wider than the phone"
            )
            assert width >= 0.9 * 390 and height >= 250, f"{what}: the graph is {width} x {height} px"
            assert side[1] >= top + height - 1 and side[2] >= 0.9 * 390, (
                f"{what}: the panel is not below the graph"
            )
            check_open(shown, what, 12.0, whole=False)
            browser.screenshot(f"screen-390x844-{name.replace(' --', '-')}.png")
