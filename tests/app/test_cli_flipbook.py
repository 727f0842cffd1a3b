"""``chainrule train DATASET --flipbook PAGE.html``: the run is written as a flipbook page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow


def test_train_writes_a_flipbook_of_every_epoch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "xor.html"
    code = main(
        ["train", "xor", "--epochs", "6", "--hidden", "3", "--out", str(tmp_path), "--flipbook", str(page)]
    )
    assert code == 0
    assert f"wrote {page}" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script id="run-data" type="application/json">(.*?)</script>', text, re.S).group(1)
    )
    assert len(data["frames"]) == 6
    assert data["names"][:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert [len(layer) for layer in data["layers"]] == [3, 1]
    assert len(data["frames"][0]["scores"]) == 30 * 30  # the decision boundary on the default grid
    assert "Content-Security-Policy" in text and "https://" not in text


def test_flipbook_needs_an_html_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["train", "xor", "--flipbook", str(tmp_path / "run.png")])
    assert stop.value.code == 2
    assert "must end in .html" in capsys.readouterr().err


def test_blobs_flipbook_records_the_class_picked(tmp_path: Path) -> None:
    page = tmp_path / "blobs.html"
    args = ["train", "blobs", "--epochs", "2", "--samples", "30", "--hidden", "4", "--out", str(tmp_path)]
    assert main([*args, "--flipbook", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script id="run-data" type="application/json">(.*?)</script>', text, re.S).group(1)
    )
    assert data["grid"]["classes"] == 3
    assert set(data["frames"][-1]["scores"]) <= {0, 1, 2}  # the class index at every grid point
