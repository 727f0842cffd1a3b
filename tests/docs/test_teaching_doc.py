"""docs/teaching.md: its Python examples run and write the pages they say; its pictures exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "teaching.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def test_every_picture_is_in_the_repository() -> None:
    pictures = re.findall(r"\]\((teaching/[^)]+\.png)\)", DOC.read_text(encoding="utf-8"))
    assert len(pictures) == 6
    for picture in pictures:
        assert (REPO / "docs" / picture).stat().st_size > 10_000, picture


@pytest.mark.slow
def test_python_examples_write_their_pages(tmp_path: Path) -> None:
    blocks = python_blocks()
    assert len(blocks) == 4
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for code in blocks:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
        )
        assert result.returncode == 0, result.stderr[-2000:]
    neuron = (tmp_path / "neuron.html").read_text(encoding="utf-8")
    assert "window.chainrule" in neuron and "<title>Backward pass of o: 5 steps</title>" in neuron
    mlp = (tmp_path / "mlp.html").read_text(encoding="utf-8")
    assert '"matrices": [{"name": "layer 1", "layer": true' in mlp
    moons = tmp_path / "moons.html"
    assert 100_000 < moons.stat().st_size < 5 * 1024 * 1024
    assert "window.chainrule" in (tmp_path / "optimizers.html").read_text(encoding="utf-8")
