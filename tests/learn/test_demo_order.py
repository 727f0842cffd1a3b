"""demos/why_topological_order.py runs and prints the numbers worked out by hand."""

import pytest

from tests.demos import run_demo

pytestmark = pytest.mark.slow


def test_the_demo_shows_the_wrong_and_the_right_gradient_and_the_recursion_error(tmp_path):
    out = run_demo("why_topological_order.py", tmp_path)
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
