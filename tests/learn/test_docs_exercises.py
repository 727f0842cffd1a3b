"""docs/exercises.md: every Python block runs and prints exactly the text block under it.

So each mistake's diagnosis in the doc is the sentence the checker really gives.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "exercises.md"
PAIRS = re.findall(r"```python\n(.*?)```\n```text\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_doc_has_an_example_for_each_mistake():
    assert len(PAIRS) == 11
    text = DOC.read_text()
    for words in (
        "the sign is flipped",
        "off by a constant factor of 1/2",
        "the output out is used where the input x is needed",
        "the input x is used where the output out is needed",
        "right at 16 of 32 points only; wrong for -1.917 <= x <= -0.08333",
        "right on the domain but wrong at large |x|",
        "the two partial derivatives are exchanged",
        "forgot to multiply by the upstream gradient",
        "`=` where `+=` is needed",
        "returned None: nothing to check",
    ):
        assert words in text


@pytest.mark.parametrize(("code", "expected"), PAIRS, ids=[f"block{k}" for k in range(len(PAIRS))])
def test_a_block_prints_what_the_doc_shows(code, expected):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(DOC), "exec"), {})
    assert printed.getvalue().rstrip() == expected.rstrip()
