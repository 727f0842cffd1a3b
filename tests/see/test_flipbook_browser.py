"""The training flipbook in headless Chromium: every frame is the recorded step, in sync.

A short run is recorded with ``nn.record.TrainingRecorder`` (this test file may use ``nn``;
the flipbook module itself never imports it). The page's ``window.chainrule.frame(k)`` must
give the recorded loss and every parameter under its ``named_parameters`` name, the page's
own scrubber and play button must move all three views, and the moons run of the issue
(100 steps of ``MLP(2, [16, 16, 1])``) must make a page under 5 MB.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.see.flipbook import flipbook_page, render_flipbook
from nn.record import TrainingRecorder
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


def record_run(
    steps: int, hidden: list[int], samples: int = 40, grid: int = 12
) -> tuple[dict[str, Any], nn.MLP]:
    X, y = nn.data.make_moons(samples, noise=0.1, seed=3)
    model = nn.MLP(2, [*hidden, 1], seed=1)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    recorder = TrainingRecorder(model, X, y, grid=grid)
    signs = [2.0 * t - 1.0 for t in y]
    for _ in range(steps):
        loss = nn.hinge([model(x) for x in X], signs)
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        optimizer.step()
    return recorder.as_dict(), model


def test_frames_are_the_recorded_steps(browser: Browser, tmp_path: Path) -> None:
    run, model = record_run(12, [4])
    page = render_flipbook(run, tmp_path / "run.html", title="<script>window.__pwned=1</script> run")
    browser.open(page)
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("window.chainrule.frames()") == 12
    names = [name for name, _ in model.named_parameters()]
    for k in (0, 5, 11):
        frame = browser.evaluate(f"window.chainrule.frame({k})")
        assert frame["step"] == k and frame["loss"] == run["frames"][k]["loss"]
        assert list(frame["params"]) == names
        assert list(frame["params"].values()) == run["frames"][k]["params"]
    # The last frame's parameters are the model's before its last update: undo it by hand (SGD, lr 0.1).
    last = browser.evaluate("window.chainrule.frame(11)")["params"]
    for (name, p), g in zip(model.named_parameters(), run["frames"][11]["grads"]):
        assert math.isclose(last[name] - 0.1 * g, p.data, rel_tol=1e-12, abs_tol=1e-15)
    assert browser.console_errors() == []


def test_scrubber_and_play_move_every_view(browser: Browser, tmp_path: Path) -> None:
    run, _ = record_run(10, [3])
    browser.open(render_flipbook(run, tmp_path / "scrub.html"))
    state = """(() => ({status: document.getElementById('status').textContent,
      marker: document.querySelector('#loss circle').getAttribute('cx'),
      widths: [...document.querySelectorAll('#net line')].map(l => l.getAttribute('stroke-width')).join(),
      pixels: (() => { const c = document.getElementById('boundary'); return c.toDataURL().length + ':' +
        Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice(0, 4000)).join(); })(),
      current: window.chainrule.current()}))()"""
    first = browser.evaluate(state)
    browser.evaluate(
        "(() => { const s = document.getElementById('scrub'); s.value = '7'; s.dispatchEvent(new Event('input')); })()"
    )
    seventh = browser.evaluate(state)
    assert seventh["current"] == 7 and "step 7" in seventh["status"]
    loss7 = run["frames"][7]["loss"]
    assert f"{loss7:.3f}" in seventh["status"]
    assert seventh["marker"] != first["marker"] and seventh["widths"] != first["widths"]
    assert seventh["pixels"] != first["pixels"]  # the boundary was redrawn
    browser.evaluate("document.activeElement.blur()")
    browser.press("ArrowLeft")
    assert browser.evaluate("window.chainrule.current()") == 6
    browser.evaluate("document.getElementById('play').click()")
    assert browser.evaluate("window.chainrule.playing()")
    time.sleep(0.2)  # 80 ms a frame: a few frames on, not yet at the end (frame 9)
    browser.evaluate("document.getElementById('play').click()")
    assert not browser.evaluate("window.chainrule.playing()")
    assert 6 < browser.evaluate("window.chainrule.current()") <= 9
    browser.screenshot("flipbook-small.png")


def test_moons_run_of_100_steps_is_under_5_mb(tmp_path: Path) -> None:
    run, _ = record_run(100, [16, 16], samples=100, grid=30)
    size = len(flipbook_page(run).encode("utf-8"))
    assert size < 5 * 1024 * 1024, size


def test_recorder_refuses_bad_arguments() -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match="grid must be an int from 2 to 200"):
        TrainingRecorder(model, grid=1)
    with pytest.raises(TypeError, match="named_parameters"):
        TrainingRecorder(object())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no frames"):
        flipbook_page(TrainingRecorder(model).as_dict())


def test_every_gradient_label_reads_on_a_card_above_the_edges(browser: Browser, tmp_path: Path) -> None:
    """A hidden layer's ‖∇‖ label sits among the next layer's edges: under every point of its text
    (the text itself made transparent to the mouse) the browser must hit its card, not an edge."""
    run, _ = record_run(3, [16, 16])
    browser.open(render_flipbook(run, tmp_path / "run.html"))
    hits = browser.evaluate(
        """(() => {
          const labels = [...document.querySelectorAll('#net text.grad-label')];
          for (const t of labels) t.style.pointerEvents = 'none';
          const out = [];
          for (const t of labels) {
            const r = t.getBoundingClientRect();
            for (const f of [0.05, 0.3, 0.5, 0.7, 0.95]) {
              const hit = document.elementFromPoint(r.left + f * r.width, r.top + r.height / 2);
              out.push(hit.getAttribute('class') || hit.tagName);
            }
          }
          return out;
        })()"""
    )
    assert len(hits) == 5 * (16 + 16 + 1)
    assert set(hits) == {"label-card"}, sorted(set(hits))


LABEL_PX = """(() => [...document.querySelectorAll('#net text')].map(
  (t) => t.getScreenCTM().a * parseFloat(t.getAttribute('font-size'))))()"""  # on-screen font size


@pytest.mark.parametrize("size", ["1366,768", "1024,768"])
def test_network_labels_keep_a_readable_size_on_a_small_projector(tmp_path: Path, size: str) -> None:
    """The drawing is scaled to its panel; the labels must stay >= 14 px on screen, >= 20 px when presenting."""
    run, _ = record_run(3, [16, 16])
    page = render_flipbook(run, tmp_path / "run.html")
    for browser in start_browser(size):
        browser.open(page)
        normal = browser.evaluate(LABEL_PX)
        assert len(normal) == 2 + 16 + 16 + 1 and min(normal) >= 14.0, min(normal)
        browser.press("p")
        presenting = browser.evaluate(LABEL_PX)
        assert min(presenting) >= 20.0, min(presenting)
        browser.press("p")
        assert browser.evaluate(LABEL_PX) == normal
        assert min(browser.evaluate(LOSS_PX)) >= 14.0  # the loss curve's labels too
        assert browser.console_errors() == []


LOSS_PX = LABEL_PX.replace("#net", "#loss")


def test_the_loss_labels_fit_and_grow_when_presenting(browser: Browser, tmp_path: Path) -> None:
    """A loss of 12345 is labelled 1.23e+4, the widest label: it must fit left of the axis."""
    run, _ = record_run(3, [4])
    for frame, loss in zip(run["frames"], [12345.0, 50.0, 0.5]):
        frame["loss"] = loss
    browser.open(render_flipbook(run, tmp_path / "run.html"))
    texts = browser.evaluate("[...document.querySelectorAll('#loss text')].map((t) => t.textContent)")
    assert texts == ["1.23e+4", "0.000", "step"]
    inside = browser.evaluate(
        """(() => { const box = document.querySelector('#loss').getBoundingClientRect();
          return [...document.querySelectorAll('#loss text')].every((t) => {
            const r = t.getBoundingClientRect(); return r.left >= box.left && r.right <= box.right; }); })()"""
    )
    assert inside
    browser.press("p")
    assert min(browser.evaluate(LOSS_PX)) >= 20.0
    browser.press("p")
