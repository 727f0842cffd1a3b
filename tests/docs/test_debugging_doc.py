"""docs/debugging.md runs as written: its Python blocks in order, and its pdb recipe from another folder.

The Python blocks are run one after the other in one namespace, from an empty folder, as a
reader pastes them; where a block is followed by an output block, what the code prints (or
the error it raises) must be that block, line for line. The hand-derived numbers of the
running example are checked apart from the doc: L = (a*b + a)**2 at a = 2, b = -3, so
dL/da = 2(ab + a)(b + 1) = 16 and dL/db = 2(ab + a)a = -16.

The pdb recipe is then run from a folder outside the repository, on a script there, with
chainrule installed as the README installs it (editable: a finder that maps the package names
to the checkout, the repository itself not on sys.path).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "debugging.md"


def fenced_blocks() -> list[tuple[str, str, str]]:
    """Each fenced block as (language, code, the untagged block right after it or '')."""
    text = DOC.read_text(encoding="utf-8")
    found = list(re.finditer(r"^```(\w*)\n(.*?)^```\n", text, re.M | re.S))
    blocks = []
    for k, match in enumerate(found):
        after = ""
        if k + 1 < len(found):
            following = found[k + 1]
            if following.group(1) == "" and not text[match.end() : following.start()].strip():
                after = following.group(2)
        blocks.append((match.group(1), match.group(2), after))
    return blocks


def python_blocks() -> list[tuple[str, str]]:
    return [(code, shown) for language, code, shown in fenced_blocks() if language == "python"]


def run_in_order(blocks: list[tuple[str, str]], namespace: dict[str, object]) -> None:
    """Run each block after the previous ones; compare with the output block the doc shows."""
    for k, (code, shown) in enumerate(blocks):
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, "demo.py", "exec"), namespace)
        except Exception as error:  # the doc shows the error it expects
            first = shown.splitlines()[0] if shown else ""
            raised = f"{type(error).__name__}: {error}"
            assert first.split(", at ")[0] == raised.split(", at ")[0], f"block {k} raised {raised}"
            continue
        if shown:
            assert printed.getvalue().splitlines() == shown.splitlines(), f"block {k}:\n{code}"


def test_the_doc_has_the_setup_and_the_sections_blocks():
    codes = [code for code, _ in python_blocks()]
    assert "def example():" in codes[0]
    assert "L.backward_steps()" in codes[1] and "a.explain(L)" in codes[2]


def test_sections_1_and_2_run_in_order_print_what_the_doc_shows(tmp_path, monkeypatch):
    """Section 2 after section 1 said 'a.grad = 32.0: does NOT match' (two passes added up)."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    blocks = python_blocks()[:3]  # the setup, section 1, section 2
    run_in_order(blocks, namespace)
    a, b = namespace["a"], namespace["b"]
    assert (a.grad, b.grad) == (16.0, -16.0)  # type: ignore[attr-defined]  # by hand, see above
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(blocks[2][0], namespace)  # section 2 once more: still a fresh graph
    assert "a.grad = 16.0: matches" in printed.getvalue()
    assert "NOT match" not in "".join(shown for _, shown in blocks)


@pytest.mark.slow  # draws with Graphviz's dot
def test_every_python_block_runs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_in_order(python_blocks(), {})
    for name in ("graph.svg", "mlp.svg", "near.svg", "steps.html"):
        assert (tmp_path / name).stat().st_size > 500, name


# -- the pdb recipe, from another folder, with an editable install ---------------------------------

EDITABLE_FINDER = """
import sys
from importlib.machinery import PathFinder


class EditableChainrule:
    \"\"\"What setuptools' editable install does: the packages found in the checkout by name.\"\"\"

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name in ("autograd", "nn", "chainrule"):
            return PathFinder.find_spec(name, [{repo!r}])
        return None


sys.meta_path.insert(0, EditableChainrule)
"""


def recipe(marker: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\n```[a-z]*\n(.*?)\n```", text, re.S)
    assert match, marker
    return match.group(1).splitlines()


def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder outside the repository holding a learner's script, and an environment in which
    chainrule is installed editable: importable by name, the checkout not on sys.path."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(EDITABLE_FINDER.format(repo=str(REPO)))
    folder = tmp_path / "my-project"
    folder.mkdir()
    (folder / "my_script.py").write_text((REPO / "demos" / "step_through.py").read_text(encoding="utf-8"))
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return folder, {**os.environ, "PYTHONPATH": str(site), "PATH": path}


@pytest.mark.slow  # runs grep, python and pdb in subprocesses
def test_the_pdb_recipe_works_from_another_folder_with_an_editable_install(tmp_path):
    folder, env = elsewhere(tmp_path)
    grep = next(line[2:] for line in recipe("pdb-shell") if line.startswith("$ grep"))
    found = subprocess.run(
        ["bash", "-c", grep], capture_output=True, text=True, cwd=folder, env=env, timeout=60
    )
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.splitlines()) == 1
    where, number = found.stdout.split(":")[:2]
    assert where == str(REPO / "autograd" / "backward.py")  # the checkout's file, found by Python

    session = recipe("pdb-session")
    typed = [line[len("(Pdb) ") :] for line in session if line.startswith("(Pdb) ")]
    assert typed[0] == f"b /…/autograd/backward.py:{number}"
    typed = [command.replace("/…", str(REPO)) for command in typed]
    ran = subprocess.run(
        [sys.executable, "-m", "pdb", "my_script.py"],
        input="\n".join(typed) + "\n", capture_output=True, text=True, cwd=folder, env=env, timeout=120,
    )  # fmt: skip
    answers = [chunk.splitlines() for chunk in ran.stdout.replace(str(REPO), "/…").split("(Pdb) ")[1:]]
    shown: list[list[str]] = []
    for line in session:
        if line.startswith("(Pdb) "):
            shown.append([])
        else:
            shown[-1].append(line)
    assert answers[0] == [f"Breakpoint 1 at /…/autograd/backward.py:{number}"], ran.stdout
    # every answer the doc shows up to the end of the run (the restart names the script)
    end = typed.index("clear 1") + 1
    assert answers[:end] == shown[:end], ran.stdout
    assert "a.grad = 16.0, b.grad = -16.0" in ran.stdout  # dL/da = 16, dL/db = -16 by hand


@pytest.mark.slow
def test_a_relative_breakpoint_is_not_found_there(tmp_path):
    """Why the recipe gives the whole path: pdb looks 'autograd/backward.py' up along sys.path,
    and the editable install does not put the checkout there (the old recipe failed so)."""
    folder, env = elsewhere(tmp_path)
    ran = subprocess.run(
        [sys.executable, "-m", "pdb", "my_script.py"],
        input="b autograd/backward.py:93\nq\n", capture_output=True, text=True, cwd=folder, env=env, timeout=120,
    )  # fmt: skip
    assert "'autograd/backward.py' not found from sys.path" in ran.stdout
