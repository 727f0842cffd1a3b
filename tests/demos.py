"""Running a demo as a teacher would: a fresh process, from an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMOS = REPO / "demos"


def run_demo(name: str, tmp_path: Path, *args: str, path_first: Path | None = None) -> str:
    """Run demos/<name> with OUT_DIR = tmp_path/out from tmp_path; return its stdout.

    ``path_first``: a directory searched for modules before the repository.
    """
    result = _run(name, tmp_path, [str(tmp_path / "out"), *args], path_first=path_first)
    assert "Traceback" not in result.stderr
    return result.stdout


def run_in(cwd: Path, demo: str, *args: str, variable: str | None = None) -> str:
    """Run a demo from ``cwd`` with ``CHAINRULE_DEMOS_OUT`` set to ``variable`` (None: unset)."""
    return _run(demo, cwd, list(args), variable=variable).stdout


def _run(
    demo: str, cwd: Path, args: list[str], path_first: Path | None = None, variable: str | None = None
) -> subprocess.CompletedProcess[str]:
    """demos/<demo> in a fresh process from ``cwd``; it must exit 0."""
    pythonpath = [str(path_first)] if path_first else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*pythonpath, str(REPO)]), "MPLBACKEND": "Agg"}
    env.pop("CHAINRULE_DEMOS_OUT", None)
    if variable is not None:
        env["CHAINRULE_DEMOS_OUT"] = variable
    result = subprocess.run(
        [sys.executable, str(DEMOS / demo), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result
