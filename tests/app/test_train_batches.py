"""``chainrule train --batch-size N``: mini-batch SGD from the command line, and its flipbook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow


def run_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script id="run-data" type="application/json">(.*?)</script>', text, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_batch_size_takes_a_step_per_batch(tmp_path: Path) -> None:
    page = tmp_path / "run.html"
    args = ["train", "moons", "--samples", "10", "--hidden", "3", "--epochs", "3", "--out", str(tmp_path)]
    assert main([*args, "--batch-size", "4", "--flipbook", str(page)]) == 0
    frames = run_data(page)["frames"]
    assert [f["step"] for f in frames] == list(range(9))  # 10 samples: batches of 4, 4 and 2
    assert [f["epoch"] for f in frames] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert [row["name"] for row in frames[0]["health"]] == ["layers.0", "layers.1"]  # nn.health per step
    assert (tmp_path / "moons-model.json").exists()


def test_a_batch_larger_than_the_data_is_one_step_an_epoch(tmp_path: Path) -> None:
    page = tmp_path / "run.html"
    args = ["train", "xor", "--hidden", "3", "--epochs", "4", "--out", str(tmp_path), "--flipbook", str(page)]
    assert main([*args, "--batch-size", "100"]) == 0
    assert [f["epoch"] for f in run_data(page)["frames"]] == [1, 2, 3, 4]


@pytest.mark.parametrize("bad,message", [("0", "must be >= 1, got 0"), ("2.5", "expected a whole number")])
def test_a_bad_batch_size_is_one_line(bad: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["train", "xor", "--batch-size", bad])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--batch-size" in err and message in err


def test_batch_size_with_fast_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "xor", "--batch-size", "2", "--fast", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip().endswith("cannot be combined with --batch-size")


def test_the_flipbook_bound_counts_a_frame_per_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 16,16: 337 parameters, 2 x 337 + 900 = 1,574 numbers a frame; 200 epochs x 100 batches of 1
    # is 20,000 frames = 31,480,000 numbers, over the 20,000,000 limit (200 full-batch frames are not)
    args = [
        "train",
        "moons",
        "--epochs",
        "200",
        "--out",
        str(tmp_path),
        "--flipbook",
        str(tmp_path / "r.html"),
    ]
    assert main([*args, "--batch-size", "1"]) == 2
    err = capsys.readouterr().err
    assert "200 epochs x 100 batches x 1,574 numbers = 31,480,000" in err and "--batch-size" in err
