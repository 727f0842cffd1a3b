"""The classroom folder measured: ``python -m bench.classroom [--rounds N] [--repeats N] [--json PATH]``.

- the folder's size, and gzipped (each file compressed with gzip -9, as a server would send it);
- time to ``classroom.ready`` in headless Chromium from 127.0.0.1 (every other host blocked):
  cold (a fresh browser profile each round) and warm (the page loaded again in the same browser,
  with its HTTP and WebAssembly caches), from navigation start and from the worker's start;
- the moons step (micrograd's demo, MLP(2,[16,16,1]), 100 points) on the node engine and
  compiled (``nn.CompiledLoss``, what ``chainrule train --fast`` runs), against the plain-float
  floor (``bench/floor.py``), in Pyodide and natively: the same Python (``MOONS``) runs in both,
  interleaved (floor, node, compiled, floor, ...), medians; ratios to the floor;
- a slider redraw on the live page laid out by viz-js (as ``show`` opens it in the classroom):
  the lesson's neuron and an MLP(2, [3, 1]) loss, median of 50 moves.

Needs Chromium, ``websocket-client`` and Pyodide (from the user cache or ``npm pack``, as
``chainrule classroom``). Every figure is a median over rounds; times drift on shared machines.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from chainrule.classroom.build import build_classroom

BENCH = Path(__file__).resolve().parent
BLOCK_OTHER_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

# Runs unchanged in Pyodide and natively (defines moons_rows(repeats) -> dict).
MOONS = """
import statistics as _statistics
import time as _time

import nn as _nn
from bench import floor as _floor, workloads as _workloads


def moons_rows(repeats):
    X, y = _workloads.moons_data()
    weights = _workloads.weights_of(_nn.MLP(2, [16, 16, 1], seed=0))
    lr = 0.05  # small and fixed: every timed step does the same work
    own = [[list(n) for n in layer] for layer in weights]
    model = _nn.MLP(2, [16, 16, 1], seed=0)
    start = _time.perf_counter()
    compiled = _workloads.compiled_moons(_nn.MLP(2, [16, 16, 1], seed=0), X, y)
    compile_s = _time.perf_counter() - start
    steps = {
        "floor": lambda: _floor.moons_step(own, X, y, lr, _workloads.ALPHA),
        "node": lambda: _workloads.moons_step(model, X, y, lr),
        "compiled": lambda: _workloads.compiled_moons_step(compiled, lr),
    }
    first = {name: step() for name, step in steps.items()}  # the same start: the same loss
    for name, loss in first.items():
        if abs(loss - first["floor"]) > 1e-9 * abs(first["floor"]):
            raise AssertionError(f"{name}: first loss {loss!r} != the floor's {first['floor']!r}")
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            t = _time.perf_counter()
            step()
            times[name].append(_time.perf_counter() - t)
    row = {name: _statistics.median(ts) for name, ts in times.items()}
    row["compile"] = compile_s
    return row
"""


class Server:
    """A static server of ``root`` on 127.0.0.1 in a thread, logging each request's path.

    ``.mjs`` is sent as JavaScript and ``.wasm`` as WebAssembly whatever the system's MIME table
    says (browsers refuse a module script of any other type)."""

    def __init__(self, root: Path) -> None:
        self.log: list[str] = []
        log = self.log

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {  # noqa: RUF012  (the class attribute http.server reads)
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".mjs": "text/javascript",
                ".js": "text/javascript",
                ".wasm": "application/wasm",
            }

            def log_message(self, fmt: str, *args: Any) -> None:
                log.append(self.path)

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def folder_sizes(folder: Path) -> dict[str, float]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
    return {"files": len(files), "mb": raw / 1e6, "gzipped_mb": packed / 1e6}


def ready_times(browser: Any, url: str) -> tuple[float, float, dict[str, float]]:
    """Navigate to ``url``; seconds to ready from navigation start and from the worker's start, and
    where the worker's went (``{pyodide, zip, imports}``)."""
    browser.send("Page.enable")
    browser.send("Runtime.enable")
    browser.send("Page.navigate", url=url)
    deadline = time.monotonic() + 60
    while browser.evaluate("document.readyState") != "complete" or not browser.evaluate("!!window.classroom"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not load")
        time.sleep(0.02)
    since_navigation, since_worker, parts = browser.evaluate(
        "classroom.ready.then(() => [performance.now() / 1000, classroom.readySeconds, "
        "classroom.readyParts])",
        await_promise=True,
    )
    return float(since_navigation), float(since_worker), parts


def run(browser: Any, source: str) -> dict[str, str]:
    result: dict[str, str] = browser.evaluate(f"classroom.run({json.dumps(source)})", await_promise=True)
    if result["error"]:
        raise RuntimeError(f"the page's Python failed:\n{result['error']}")
    return result


def in_pyodide_moons(browser: Any, repeats: int) -> dict[str, float]:
    """``MOONS`` run in the page's Pyodide, with bench/floor.py and bench/workloads.py copied in."""
    names = ("__init__.py", "floor.py", "workloads.py")
    files = {name: (BENCH / name).read_text(encoding="utf-8") for name in names}
    run(
        browser,
        "import os, sys\nos.makedirs('/tmp/benchroot/bench', exist_ok=True)\n"
        f"for name, text in {files!r}.items():\n"
        "    open('/tmp/benchroot/bench/' + name, 'w').write(text)\n"
        "sys.path.insert(0, '/tmp/benchroot')\n",
    )
    run(browser, MOONS)
    out = run(browser, f"import json\nprint(json.dumps(moons_rows({repeats})))")
    row: dict[str, float] = json.loads(out["stdout"])
    return row


def redraw_pages(folder: Path) -> dict[str, str]:
    """The live pages timed for a slider redraw, laid out in the browser (as ``show`` makes them in
    the classroom), written into ``folder``: the lesson's neuron and an MLP(2, [3, 1]) loss."""
    import nn
    from autograd import Value
    from autograd.see.page import live_page

    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    b = Value(1.0, label="b")
    neuron = (x * w + b).tanh()
    neuron.label = "out"
    model = nn.MLP(2, [3, 1], seed=0)
    mlp = model([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    pages = {"neuron": "redraw-neuron.html", "MLP(2,[3,1])": "redraw-mlp.html"}
    (folder / pages["neuron"]).write_text(live_page(neuron, layout="browser"), encoding="utf-8")
    (folder / pages["MLP(2,[3,1])"]).write_text(
        live_page(mlp, layout="browser", model=model), encoding="utf-8"
    )
    return pages


def redraw_ms(browser: Any, url: str, leaf: str, repeats: int) -> float:
    """Median milliseconds of one slider move on the live page at ``url``: ``chainrule.set(leaf, x)``
    (forward, backward, every number and colour written into the drawing), then the browser's
    style and layout forced (``getBoundingClientRect``); paint is not included."""
    browser.send("Page.navigate", url=url)
    deadline = time.monotonic() + 60
    while not browser.evaluate("!!window.chainrule && document.querySelector('#graph svg') !== null"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not lay its graph out")
        time.sleep(0.05)
    times = browser.evaluate(
        f"""(() => {{
            const times = [], start = chainrule.value({json.dumps(leaf)});
            for (let i = 0; i < {repeats}; i++) {{
                const t = performance.now();
                chainrule.set({json.dumps(leaf)}, start + 0.01 * (i + 1));
                document.body.getBoundingClientRect();
                times.push(performance.now() - t);
            }}
            return times;
        }})()"""
    )
    return float(statistics.median(times))


def native_moons(repeats: int) -> dict[str, float]:
    namespace: dict[str, Any] = {}
    exec(MOONS, namespace)
    row: dict[str, float] = namespace["moons_rows"](repeats)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=3, help="browsers started, one cold load each (default 3)"
    )
    parser.add_argument("--repeats", type=int, default=15, help="moons steps timed per row (default 15)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    from tests.see.browser import Browser  # the DevTools client the browser tests use

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="chainrule-classroom-bench-") as work:
        out = Path(work) / "room"
        build_classroom(out)
        figures["folder"] = folder_sizes(out)
        server = Server(out)
        url = f"{server.origin}/index.html"
        cold: list[tuple[float, float, dict[str, float]]] = []
        warm: list[tuple[float, float, dict[str, float]]] = []
        moons: dict[str, float] = {}
        redraw: dict[str, float] = {}
        try:
            for round_ in range(args.rounds):
                profiles = tempfile.TemporaryDirectory(
                    prefix="chainrule-chromium-", ignore_cleanup_errors=True
                )
                with profiles as profile:
                    browser = Browser(Path(profile), extra_args=(BLOCK_OTHER_HOSTS,))
                    try:
                        cold.append(ready_times(browser, url))
                        for _ in range(2):
                            warm.append(ready_times(browser, url))
                        if round_ == args.rounds - 1:
                            moons = in_pyodide_moons(browser, args.repeats)
                            for name, page in redraw_pages(out).items():
                                leaf = "x" if name == "neuron" else "x1"
                                redraw[name] = redraw_ms(browser, f"{server.origin}/{page}", leaf, 50)
                    finally:
                        browser.close()
            outside = [p for p in server.log if not (out / p.lstrip("/").split("?")[0]).is_file()]
            if outside:
                raise RuntimeError(f"requests for files the folder does not hold: {outside}")
        finally:
            server.close()
    figures["ready_cold_s"] = [statistics.median(c[0] for c in cold), statistics.median(c[1] for c in cold)]
    figures["ready_warm_s"] = [statistics.median(w[0] for w in warm), statistics.median(w[1] for w in warm)]
    for name, loads in (("cold", cold), ("warm", warm)):
        figures[f"ready_{name}_parts_s"] = {
            part: statistics.median(load[2][part] for load in loads) for part in ("pyodide", "zip", "imports")
        }
    figures["moons_pyodide_s"] = moons
    figures["moons_native_s"] = native_moons(args.repeats)
    figures["redraw_ms"] = redraw
    folder = figures["folder"]
    print(f"folder: {folder['files']} files, {folder['mb']:.1f} MB, gzipped {folder['gzipped_mb']:.1f} MB")
    for name in ("cold", "warm"):
        nav, worker = figures[f"ready_{name}_s"]
        parts = figures[f"ready_{name}_parts_s"]
        print(
            f"ready, {name}: {nav:.2f} s from navigation start ({worker:.2f} s from the worker's start: "
            f"Pyodide {parts['pyodide']:.2f} s, chainrule.zip {parts['zip']:.2f} s, "
            f"imports {parts['imports']:.2f} s)"
        )
    print(f"{'moons step':<34}{'Pyodide':>12}{'native':>12}{'Pyodide/native':>16}")
    labels = {
        "floor": "plain-float floor",
        "node": "node engine (nn.MLP)",
        "compiled": "compiled (nn.CompiledLoss)",
    }
    for key, label in labels.items():
        p, n = figures["moons_pyodide_s"][key], figures["moons_native_s"][key]
        print(f"{label:<34}{p * 1e3:>9.1f} ms{n * 1e3:>9.1f} ms{p / n:>15.1f}x")
    for runtime in ("pyodide", "native"):
        row = figures[f"moons_{runtime}_s"]
        print(
            f"{runtime}: node engine {row['node'] / row['floor']:.1f}x the floor, compiled "
            f"{row['compiled'] / row['floor']:.2f}x (traced and compiled once in {row['compile']:.2f} s)"
        )
    for name, ms in redraw.items():
        print(f"slider redraw, {name} (viz-js layout): {ms:.1f} ms (set, forward, backward, DOM, layout)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
