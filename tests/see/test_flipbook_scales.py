"""The flipbook's pictures say true things across frames, in headless Chromium.

- Ring and edge widths are on one scale for the whole run, the scale the legend states: the ring
  of a neuron is ``RING px * sqrt(||grad|| / top)`` with ``top`` the largest ||grad|| of the run,
  an edge ``EDGE px * |w| / top_w``. The oracle is the recorded run itself: the norms are computed
  here from the recorded grads and the network's layout, not read from the page.
- One meaning per colour: the colours of the network panel (weight signs) and those of the
  boundary panel (classes), as painted, are apart in hue; so are the loss panel's.
"""

from __future__ import annotations

import colorsys
import math
import re
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.see.flipbook import render_flipbook
from nn.record import TrainingRecorder
from tests.see.browser import Browser, needs_browser
from tests.see.test_flipbook_browser import record_run

pytestmark = [pytest.mark.slow, needs_browser]


def fmt(x: float) -> str:
    """The page's number format (fmt in flipbook_template.html)."""
    return (
        f"{x:.2e}".replace("e-0", "e-").replace("e+0", "e+")
        if x and (abs(x) < 1e-3 or abs(x) >= 1e4)
        else f"{x:.3f}"
    )


def neuron_norms(run: dict[str, Any], k: int) -> list[float]:
    """||grad|| of each neuron's weights and bias at frame k, layer by layer."""
    grads = run["frames"][k]["grads"]
    return [
        math.hypot(*(grads[p] for p in [*unit["w"], unit["b"]] if p is not None))
        for layer in run["layers"]
        for unit in layer
    ]


RINGS = (
    "[...document.querySelectorAll('#net circle.ring')].map((c) => Number(c.getAttribute('stroke-width')))"
)
EDGES = "[...document.querySelectorAll('#net line.edge')].map((l) => Number(l.getAttribute('stroke-width')))"


def test_ring_and_edge_widths_keep_one_scale_for_the_whole_run(browser: Browser, tmp_path: Path) -> None:
    run, _ = record_run(30, [4])
    last = len(run["frames"]) - 1
    first_norms, last_norms = neuron_norms(run, 0), neuron_norms(run, last)
    # the run of this test: the output neuron's gradient shrinks to under a third
    assert last_norms[-1] < first_norms[-1] / 3
    top = max(n for k in range(last + 1) for n in neuron_norms(run, k))
    edge_params = [p for layer in run["layers"] for unit in layer for p in unit["w"]]
    top_w = max(abs(f["params"][p]) for f in run["frames"] for p in edge_params)

    browser.open(render_flipbook(run, tmp_path / "run.html"))
    # a shrinking gradient is seen to shrink, as the square root of the recorded norms
    first = browser.evaluate(RINGS)
    browser.evaluate(f"window.chainrule.show({last})")
    late = browser.evaluate(RINGS)
    assert len(first) == len(late) == len(first_norms)
    assert late[-1] < first[-1]
    ratio = math.sqrt(last_norms[-1] / first_norms[-1])
    assert late[-1] / first[-1] == pytest.approx(ratio, abs=0.01 / first[-1])

    legend = browser.evaluate("document.getElementById('ring-legend').textContent")
    found = re.search(r"width = ([\d.]+) px × √\(‖∇‖ / ([^)]+)\), the largest in the run", legend)
    assert found, legend
    ring_px, stated_top = float(found.group(1)), found.group(2)
    assert stated_top == fmt(top) and ring_px > 0
    edge_legend = browser.evaluate("document.getElementById('edge-legend').textContent")
    found = re.search(
        r"width = ([\d.]+) px × \|weight\| / ([^,]+), the largest \|weight\| in the run", edge_legend
    )
    assert found, edge_legend
    edge_px, stated_top_w = float(found.group(1)), found.group(2)
    assert stated_top_w == fmt(top_w)

    for k in (0, last // 2, last):
        browser.evaluate(f"window.chainrule.show({k})")
        rings, edges = browser.evaluate(RINGS), browser.evaluate(EDGES)
        norms = neuron_norms(run, k)
        assert rings == pytest.approx([ring_px * math.sqrt(n / top) for n in norms], abs=0.006)
        params = run["frames"][k]["params"]
        assert edges == pytest.approx([edge_px * abs(params[p]) / top_w for p in edge_params], abs=0.006)
        # the legend is the run's: the same at every frame
        assert browser.evaluate("document.getElementById('ring-legend').textContent") == legend
    assert browser.console_errors() == []


PANEL_COLOURS = """((panel) => {
  const box = document.getElementById(panel), out = {};
  const add = (text, n) => {
    const m = /rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)/.exec(text);
    if (m && (m[4] === undefined || Number(m[4]) > 0)) { const k = m.slice(1, 4).join(","); out[k] = (out[k] || 0) + n; }
  };
  for (const e of box.querySelectorAll("*")) {
    const s = getComputedStyle(e);
    if (e.closest("svg") && !["line", "circle", "rect", "polyline", "path", "text"].includes(e.tagName)) continue;
    for (const prop of ["stroke", "fill", "color", "backgroundColor", "borderTopColor"]) add(s[prop], 1000);
  }
  for (const c of box.querySelectorAll("canvas")) {  // every colour that covers 100 pixels or more
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, count = {};
    for (let i = 0; i < d.length; i += 4) { const k = d[i] + "," + d[i + 1] + "," + d[i + 2]; count[k] = (count[k] || 0) + 1; }
    for (const [k, n] of Object.entries(count)) if (n >= 100) out[k] = (out[k] || 0) + n;
  }
  return Object.keys(out);
})"""


def hues(colours: list[str]) -> list[float]:
    """The hue (degrees) of each colour that is a colour at all (not a grey: max - min >= 24 of 255)."""
    out = []
    for text in colours:
        r, g, b = (int(v) for v in text.split(","))
        if max(r, g, b) - min(r, g, b) >= 24:
            out.append(360.0 * colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)[0])
    return out


def hue_gap(a: list[float], b: list[float]) -> float:
    return min((min(abs(x - y), 360 - abs(x - y)) for x in a for y in b), default=360.0)


def record_blobs(steps: int) -> dict[str, Any]:
    X, y = nn.data.make_blobs(30, centers=3, cluster_std=0.7, center_box=(-5.0, 5.0), seed=1)
    model = nn.MLP(2, [4, 3], seed=1)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    recorder = TrainingRecorder(model, X, y, grid=12)
    for _ in range(steps):
        loss = nn.cross_entropy([model(x) for x in X], list(y))
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        optimizer.step()
    return recorder.as_dict()


@pytest.mark.parametrize("classes", [2, 3])
def test_a_colour_means_one_thing_on_the_page(browser: Browser, tmp_path: Path, classes: int) -> None:
    """Weight signs (network), classes (boundary) and the loss panel's marks: hues 30 degrees apart."""
    run = record_run(5, [4])[0] if classes == 2 else record_blobs(5)
    browser.open(render_flipbook(run, tmp_path / "run.html"))
    for k in range(len(run["frames"])):
        browser.evaluate(f"window.chainrule.show({k})")
        painted = {
            panel: browser.evaluate(f"{PANEL_COLOURS}('{panel}-box')")
            for panel in ("net", "boundary", "loss")
        }
        chromatic = {panel: {c for c in colours if hues([c])} for panel, colours in painted.items()}
        assert not chromatic["net"] & chromatic["boundary"]
        net, boundary, loss = (hues(painted[panel]) for panel in ("net", "boundary", "loss"))
        assert net and len(boundary) >= classes  # both panels do use colour
        assert hue_gap(net, boundary) >= 30, (
            k,
            sorted(set(map(round, net))),
            sorted(set(map(round, boundary))),
        )
        assert hue_gap(loss, boundary + net) >= 30, sorted(set(map(round, loss)))
    assert browser.console_errors() == []


def test_a_run_with_infinite_grads_and_a_model_not_drawn(browser: Browser, tmp_path: Path) -> None:
    """An infinite grad is drawn dashed at full width and the scale is the largest finite norm;
    a model whose parameters are not named as an MLP's gets no network, and the legend says so."""
    run, _ = record_run(3, [2])
    out = run["layers"][-1][0]
    run["frames"][1]["grads"][out["b"]] = math.inf
    finite_top = max(n for k in range(3) for n in neuron_norms(run, k) if math.isfinite(n))
    browser.open(render_flipbook(run, tmp_path / "inf.html"))
    legend = browser.evaluate("document.getElementById('ring-legend').textContent")
    assert f"√(‖∇‖ / {fmt(finite_top)})" in legend and "Dashed: not a finite number" in legend
    browser.evaluate("window.chainrule.show(1)")
    ring = browser.evaluate(
        "(() => { const c = [...document.querySelectorAll('#net circle.ring')].pop();"
        " return [c.getAttribute('stroke-width'), c.getAttribute('stroke-dasharray')]; })()"
    )
    px = float(re.search(r"width = ([\d.]+) px", legend).group(1))
    assert float(ring[0]) == pytest.approx(px, abs=0.006) and ring[1]
    assert browser.evaluate(
        "[...document.querySelectorAll('#net text.grad-label')].pop().textContent"
    ).endswith("Infinity")
    run["layers"] = []
    browser.open(render_flipbook(run, tmp_path / "flat.html"))
    assert "No network drawn" in browser.evaluate("document.getElementById('edge-legend').textContent")
    assert browser.evaluate("window.chainrule.show(2)") == 2
    assert browser.console_errors() == []
