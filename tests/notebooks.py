"""Running a notebook the way Jupyter does, for the tests that check what a notebook shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# In a subprocess: Jupyter's machinery raises the interpreter's recursion limit in the process
# that drives it, which would leak into the other tests.
RUNNER = """
import sys
import nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(notebook, sys.argv[2])
"""


def execute_notebook(source: Path, executed: Path, workdir: Path) -> Any:
    """Run ``source`` on the python3 kernel in ``workdir``, save it as ``executed``, return it read back."""
    import nbformat

    # Jupyter's kernel picks the inline backend only where MPLBACKEND is unset (a test run may set it)
    env = {**{k: v for k, v in os.environ.items() if k != "MPLBACKEND"}, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(source), str(executed), str(workdir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return nbformat.read(executed, as_version=4)
