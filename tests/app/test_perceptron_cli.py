"""``chainrule perceptron GATE``: the epochs printed, the verdict, the picture, bad arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow  # draws matplotlib pictures


def test_and_prints_every_epoch_and_converges(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["perceptron", "and", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    # epoch, w1, w2, b, mistakes: the hand-worked run of tests/nn/test_perceptron.py
    assert rows == [
        ["0", "0", "0", "0", "-"],
        ["1", "1", "1", "1", "1"],
        ["2", "2", "1", "0", "3"],
        ["3", "2", "1", "-1", "3"],
        ["4", "2", "2", "-1", "2"],
        ["5", "2", "1", "-2", "1"],
        ["6", "2", "1", "-2", "0"],
    ]
    assert "the line 2*x1 + 1*x2 - 2 = 0 separates the classes" in out
    assert (tmp_path / "perceptron-and.png").stat().st_size > 10_000


def test_xor_reports_the_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["perceptron", "xor", "--out", str(tmp_path), "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "no convergence: the weights after epoch 3 are those after epoch 2" in out
    assert "No straight line separates XOR" in out and "converged" not in out
    assert (tmp_path / "perceptron-xor.png").exists()


def test_xor_with_too_few_epochs_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["perceptron", "xor", "--epochs", "2", "--out", str(tmp_path)]) == 0
    assert "not converged after 2 epochs (3 mistakes in the last); try --epochs" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["xnor"], ["and", "--lr", "0"], ["and", "--epochs", "0"]])
def test_bad_arguments_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["perceptron", *argv])
    assert stop.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()[-1]) > 0
