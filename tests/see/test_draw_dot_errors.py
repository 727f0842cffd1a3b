"""What a picture says when Graphviz's ``dot`` cannot run: a file named dot that may not be run
(an ``OSError``, as under Pyodide), and a failing dot whose stderr is not UTF-8. And a graph's
``pipe`` takes its arguments as ``graphviz.Digraph.pipe`` does, by position too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from autograd import Value
from autograd.see.draw import GraphvizMissing, dot_failed, draw_dot

pytestmark = pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for dot")


def a_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, mode: int) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(mode)
    monkeypatch.setenv("PATH", str(tmp_path))


def test_a_dot_that_may_not_be_run_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_dot(tmp_path, monkeypatch, "exit 0", 0o644)  # there, but not executable: PermissionError
    with pytest.raises(GraphvizMissing) as err:
        draw_dot(Value(1.0)).pipe(format="svg")
    text = str(err.value)
    assert text.startswith("the Graphviz 'dot' program could not be run ([Errno 13] Permission denied")
    assert text.endswith(dot_failed("X").split("X", 1)[1])  # both ways out follow


def test_a_dot_whose_stderr_is_not_utf8_is_named_not_a_raw_decode_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graphviz package echoes a failing dot's stderr, decoding it strictly: bytes that are
    not UTF-8 (a message in Latin-1) raised UnicodeDecodeError from inside graphviz."""
    a_dot(tmp_path, monkeypatch, r"printf '\377\376 bad' >&2; exit 3", 0o755)
    with pytest.raises(GraphvizMissing) as err:
        draw_dot(Value(1.0)).pipe(format="svg")
    assert str(err.value) == dot_failed("failed, and its error message is not UTF-8 text")
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot program")
def test_pipe_takes_its_format_by_position() -> None:
    svg = draw_dot(Value(1.0, label="x")).pipe("svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
