"""demos/17_matrix_backward.py: the lesson's three backward lines, each matching the engine."""

from __future__ import annotations

import pytest

from tests.demos import run_demo


@pytest.mark.slow
def test_17_matrix_backward_prints_three_lines_that_match(tmp_path):
    out = run_demo("17_matrix_backward.py", tmp_path)
    assert out.count("(<= 1e-15: True)") == 4  # dz (all four rows), dw (two weights), db
    assert "False" not in out
    # hand: a = sigmoid(0) = 0.5 for the point (0, 0) with bias 0, so a - y = 0.5 and MSE's 2(a-y)a(1-a) = 0.25
    assert "   0   0.500000  0  +0.500000   +0.500000           +0.500000        +0.250000" in out
    # dw[1] = (dz[1] + dz[3]) / 4 (the points with x2 = 1), db = sum(dz) / 4: from the printed dz column
    assert "W[1][0].grad = (X[0][1]*dz[0] + X[1][1]*dz[1] + X[2][1]*dz[2] + X[3][1]*dz[3]) / 4" in out


def test_the_lesson_command_prints_the_three_lines_matching() -> None:
    import numpy as np

    from chainrule.lesson import backward_lines

    lines = backward_lines()
    assert sum("(matches: True)" in line for line in lines) == 3 and "False" not in "".join(lines)
    # the lesson's own numpy lines at its first weights (np.random.seed(1)), bias 0
    np.random.seed(1)
    w = np.random.randn(2, 1)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    dz = 1 / (1 + np.exp(-(X @ w))) - y
    shown = "[" + ", ".join(f"{v:+.4f}" for v in dz[:, 0]) + "]"
    assert f"dz = a - y        = {shown}" in lines[1]
    assert f"{np.sum(dz) / 4:+.4f}" in lines[4]
