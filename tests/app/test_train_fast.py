"""``chainrule train --fast`` trains the same model as the node engine, to 1e-12."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow  # it trains


def trained(tmp_path: Path, *options: str) -> tuple[list[float], str]:
    out = tmp_path / ("fast" if "--fast" in options else "nodes")
    args = [
        "train",
        "moons",
        "--samples",
        "40",
        "--hidden",
        "6,6",
        "--epochs",
        "15",
        "--out",
        str(out),
        *options,
    ]
    assert main(args) == 0
    state = json.loads((out / "moons-model.json").read_text())
    return _numbers(state), (out / "moons-training.png").read_bytes()[:4].decode("latin-1")


def _numbers(tree: object) -> list[float]:
    """Every float in the saved model, in file order."""
    if isinstance(tree, float):
        return [tree]
    if isinstance(tree, dict):
        return [x for v in tree.values() for x in _numbers(v)]
    if isinstance(tree, list):
        return [x for v in tree for x in _numbers(v)]
    return []


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_train_fast_gives_the_node_engines_model(tmp_path: Path, optimizer: str) -> None:
    nodes, _ = trained(tmp_path, "--optimizer", optimizer)
    fast, png = trained(tmp_path, "--optimizer", optimizer, "--fast")
    assert png == "\x89PNG"
    assert len(fast) == len(nodes) > 50
    assert fast == pytest.approx(nodes, rel=1e-12, abs=1e-14)


def test_in_a_browser_no_progress_bar_and_no_pip_hint(monkeypatch, capsys):
    """Under Pyodide (the classroom) there is no terminal and nothing to pip install: the run
    says nothing about tqdm (it printed "no progress bar: it needs tqdm; pip install ...")."""
    import sys

    from chainrule import train

    monkeypatch.setattr(sys, "platform", "emscripten")
    assert train._progress_bar(3, "run") is None
    assert capsys.readouterr().out == ""
