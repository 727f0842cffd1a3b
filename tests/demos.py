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
    out = tmp_path / "out"
    pythonpath = [str(path_first)] if path_first else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*pythonpath, str(REPO)]), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, str(DEMOS / name), str(out), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout
