"""Make the screenshots of docs/teaching.md, and time the flipbook in Chromium.

    python docs/make_teaching_pictures.py            # writes docs/teaching/*.png, prints timings
    python docs/make_teaching_pictures.py live       # only the live graph page's pictures
    python docs/make_teaching_pictures.py flipbook   # only the flipbook's, and its timings

Needs what the tests need: Graphviz, Debian's ``chromium`` and ``websocket-client`` (the dev
extra). The pages are made by the project itself (``render_steps``, ``chainrule train
--flipbook``'s recorder and ``render_flipbook``), opened in headless Chromium at 1920x1080 and
driven through their own controls and ``window.chainrule``.

Timings printed (the medians and the worst of each):
- load: from navigation start to the load event, for the flipbook of 100 steps of moons
  with ``MLP(2, [16, 16, 1])`` (as ``chainrule train moons --flipbook`` writes it);
- per frame, script: ``chainrule.show(k)`` plus a forced layout, for every frame;
- per frame, painted: the interval between animation frames while showing one frame per
  animation frame (60 per second means no visible lag).
"""

from __future__ import annotations

import base64
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn  # noqa: E402
from autograd import Value, render_flipbook, render_steps  # noqa: E402
from nn.record import TrainingRecorder  # noqa: E402
from tests.see.browser import Browser  # noqa: E402

OUT = ROOT / "docs" / "teaching"


def neuron() -> Value:
    """micrograd's neuron: o = tanh(x1 w1 + x2 w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def moons_run() -> dict[str, object]:
    """100 steps of moons, as ``chainrule train moons --flipbook`` records them."""
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    schedule = nn.LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / 100)
    recorder = TrainingRecorder(model, X, y)
    signs = [2.0 * t - 1.0 for t in y]
    for _ in range(100):
        loss = nn.hinge([model(x) for x in X], signs)
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        optimizer.step()
        schedule.step()
    return recorder.as_dict()


def shot(browser: Browser, name: str) -> None:
    data = browser.send("Page.captureScreenshot", format="png")["data"]
    (OUT / name).write_bytes(base64.b64decode(data))
    print(f"wrote {OUT / name}")


def live_page_pictures(browser: Browser, work: Path) -> None:
    o = neuron()
    o.backward()  # a learner's graph after backward(): the page computes its own grads anyway
    browser.open(render_steps(o, work / "neuron.html", edge_labels=True))
    shot(browser, "live-page.png")
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(3)")
    browser.evaluate("document.getElementById('reveal').click()")  # steps 1 to 3 given up
    browser.evaluate("window.chainrule.step(4)")  # v3 = x1 * w1
    browser.type_into("#terms tbody tr:first-child input.prediction", "-3")  # the local derivative alone
    browser.press("Enter")
    shot(browser, "live-page-predict.png")
    browser.evaluate("document.getElementById('predict').click()")
    browser.evaluate("window.chainrule.step(2)")
    k = browser.evaluate("window.chainrule.names().indexOf('x1')")
    browser.type_into(f"#leaf-{k}", "-1")
    shot(browser, "live-page-edited.png")
    root = Value(2.0, label="x")
    y = (root - 1.0).log()
    y.label = "y"
    out = y * 3.0
    out.label = "out"
    browser.open(render_steps(out, work / "domain.html"))
    browser.type_into(f"#leaf-{browser.evaluate('window.chainrule.names().indexOf(`x`)')}", "0.5")
    shot(browser, "domain-error.png")


def flipbook_pictures(browser: Browser, work: Path) -> None:
    page = render_flipbook(moons_run(), work / "moons.html", title="chainrule train moons: hinge loss, sgd")
    print(f"flipbook size: {page.stat().st_size / 1e6:.2f} MB")
    loads = []
    for _ in range(5):
        browser.open(page)
        loads.append(
            browser.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.loadEventEnd - n.startTime; })()"
            )
        )
    script = browser.evaluate(
        """(() => { const t = [];
             for (let k = 0; k < window.chainrule.frames(); k++) {
               const t0 = performance.now(); window.chainrule.show(k); document.body.getBoundingClientRect();
               t.push(performance.now() - t0); }
             return t; })()"""
    )
    painted = browser.evaluate(
        """new Promise((done) => { const t = []; let k = 0, last = null;
             function frame(now) {
               if (last !== null) t.push(now - last);
               last = now;
               if (k < window.chainrule.frames()) {
                 window.chainrule.show(k++);
                 requestAnimationFrame(frame);
               }
               else done(t); }
             requestAnimationFrame(frame); })""",
        await_promise=True,
    )
    for name, values in (("load", loads), ("per frame, script", script), ("per frame, painted", painted)):
        print(
            f"{name}: median {statistics.median(values):.1f} ms, worst {max(values):.1f} ms (n={len(values)})"
        )
    browser.evaluate("window.chainrule.show(40)")
    shot(browser, "flipbook.png")
    browser.press("p")
    shot(browser, "flipbook-presentation.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="chainrule-pictures-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        profile = work / "profile"
        profile.mkdir()
        browser = Browser(profile)
        which = sys.argv[1:] or ["live", "flipbook"]
        try:
            if "live" in which:
                live_page_pictures(browser, work)
            if "flipbook" in which:
                flipbook_pictures(browser, work)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
