"""The step-through page in a real headless Chromium, driven over the DevTools protocol.

Chromium is started with a fresh profile and no network features; the test loads the page
from a file, clicks through every step (buttons, arrow keys, slider) and compares the numbers
in the panel with the steps computed in Python. Labels containing <script> must stay text.

Needs Debian's ``chromium`` and the ``websocket-client`` package (CI installs both); the
drawing needs Graphviz's ``dot``.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import Value, backward_steps, render_steps
from autograd.see.page import safe_json

websocket = pytest.importorskip("websocket", reason="pip install websocket-client")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None or shutil.which("dot") is None, reason="needs chromium and Graphviz"),
]
SCREENSHOT_DIR = os.environ.get("CHAINRULE_SCREENSHOT_DIR")  # set it to keep a screenshot


class Browser:
    """One headless Chromium page, spoken to with Chrome DevTools Protocol commands."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--disable-dev-shm-usage",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=1400,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start its DevTools server")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path: Path) -> None:
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + 30
        while self.evaluate("document.readyState") != "complete" or not self.evaluate(
            "!!document.getElementById('slider')"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the page did not load")
            time.sleep(0.05)

    def press(self, key: str) -> None:
        code = {"ArrowRight": 39, "ArrowLeft": 37, "Home": 36, "End": 35}[key]
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code)

    def close(self) -> None:
        if hasattr(self, "socket"):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Chromium's helper processes may still be writing to the profile as it shuts down.
    with tempfile.TemporaryDirectory(prefix="chainrule-chromium-", ignore_cleanup_errors=True) as profile:
        b = Browser(Path(profile))
        try:
            yield b
        finally:
            b.close()


PANEL = """(() => {
  const rows = [...document.querySelectorAll('#terms tbody tr')].map(tr => {
    const cell = c => tr.querySelector('td.' + c);
    const out = {name: cell('name').textContent};
    for (const c of ['local', 'upstream', 'contribution', 'before', 'after']) {
      out[c] = Number(cell(c).dataset.value);
      out[c + '_text'] = cell(c).textContent;
    }
    return out;
  });
  return {title: document.getElementById('step-title').textContent,
          upstream: document.getElementById('step-rule').dataset.value,
          position: document.getElementById('slider').value,
          current: [...document.querySelectorAll('g.cr-current title')].map(t => t.textContent),
          inputs: [...document.querySelectorAll('g.cr-input title')].map(t => t.textContent),
          rows};
})()"""

GRADS = """Object.fromEntries([...document.querySelectorAll('#graph g.node')].map(g => [
  g.querySelector('title').textContent,
  [...g.querySelectorAll('text')].map(t => t.textContent).find(s => s.startsWith('grad ')) || null]))"""


def neuron_graph() -> tuple[Value, list[Value]]:
    """micrograd's neuron, with a fan-out (w1 used twice) and hostile labels."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1 = Value(-3.0, label="<script>window.__pwned = 1</script>")
    w2 = Value(1.0, label="</script><script>window.__pwned2 = 1</script>")
    b = Value(6.8813735870195432, label='b"&amp;{|}')
    n = x1 * w1 + x2 * w2 + b + w1 * w1 * 0.01
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


def number_text(text: str) -> float:
    return float(text.lstrip("×=→ ").strip())


def test_clicking_through_matches_python_steps(browser: Browser, tmp_path: Path) -> None:
    root, leaves = neuron_graph()
    page = render_steps(root, tmp_path / "steps.html", edge_labels=True)
    # The oracle: the same graph built again and stepped through in Python.
    twin, _ = neuron_graph()
    expected = list(backward_steps(twin))
    assert len(expected) == 8

    html_text = page.read_text(encoding="utf-8")
    assert "http://" not in html_text.replace("http://www.w3.org", "")  # no fetches: only XML namespaces
    assert "https://" not in html_text

    browser.open(page)
    start = browser.evaluate(PANEL)
    assert start["position"] == "0" and start["rows"] == [] and start["title"].startswith("Start")
    grads = browser.evaluate(GRADS)
    assert grads["v0"] == "grad 1.0000" and grads["v1"] == "grad 0.0000"  # root seeded, the rest zeroed

    for k, step in enumerate(expected, start=1):
        browser.evaluate("document.getElementById('next').click()")
        shown = browser.evaluate(PANEL)
        assert shown["position"] == str(k)
        assert step.name in shown["title"] and step.node.op in shown["title"]
        assert float(shown["upstream"]) == step.upstream
        assert sorted(shown["current"]) == sorted(
            {f"v{_index(twin, step.node)}", f"v{_index(twin, step.node)}_op"}
        )
        assert len(shown["rows"]) == len(step.terms)
        for row, term in zip(shown["rows"], step.terms):
            assert row["name"] == f"{term.name}.grad +="
            for key, value in (
                ("local", term.local_grad),
                ("upstream", term.upstream),
                ("contribution", term.contribution),
                ("before", term.grad_before),
                ("after", term.grad_after),
            ):
                assert row[key] == value, (k, key)  # exact: JSON carries floats losslessly
                assert math.isclose(number_text(row[key + "_text"]), value, rel_tol=1e-3, abs_tol=1e-12)

    # At the end the boxes show the grads backward() leaves (four decimals, as drawn).
    grads = browser.evaluate(GRADS)
    for leaf in leaves:
        k = _index(root, leaf)
        assert grads[f"v{k}"] == f"grad {leaf.grad:.4f}"
    assert browser.evaluate("window.__pwned === undefined && window.__pwned2 === undefined")
    labels = browser.evaluate("[...document.querySelectorAll('#graph text')].map(t => t.textContent)")
    assert "<script>window.__pwned = 1</script>" in labels
    assert "</script><script>window.__pwned2 = 1</script>" in labels
    assert 'b"&amp;{|}' in labels
    assert browser.evaluate("document.querySelectorAll('script').length") == 2  # data + page code only

    # Back with the keyboard and the slider.
    browser.press("ArrowLeft")
    assert browser.evaluate(PANEL)["position"] == str(len(expected) - 1)
    browser.press("Home")
    assert browser.evaluate(PANEL)["position"] == "0"
    browser.press("ArrowRight")
    assert browser.evaluate(PANEL)["position"] == "1"
    browser.evaluate(
        "const s = document.getElementById('slider'); s.value = '3'; s.dispatchEvent(new Event('input'))"
    )
    third = browser.evaluate(PANEL)
    assert [r["after"] for r in third["rows"]] == [t.grad_after for t in expected[2].terms]
    browser.evaluate("document.getElementById('prev').click()")
    assert browser.evaluate(PANEL)["position"] == "2"

    if SCREENSHOT_DIR:
        shot = browser.send("Page.captureScreenshot", format="png")
        Path(SCREENSHOT_DIR, "steps.png").write_bytes(base64.b64decode(shot["data"]))


def _index(root: Value, node: Value) -> int:
    from autograd import topological_order

    return topological_order(root).index(node)


def test_safe_json_cannot_close_the_script_element() -> None:
    text = safe_json({"label": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"label": "</script><!-- & \u2028"}


def test_leaf_root_page_has_no_steps(browser: Browser, tmp_path: Path) -> None:
    x = Value(3.0, label="x")
    page = render_steps(x, tmp_path / "leaf.html")
    browser.open(page)
    shown = browser.evaluate(PANEL)
    assert shown["rows"] == [] and "nothing to pass on" in browser.evaluate(
        "document.getElementById('step-rule').textContent"
    )
    assert x.grad == 1.0  # the page ran backward: a leaf root accumulates the seed
