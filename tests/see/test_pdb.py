"""Run docs/debugging.md's pdb walk-through word for word, and check every line it shows.

The doc has two blocks: the shell commands (after ``<!-- pdb-shell -->``: a grep that must print
exactly one line, the chain-rule line of ``backward()``, and ``python -m pdb -m
demos.step_through``) and the pdb session (after ``<!-- pdb-session -->``: each ``(Pdb) ``
command followed by what pdb prints). Both are run as written, from the repository root; only
``python`` becomes this interpreter and the repository's path is shown as ``/…``.

The numbers are derived by hand in the demo's docstring: L = d*d with d = -4, so at the first
chain-rule step node is L, node.grad = 1 and each of L's two inputs (d, d) gets local
derivative d = -4: d.grad goes 0 -> -4 -> -8, and the run ends with a.grad = 16, b.grad = -16.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs python -m pdb in a subprocess

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "debugging.md"


def block_after(marker: str) -> list[str]:
    """The lines of the fenced block that follows ``<!-- marker -->`` in the doc."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\n```[a-z]*\n(.*?)\n```", text, re.S)
    assert match, f"docs/debugging.md has no block after <!-- {marker} -->"
    return match.group(1).splitlines()


def shell_commands() -> list[tuple[str, list[str]]]:
    """Each ``$ command`` of the shell block with the lines the doc shows it printing."""
    commands: list[tuple[str, list[str]]] = []
    for line in block_after("pdb-shell"):
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    return commands


def pdb_session() -> tuple[list[str], list[list[str]]]:
    """The commands typed at ``(Pdb) `` and, for each, the lines the doc shows pdb printing."""
    typed: list[str] = []
    shown: list[list[str]] = []
    for line in block_after("pdb-session"):
        if line.startswith("(Pdb) "):
            typed.append(line[len("(Pdb) ") :])
            shown.append([])
        else:
            shown[-1].append(line)
    return typed, shown


def test_the_grep_prints_exactly_the_one_line_the_doc_shows():
    (grep, shown), _ = shell_commands()
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    result = subprocess.run(
        ["bash", "-c", grep], capture_output=True, text=True, cwd=REPO, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.replace(str(REPO), "/…").splitlines() == shown, (
        "autograd/backward.py's chain-rule line moved: update its number in docs/debugging.md section 4"
    )
    assert len(shown) == 1 and "child.grad += local_grad * node_grad" in shown[0]


def test_the_pdb_session_runs_word_for_word_and_prints_what_the_doc_shows():
    (_, grep_output), (pdb_command, _) = shell_commands()
    number = grep_output[0].split(":")[1]
    typed, shown = pdb_session()
    assert typed[0] == f"b /…/autograd/backward.py:{number}"  # the line grep found, not a stale one
    typed = [command.replace("/…", str(REPO)) for command in typed]  # the folder grep printed
    argv = shlex.split(pdb_command)
    assert argv[:3] == ["python", "-m", "pdb"]
    result = subprocess.run(
        [sys.executable, *argv[1:]],
        input="\n".join(typed) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    printed = result.stdout.replace(str(REPO), "/…").split("(Pdb) ")
    assert printed[0].splitlines()[0] == "> /…/demos/step_through.py(1)<module>()"  # pdb starts
    answers = [chunk.splitlines() for chunk in printed[1:]]
    assert len(answers) == len(typed), result.stdout
    for command, expected, actual in zip(typed, shown, answers):
        assert actual == expected, f"after (Pdb) {command}"
    # the hand-derived numbers, whatever the doc says
    assert ["Value(data=16.0, grad=1.0, op='mul', label='L')"] in answers  # p node
    assert ["(Value(data=-4.0, grad=0.0, op='add', label='d'), -4.0)"] in answers  # p child, local_grad
    assert [a for a in answers if a in (["-4.0"], ["-8.0"])] == [["-4.0"], ["-4.0"], ["-8.0"]]
    assert "a.grad = 16.0, b.grad = -16.0" in result.stdout


def test_the_demo_docstrings_give_the_docs_commands():
    (grep, _), (pdb_command, _) = shell_commands()
    for demo in ("step_through.py", "06_step_through_backprop.py"):
        text = (REPO / "demos" / demo).read_text(encoding="utf-8")
        assert grep in text and pdb_command in text, demo
