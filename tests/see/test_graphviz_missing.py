"""Every error of running Graphviz's ``dot`` is a ``GraphvizMissing`` naming both ways out.

Under Pyodide the graphviz package's subprocess call raises ``OSError(138, 'emscripten does not
support processes.')``; here that is simulated by replacing the subprocess calls, and a missing
``dot`` by a PATH without it.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from autograd import GraphvizMissing, Value, draw_dot, render, render_steps
from autograd.see.draw import to_svg

pytest.importorskip("graphviz")

BOTH_WAYS = r"apt-get install graphviz.*brew install graphviz.*draw_dot\(root\)\.source.*@viz-js/viz"


def neuron() -> Value:
    x, w, b = Value(2.0, label="x"), Value(-3.0, label="w"), Value(1.0, label="b")
    return (x * w + b).tanh()


def no_processes(monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    """Starting any process raises ``error``, as in Pyodide (errno 138) or without permission."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.mark.parametrize(
    "error",
    [OSError(138, "emscripten does not support processes."), PermissionError(13, "Permission denied")],
    ids=["pyodide", "permission"],
)
def test_oserror_of_running_dot_is_graphviz_missing(tmp_path, monkeypatch, error):
    root = neuron()
    graph = draw_dot(root)
    no_processes(monkeypatch, error)
    with pytest.raises(GraphvizMissing, match="could not be run") as raised:
        render(root, tmp_path / "g.svg")
    assert str(error) in str(raised.value)
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):
        render(root, tmp_path / "g.png")
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):
        graph.pipe(format="svg")
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):
        to_svg(root)
    assert not (tmp_path / "g.svg").exists() and not (tmp_path / "g.png").exists()
    assert "tanh" in graph.source  # the DOT text the message points to is still there


def test_missing_dot_names_both_ways_out(tmp_path, monkeypatch):
    root = neuron()
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot here
    with pytest.raises(GraphvizMissing, match="'dot' program was not found") as raised:
        render(root, tmp_path / "g.svg")
    assert raised.match(BOTH_WAYS)
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):
        to_svg(root, rankdir="auto")


def test_page_without_processes_is_graphviz_missing_not_oserror(tmp_path, monkeypatch):
    no_processes(monkeypatch, OSError(138, "emscripten does not support processes."))
    with pytest.raises(GraphvizMissing, match=BOTH_WAYS):  # only dot asked for; by default the
        render_steps(neuron(), tmp_path / "steps.html", layout="dot")  # browser lays it out


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for dot")
def test_a_failed_dot_run_is_graphviz_missing_with_what_dot_said(tmp_path, monkeypatch):
    fake = tmp_path / "dot"  # a 'dot' that runs and fails, as a broken install does
    fake.write_text("#!/bin/sh\necho 'Warning: Could not load plugin' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing, match=r"failed \(exit status 1: Warning: Could not load plugin\)"):
        render(neuron(), tmp_path / "g.svg")
