"""The live page laid out in the browser by viz-js: how long its layout and a slider redraw take.

Run ``python -m tests.see.browser_layout_timing`` (needs Chromium and Graphviz, as the browser
tests). It writes the lesson's neuron page with ``layout="browser"`` (with and without edge
labels), opens it in headless Chromium at 1920 x 1080 and prints, in ms, medians of 101 runs:
starting viz-js (``Viz.instance()``, once), laying the chosen layout out (``renderSVGElement``), a
slider redraw as the page does it (``window.chainrule.set``: forward, backward, every number
rewritten, then a forced style and layout of the document; the worst run too), and a redraw that
also lays the graph out again (which the page does not do: its layout stays put). A measurement,
not a test: the numbers depend on the machine and its load.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograd import render_steps
from tests.see.browser import Browser
from tests.see.test_page_browser import lecture_neuron

MEASURE = """(async () => {
  const t0 = performance.now(); const viz = await Viz.instance(); const instance = performance.now() - t0;
  const dots = JSON.parse(document.getElementById('cr-dot').textContent);
  const k = Number(document.querySelector('#canvas svg').dataset.layout);
  const layout = [], redraw = [], relayout = [];
  for (let i = 0; i < 101; i++) {
    const a = performance.now(); viz.renderSVGElement(dots[k]); layout.push(performance.now() - a);
  }
  for (let i = 0; i < 101; i++) {
    const a = performance.now(); window.chainrule.set('x1', 2 + 0.01 * (i % 50));
    document.querySelector('#canvas svg').getBBox(); document.body.offsetHeight; redraw.push(performance.now() - a);
  }
  for (let i = 0; i < 101; i++) {
    const a = performance.now(); window.chainrule.set('x1', 2 + 0.01 * (i % 50)); viz.renderSVGElement(dots[k]);
    document.body.offsetHeight; relayout.push(performance.now() - a);
  }
  const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
  return {start_viz: instance, layout: median(layout), redraw: median(redraw), redraw_worst: Math.max(...redraw),
          redraw_with_layout: median(relayout)};
})()"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="chainrule-timing-") as folder:
        profile = Path(folder, "profile")
        profile.mkdir()
        browser = Browser(profile)
        try:
            for edge_labels in (False, True):
                page = render_steps(
                    lecture_neuron(),
                    Path(folder, f"neuron-{edge_labels}.html"),
                    layout="browser",
                    edge_labels=edge_labels,
                )
                browser.open(page)
                times = browser.evaluate(MEASURE, await_promise=True)
                shown = ", ".join(f"{name} {ms:.1f}" for name, ms in times.items())
                print(f"lesson's neuron, edge_labels={edge_labels}: {shown} (ms)")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
