"""docs/tutorial.md section 5 shows what autograd.trace really prints."""

from __future__ import annotations

import re
from pathlib import Path

from autograd import Value, trace

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"


def neuron(x: Value, w: Value, b: Value) -> Value:
    z = w * x + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    return a


def test_tutorial_trace_output_is_current() -> None:
    section = TUTORIAL.read_text().split("## 5.")[1].split("## Where next")[0]
    blocks = re.findall(r"```text\n(.*?)```", section, re.S)
    t = trace(neuron, 0.5, 2.0, -1.0)
    assert blocks[0] == t.table() + "\n"
    g = t.compile()
    assert blocks[1] == t.source() + "\n" + repr(g(1.0, 2.0, -1.0)) + "\n"
    # and the numbers are the engine's: da/dw = a(1 - a) x at x = 0.5, w = 2, b = -1 is 0.25 * 0.5
    assert "w\u0304 = 0.125" in blocks[0]
