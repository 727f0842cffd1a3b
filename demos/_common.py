"""Shared by the numbered demos: where to write pictures (not a demo itself)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def output_dir(name: str) -> Path:
    """The directory given as the first argument, else a fresh temporary one; created if needed."""
    if len(sys.argv) > 1:
        out = Path(sys.argv[1])
    else:
        out = Path(tempfile.mkdtemp(prefix=f"chainrule-{name}-"))
    out.mkdir(parents=True, exist_ok=True)
    return out
