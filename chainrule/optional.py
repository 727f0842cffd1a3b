"""Optional packages of the application: import one if it is installed, else say which extra brings it.

A bare ``pip install chainrule`` has the engine, ``nn``, the ``graphviz`` Python package and the
command. matplotlib (the plots) and tqdm (the progress bar) come with extras; without them the
command still runs, leaves out only what needs them, and says so in one line. The Graphviz
``dot`` program comes from the system, not from pip; ``DOT_HINT`` says how to get it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXTRAS = {"matplotlib": "plot", "tqdm": "progress"}  # which extra of chainrule brings each package

DOT_HINT = (
    "the Graphviz 'dot' program is not installed, so only the DOT source was written; install it "
    "with 'sudo apt-get install graphviz' (Debian/Ubuntu) or 'brew install graphviz' (macOS)"
)


def optional_import(name: str) -> ModuleType | None:
    """The module ``name`` if it can be imported, else None."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def install_hint(extra: str) -> str:
    """How to install chainrule with ``extra``: from PyPI, and in a checkout of the source (the
    editable install the README's commands make; ``-e`` keeps it editable)."""
    return f"pip install 'chainrule[{extra}]' (in a checkout of the source: pip install -e '.[{extra}]')"


def missing_line(name: str, what: str) -> str:
    """One line saying that ``what`` was left out and which extra installs ``name``."""
    return f"no {what}: it needs {name}; {install_hint(EXTRAS[name])}"
