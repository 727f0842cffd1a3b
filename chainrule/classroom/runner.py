"""The Python side of a classroom page: runs the editor's code and says what happened.

In the browser, the page's Web Worker loads Pyodide, unpacks chainrule into it and makes one
``Runner``; each press of Run is one ``Runner.run(source)``. It runs natively just the same (the
tests use it so), since it needs nothing of the browser: what the page must see while the code
runs (output as it comes, a graph to show) goes through ``post(kind, text)``, a function the
worker gives it.

- The code runs in one namespace per page (a second run sees the first run's names), as
  ``__main__``; ``show(v)`` is in it: the live graph page of ``v``, laid out in the browser (or
  the flipbook of a recorded run, or a matrix view's page).
- Output is kept up to ``limit`` bytes (UTF-8) per stream and run; the rest is counted and said:
  ``output truncated: N more bytes``.
- An exception is given back as Python's traceback text, from the learner's first line on (the
  runner's own frames are left out), with the learner's source lines in it.
"""

from __future__ import annotations

import linecache
import os
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

from autograd.value import Value

LIMIT = 200_000  # bytes of output kept per stream and run
# Output is handed to the page line by line, as a terminal shows it (line-buffered), or every
# FLUSH_BYTES of a line without an end. No time-based buffering: nothing in the page's Python could
# hand over text left waiting while the code computes on in silence.
FLUSH_BYTES = 4096

Post = Callable[[str, str], None]


def _no_post(kind: str, text: str) -> None:
    """Where output goes when nobody listens (a run outside the browser)."""


class CappedStream:
    """A text stream that keeps its first ``limit`` bytes (UTF-8) and counts the rest.

    Kept text is also handed to ``post(name, text)`` at each line's end (or every ``FLUSH_BYTES``
    of a long line, and by ``flush()``), so the page shows output while the code still runs.
    """

    def __init__(self, name: str, post: Post, limit: int = LIMIT) -> None:
        self.name = name
        self.post = post
        self.limit = limit
        self.kept: list[str] = []
        self.kept_bytes = 0
        self.dropped_bytes = 0
        self.pending: list[str] = []
        self.pending_bytes = 0

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        data = text.encode("utf-8", "surrogateescape")
        room = self.limit - self.kept_bytes
        if len(data) <= room:
            piece = text
        else:
            piece = data[: max(room, 0)].decode("utf-8", "ignore")  # never half a character
            self.dropped_bytes += len(data) - len(piece.encode("utf-8", "surrogateescape"))
        if piece:
            size = len(piece.encode("utf-8", "surrogateescape"))
            self.kept.append(piece)
            self.pending.append(piece)
            self.kept_bytes += size
            self.pending_bytes += size
            if "\n" in piece or self.pending_bytes >= FLUSH_BYTES:
                self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.post(self.name, "".join(self.pending))
            self.pending.clear()
            self.pending_bytes = 0

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def text(self) -> str:
        """All that was kept, and how much was not."""
        kept = "".join(self.kept)
        if self.dropped_bytes:
            kept += f"\n[output truncated: {self.dropped_bytes:,} more bytes]\n"
        return kept


class NoInput:
    """``sys.stdin`` while the learner's code runs: the page has no keyboard input for Python, and
    ``input()`` says so (``EOFError``, as Python does at the end of input) instead of an I/O error."""

    MESSAGE = "input(): the classroom's Python has no keyboard input; write the value into the code instead"

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> str:
        raise EOFError(self.MESSAGE)

    def readline(self, size: int | None = -1) -> str:
        raise EOFError(self.MESSAGE)


class Runner:
    """Runs a page's code, one ``run(source)`` per press of Run, in one namespace."""

    def __init__(self, post: Post | None = None, limit: int = LIMIT) -> None:
        self.post = post or _no_post
        self.limit = limit
        self.runs = 0
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": __builtins__}
        self.namespace["show"] = self.show

    def run(self, source: str) -> dict[str, str]:
        """Run ``source``; return ``{"stdout", "stderr", "error"}`` (``error`` is ``""`` when it
        ran through, else the traceback text)."""
        import contextlib

        if not isinstance(source, str):
            raise TypeError(f"run: source must be str, got {type(source).__name__}")
        self.runs += 1
        filename = f"<run {self.runs}>"  # one name per run: an old function's traceback shows its own lines
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        stdout = CappedStream("stdout", self.post, self.limit)
        stderr = CappedStream("stderr", self.post, self.limit)
        error = ""
        stdin, sys.stdin = sys.stdin, NoInput()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = compile(source, filename, "exec")
                exec(code, self.namespace)
            except BaseException as err:  # the learner's exception, SystemExit included: said, not raised
                error = _traceback_text(err)
            finally:
                sys.stdin = stdin
        stdout.flush()
        stderr.flush()
        return {"stdout": stdout.text(), "stderr": stderr.text(), "error": error}

    def show(self, what: Any, **options: Any) -> None:
        """Open ``what`` as a page below the editor: what ``autograd.show`` shows in a notebook.

        A ``Value``: the live graph page (``render_steps``'s), laid out in the browser by viz-js
        (``layout="browser"``: no ``dot`` program runs in a browser); the graph is read, never
        changed. A recorded training run (``nn.TrainingRecorder`` or its ``as_dict()``): the
        flipbook. A ``matrix_view``: the matrix lens page. ``options`` go to those
        (``max_nodes=``, ``edge_labels=``, ``model=``, ``title=``, ...). The path of an ``.html``
        file in the page's file system (``chainrule train ... --flipbook run.html`` writes one):
        that page.
        """
        from autograd.see.notebook import show as inline_page

        if isinstance(what, (str, os.PathLike)):
            self.post("show-html", _html_file(what, options))
            return
        if isinstance(what, Value):
            options.setdefault("layout", "browser")
        self.post("show-html", inline_page(what, **options).html)


def _html_file(path: str | os.PathLike[str], options: dict[str, Any]) -> str:
    """The text of the page at ``path`` (``show("run.html")``), which must end in .html or .htm."""
    if options:
        raise TypeError(f"show: a page file takes no options, got {', '.join(sorted(options))}")
    name = os.fspath(path)
    if not name.lower().endswith((".html", ".htm")):
        raise ValueError(f"show: a file to show must be a page ending in .html, got {name!r}")
    with open(name, encoding="utf-8") as page:
        return page.read()


def _traceback_text(err: BaseException) -> str:
    """Python's traceback of ``err`` with the runner's own frames left out (the exec that runs the
    learner's code, ``NoInput.readline``): the learner's code comes first and last."""
    entries = []
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename != __file__:
            entries.append((tb.tb_frame, tb.tb_lasti, tb.tb_lineno))
        tb = tb.tb_next
    kept: types.TracebackType | None = None
    for frame, lasti, lineno in reversed(entries):
        kept = types.TracebackType(kept, frame, lasti, lineno)
    return "".join(traceback.format_exception(type(err), err, kept))
