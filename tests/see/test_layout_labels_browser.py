"""No label overlaps another and no number breaks across lines, whatever the learner types.

The live page's numbers change with every edit: ``0.5000`` becomes ``1.045e-08`` or
``-1234.5678``. In headless Chromium the test types such values into the inputs, steps through
the backward pass and, after each edit and at each step looked at, collects the on-screen box
of every text in the graph (the fields of each value's box, the op ovals, the edge labels) and
of the text in every cell of the panel's table, and checks that no two of them overlap, that
each box's texts stay inside the box, and that no cell's number is broken across two lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd import Value, render_steps
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]

# Every text's box on screen, in px: graph texts (with the box they belong to), panel cells.
BOXES = """(() => {
  const rect = (r) => [r.left, r.top, r.right, r.bottom];
  const graph = [];
  for (const t of document.querySelectorAll('#graph text')) {
    if (!t.textContent.trim() || t.closest('.cr-error-note')) continue;
    const g = t.closest('g.node, g.edge, g.cluster');
    const shape = g && g.classList.contains('node') ? g.querySelector('polygon, ellipse') : null;
    graph.push({text: t.textContent, rect: rect(t.getBoundingClientRect()),
                owner: g ? g.querySelector('title').textContent : '',
                shape: shape ? rect(shape.getBoundingClientRect()) : null});
  }
  const cells = [...document.querySelectorAll('#terms td, #terms th')].filter(c => c.textContent.trim()).map(c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return {text: c.textContent, rect: rect(range.getBoundingClientRect()), lines: lines.size,
            number: c.tagName === 'TD' && /[0-9]/.test(c.textContent) && !c.classList.contains('name')};
  });
  return {graph, cells};
})()"""


EDGE_TEXTS = "[...document.querySelectorAll('#graph g.edge text')].map(t => t.textContent)"


def overlapping(items: list[dict], slack: float = 0.5) -> list[tuple[str, str]]:
    """The pairs of items whose rectangles overlap by more than ``slack`` px each way."""
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["rect"], b["rect"]
            if min(r1, r2) - max(l1, l2) > slack and min(b1, b2) - max(t1, t2) > slack:
                pairs.append((a["text"], b["text"]))
    return pairs


def outside_their_box(items: list[dict], slack: float = 0.5) -> list[str]:
    out = []
    for item in items:
        if item["shape"] is None:
            continue
        (l1, t1, r1, b1), (l2, t2, r2, b2) = item["rect"], item["shape"]
        if l1 < l2 - slack or r1 > r2 + slack or t1 < t2 - slack or b1 > b2 + slack:
            out.append(item["text"])
    return out


def check_labels(browser: Browser, when: str) -> None:
    boxes = browser.evaluate(BOXES)
    assert (boxes["graph"] and boxes["cells"]) or browser.evaluate("window.chainrule.position()") == 0
    assert overlapping(boxes["graph"]) == [], f"graph labels overlap {when}"
    assert outside_their_box(boxes["graph"]) == [], f"texts stick out of their box {when}"
    assert overlapping(boxes["cells"]) == [], f"panel cells overlap {when}"
    broken = [c["text"] for c in boxes["cells"] if c["number"] and c["lines"] > 1]
    assert broken == [], f"numbers broken across lines {when}"


def lesson_like_neuron() -> Value:
    """A sigmoid neuron on two inputs under a squared error, as the lesson's picture draws it."""
    x1, x2 = Value(0.0, label="x1"), Value(1.0, label="x2")
    w1, w2, b = Value(1.6243, label="w1"), Value(-0.6118, label="w2"), Value(0.0, label="b")
    z = x1 * w1 + x2 * w2 + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    loss = (a - 1.0) ** 2
    loss.label = "loss"
    return loss


EDITS = [  # what a learner types, and what it does to the numbers on the page
    ("b", 18.0),  # a saturates: grads like -1.332e-14, contributions like -8.875e-29
    ("x1", -1234.5678),  # a wide negative number in a box and on its edge
    ("w1", -0.0123456),  # z = 32.6: every grad below a is near 1e-29, on every edge
    ("w2", -0.000123456),  # tiny and negative
    ("x2", 98765.4321),  # five digits before the point
    ("b", -18.0),
    ("x1", -987654.321),  # the widest number the boxes write: -987654.3210
    ("w2", -123456.789),
    ("w1", 1e-300),  # a three-digit exponent: 1.000e-300
]


@pytest.mark.parametrize("edge_labels", [True, False])
@pytest.mark.parametrize("size", ["1920,1080", "1366,768"])  # the page keeps another layout at 1366
def test_no_label_overlaps_and_no_number_breaks_after_edits(
    tmp_path: Path, edge_labels: bool, size: str
) -> None:
    page = render_steps(lesson_like_neuron(), tmp_path / "edits.html", edge_labels=edge_labels)
    for browser in start_browser(size):
        check_edits(browser, page, edge_labels)
        browser.screenshot(f"labels-after-edits-{size.replace(',', 'x')}-{edge_labels}.png")


def check_edits(browser: Browser, page: Path, edge_labels: bool) -> None:
    """Types EDITS into the page one by one; after each, looks at three steps."""
    browser.open(page)
    steps = browser.evaluate("window.chainrule.steps()")
    check_labels(browser, "as the page opens")
    at_open = browser.evaluate(EDGE_TEXTS)
    for name, x in EDITS:
        browser.evaluate(f"window.chainrule.set({name!r}, {x!r})")
        if name == "b" and x == 18.0 and edge_labels:
            # every grad below the root changed, so every label local × upstream = contribution
            # did, in any layout (a compact one draws the edges straight into the boxes)
            browser.evaluate(f"window.chainrule.step({steps})")
            now = browser.evaluate(EDGE_TEXTS)
            assert len(now) == len(at_open) > 0
            unchanged = [a for a, b in zip(at_open, now) if a == b]
            assert unchanged == ["0.0000 × 1.0000 = 0.0000"]  # only the exponent 2's, into the root
        for position in (steps, steps // 2, 1):
            browser.evaluate(f"window.chainrule.step({position})")
            check_labels(browser, f"after {name} = {x}, at step {position}")


def test_numbers_stay_inside_narrow_boxes_after_edits(tmp_path: Path) -> None:
    # A graph small enough to be drawn top to bottom with ovals at 1920x1080: its boxes are as
    # narrow as 'grad 0.0000'. 'grad -414789.4732' stuck out of x's box; numbers of 1e5 and more
    # are written 4.148e+05 (at most 11 characters, the room the page's labels have).
    x, y, z = Value(2.0, label="x"), Value(-3.0, label="y"), Value(1.0, label="z")
    out = (x * y + z).tanh()
    out.label = "out"
    edits = [("x", -987654.321), ("y", 1e-300), ("z", -123456.789), ("y", -99999.9999), ("x", 0.001234)]
    for edge_labels in (True, False):
        page = render_steps(out, tmp_path / f"small-{edge_labels}.html", edge_labels=edge_labels)
        for browser in start_browser("1920,1080"):
            browser.open(page)
            for name, value in edits:
                browser.evaluate(f"window.chainrule.set({name!r}, {value!r})")
                for position in (4, 2, 1):
                    browser.evaluate(f"window.chainrule.step({position})")
                    check_labels(browser, f"after {name} = {value}, at step {position}")
