"""Shared by the numbered demos: the one folder they write into (not a demo itself).

Every demo writes into the same folder, ``chainrule-demos/`` in the current directory, and
prints where it is. To write elsewhere, give the folder as the demo's first argument
(``python demos/05_trace_a_neuron.py pictures/``) or set ``CHAINRULE_DEMOS_OUT`` once for all
of them; the argument wins over the variable. Each demo's files have names of their own, so
the demos can share the folder.

Without matplotlib (a bare ``pip install chainrule``) a demo that plots prints everything else,
then one line saying which extra brings the plot (``can_plot``), as ``chainrule`` itself does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from chainrule.optional import missing_line, optional_import

DEFAULT_FOLDER = "chainrule-demos"
ENVIRONMENT_VARIABLE = "CHAINRULE_DEMOS_OUT"


def output_dir() -> Path:
    """The demos' output folder (first argument, else $CHAINRULE_DEMOS_OUT, else ./chainrule-demos).

    Created if needed, and printed, so a reader always knows where the pictures went.
    """
    if len(sys.argv) > 1:
        out = Path(sys.argv[1])
    else:
        out = Path(os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_FOLDER)
    out.mkdir(parents=True, exist_ok=True)
    print(f"output folder: {out.resolve()}")
    return out


def can_plot(what: str) -> bool:
    """True if matplotlib is installed; else print one line naming ``what`` is left out and the
    extra that installs it (the command's own line), and return False."""
    if optional_import("matplotlib") is not None:
        return True
    print(missing_line("matplotlib", what))
    return False
