"""The layers hold: import contracts kept, and importing the engine or nn loads no seeing tool."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def loaded_after(statement: str) -> set[str]:
    """The project's modules (and graphviz) in sys.modules after running ``statement`` afresh."""
    code = (
        f"{statement}\nimport sys\n"
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('autograd', 'nn', 'chainrule', 'graphviz')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_nn_or_autograd_loads_no_seeing_tool():
    for statement in ("import nn", "import autograd", "from autograd import Value, no_grad, grad"):
        loaded = loaded_after(statement)
        assert not {m for m in loaded if m.startswith("autograd.see") or m == "graphviz"}, (statement, loaded)
        assert not {m for m in loaded if m.startswith("chainrule")}, (statement, loaded)


def test_a_seeing_tool_is_loaded_when_its_name_is_used():
    loaded = loaded_after("import autograd\nautograd.render_steps")
    assert {"autograd.see.page", "autograd.see.draw"} <= loaded
    assert "graphviz" not in loaded  # the graphviz package waits until a picture is made


def test_the_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "pip install import-linter (in the dev extra)"
    result = subprocess.run([lint_imports], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout
