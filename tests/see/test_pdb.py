"""Drive ``python -m pdb demos/step_through.py`` through stdin, as docs/debugging.md tells a reader to.

The expected numbers are derived by hand in the demo's docstring: L = d*d with d = -4, so at
the first chain-rule step node is L, node.grad = 1 and each of L's two inputs (d, d) gets
local derivative d = -4: d.grad goes 0 -> -4 -> -8.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs python -m pdb in a subprocess

REPO = Path(__file__).resolve().parents[2]


def chain_rule_line() -> int:
    """The line of backward() that applies the chain rule (found, not hard-coded: the loop may move)."""
    lines = (REPO / "autograd" / "backward.py").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def backward("))
    return next(i + 1 for i in range(start, len(lines)) if re.search(r"child\.grad \+= ", lines[i]))


def test_pdb_transcript_shows_the_chain_rule_values():
    commands = [
        f"b autograd/backward.py:{chain_rule_line()}",
        "c",
        "p node",
        "p node_grad",
        "p child, local_grad",
        "n",
        "p child.grad",
        "c",
        "p child.grad",
        "n",
        "p child.grad",
        "clear 1",
        "c",
        "q",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pdb", "demos/step_through.py"],
        input="\n".join(commands) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    out = result.stdout
    assert "Breakpoint 1 at" in out and "backward.py" in out
    outputs = [chunk.strip() for chunk in out.split("(Pdb)")]
    assert "Value(data=16.0, grad=1.0, op='mul', label='L')" in outputs  # p node
    assert "1.0" in outputs  # p node_grad: dL/dL
    assert "(Value(data=-4.0, grad=0.0, op='add', label='d'), -4.0)" in outputs  # child, local_grad = d
    grads = [o for o in outputs if o in ("-4.0", "-8.0")]
    assert grads == ["-4.0", "-4.0", "-8.0"]  # d.grad after the first +=, before and after the second
    assert "a.grad = 16.0, b.grad = -16.0" in out  # the run completes with the hand-derived grads
