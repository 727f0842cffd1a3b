"""demos/why_topological_order.py runs and prints the numbers worked out by hand."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_the_demo_shows_the_wrong_and_the_right_gradient_and_the_recursion_error(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, str(REPO / "demos" / "why_topological_order.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # y = x² + x⁴ at x = 2: dy/dx = 2x + 4x³ = 36; the naive pass keeps only 2x = 4
    assert "naive pass:  dy/dx = 4 " in out
    assert "backward():  dy/dx = 36 " in out
    assert "2. a passes on grad 1 (b's 8 still missing)   2. b passes on grad 1" in out
    assert "3. b passes on grad 1                         3. a passes on grad 9" in out  # 1 + 2a = 9
    assert "visit order: y, a, x, b" in out and "order: y, b, a, x" in out
    assert "every graph of two ops (462 of them): the naive pass is right on all" in out
    assert "RecursionError" in out
    assert f"dy/dx = 1.0001**10000 = {1.0001**10000:.6g}" in out
    assert list(tmp_path.iterdir()) == []  # writes nothing
