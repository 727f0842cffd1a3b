"""The flipbook's health line: ``TrainingRecorder(health=True)`` keeps ``nn.health`` per step and
the page writes it under the network, at every frame (Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nn
from autograd.see.flipbook import render_flipbook
from nn.record import TrainingRecorder
from tests.see.browser import Browser, needs_browser, start_browser

pytestmark = [pytest.mark.slow, needs_browser]


@pytest.fixture(scope="module", params=["1920,1080", "1366,768"])
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    yield from start_browser(request.param)


def record(steps: int) -> tuple[dict[str, Any], list[Any]]:
    X, y = nn.data.make_moons(20, noise=0.1, seed=3)
    model = nn.MLP(2, [4, 4, 1], activation=["tanh", "relu", "linear"], seed=1)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    recorder = TrainingRecorder(model, X, y, grid=10, health=True)
    reports = []
    for _ in range(steps):
        loss = nn.hinge([model(x) for x in X], [2.0 * t - 1.0 for t in y])
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        before = model.state_dict()
        optimizer.step()
        reports.append(nn.health(model, X, before=before))
    return recorder.as_dict(), reports


def test_each_frame_keeps_the_steps_health() -> None:
    run, reports = record(4)
    for k, frame in enumerate(run["frames"]):
        for row, h in zip(frame["health"], reports[k].layers):
            assert row["name"] == h.name and row["dead"] == h.dead
            assert row["grad_norm"] == pytest.approx(h.grad_norm, rel=1e-12)
            # health() after the step sees the new activations; the frame those before it, so only
            # the step's own numbers are compared: grads, grad:data and the update it took
            assert row["grad_data"] == pytest.approx(h.grad_data, rel=1e-12)
            if k < 3:
                assert row["update_data"] == pytest.approx(h.update_data, rel=1e-9)
    assert all(row["update_data"] is None for row in run["frames"][-1]["health"])


def test_the_page_writes_the_health_line(browser: Browser, tmp_path: Path) -> None:
    run, _ = record(5)
    browser.open(render_flipbook(run, tmp_path / "health.html"))
    browser.evaluate("window.chainrule.show(2)")
    text = browser.evaluate("document.getElementById('health').textContent")
    first = run["frames"][2]["health"][0]
    assert text.startswith("Health at this step: layers.0 (tanh), ")
    assert f"{round(100 * first['saturated'])}% saturated" in text
    assert f"{run['frames'][2]['health'][1]['dead']}/4 dead" in text
    assert f"‖∇‖ {first['grad_norm']:.1e}".replace("e-0", "e-") in text
    visible = browser.evaluate(
        "(() => { const r = document.getElementById('health').getBoundingClientRect();"
        " return r.height > 0 && r.bottom <= window.innerHeight + 1; })()"
    )
    assert visible
    browser.screenshot(f"flipbook-health-{browser.evaluate('window.innerWidth')}.png")
    assert browser.console_errors() == []
