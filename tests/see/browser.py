"""A headless Chromium driven over the DevTools protocol, shared by the browser tests.

Chromium is started with a fresh profile and no network features. Needs Debian's
``chromium`` and the ``websocket-client`` package (CI installs both).
"""

from __future__ import annotations

import base64
import itertools
import json
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

websocket = pytest.importorskip("websocket", reason="pip install websocket-client")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("dot") is None, reason="needs chromium and Graphviz"
)
SCREENSHOT_DIR = os.environ.get("CHAINRULE_SCREENSHOT_DIR")  # set it to keep screenshots


class Browser:
    """One headless Chromium page, spoken to with Chrome DevTools Protocol commands."""

    def __init__(self, profile: Path, size: str = "1920,1080", extra_args: tuple[str, ...] = ()) -> None:
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
                f"--window-size={size}",
                *extra_args,
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
        self.set_viewport(size)

    def set_viewport(self, size: str, mobile: bool = False) -> None:
        """The window's size, ``"width,height"`` in CSS pixels; ``mobile``: a phone, at two device
        pixels a CSS pixel, whose page's <meta name=viewport> decides its layout width."""
        width, height = (int(n) for n in size.split(","))
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=2 if mobile else 1,
            mobile=mobile,
        )

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

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page (of the promise's result, if awaited)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, path: Path, ready: str = "!!window.chainrule") -> None:
        """Load ``path`` and wait until ``ready`` (a JavaScript expression) is true."""
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.events.clear()
        self.send("Page.navigate", url=path.resolve().as_uri())
        deadline = time.monotonic() + 30
        while self.evaluate("document.readyState") != "complete" or not self.evaluate(ready):
            if time.monotonic() > deadline:
                raise RuntimeError("the page did not load")
            time.sleep(0.05)

    def press(self, key: str) -> None:
        codes = {
            "ArrowRight": 39,
            "ArrowLeft": 37,
            "Home": 36,
            "End": 35,
            "Enter": 13,
            "p": 80,
            "g": 71,
            "+": 187,
        }
        code = codes[key]
        text = "\r" if key == "Enter" else key
        kinds = ("rawKeyDown", "char", "keyUp") if len(text) == 1 else ("rawKeyDown", "keyUp")
        for kind in kinds:
            extra = {"text": text} if kind == "char" else {}
            self.send(
                "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code, **extra
            )

    def type_into(self, selector: str, text: str) -> None:
        """Focus an input, select what it holds and type ``text`` as a user would."""
        self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select(); }})()"
        )
        self.send("Input.insertText", text=text)

    def console_errors(self) -> list[dict[str, Any]]:
        """Uncaught exceptions and console.error calls since the page was opened."""
        self.send("Runtime.evaluate", expression="0")  # flush pending events into self.events
        return [
            e
            for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")
        ]

    def screenshot(self, name: str) -> None:
        """Keep a PNG of the page in $CHAINRULE_SCREENSHOT_DIR, when it is set."""
        if SCREENSHOT_DIR:
            shot = self.send("Page.captureScreenshot", format="png")
            Path(SCREENSHOT_DIR, name).write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        if hasattr(self, "socket"):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_browser(size: str = "1920,1080") -> Iterator[Browser]:
    """A browser for a module's tests; Chromium's helpers may still write to the profile at exit."""
    with tempfile.TemporaryDirectory(prefix="chainrule-chromium-", ignore_cleanup_errors=True) as profile:
        b = Browser(Path(profile), size)
        try:
            yield b
        finally:
            b.close()
