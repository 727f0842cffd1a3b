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
        "overflows there only",
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


EXERCISES_SECTION = DOC.read_text().split("## The exercises", 1)[1]
CHECK_EXAMPLE = re.search(r"```py\n(.*?)```\n```text\n(.*?)```", EXERCISES_SECTION, flags=re.S)


@pytest.mark.slow
def test_the_exercises_example_prints_what_the_doc_shows(tmp_path):
    """The finite-difference answer of "The exercises", graded by check() in a process of its own."""
    import subprocess
    import sys

    code, expected = CHECK_EXAMPLE.groups()
    definitions, call = code.rsplit("\n\n", 1)
    (tmp_path / "answer.py").write_text(definitions + "\n")
    exercises = DOC.parents[1] / "exercises"
    script = f"import sys; sys.path[:0] = [{str(exercises)!r}, {str(tmp_path)!r}]\nfrom check import check\nfrom answer import *\n{call}"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip() == expected.rstrip()
