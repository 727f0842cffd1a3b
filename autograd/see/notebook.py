"""``show(root)`` and ``show(run)``: the live graph page or a training flipbook, inline in a notebook.

Jupyter, VS Code and Colab display an object's ``_repr_html_``. Here that is an ``<iframe>``
whose ``srcdoc`` attribute holds the whole page, HTML-escaped: no server, no extension, no file.
The iframe is sandboxed (``allow-scripts`` only), so the page's script runs apart from the
notebook, and the page's own Content-Security-Policy still forbids any network access. Without
Graphviz's ``dot`` (or under Pyodide) the page carries viz-js and lays its graph out itself.

    import autograd
    autograd.show(loss)                      # the live page; its own backward pass, loss's grads untouched
    autograd.show(recorder)                  # a nn.record.TrainingRecorder, or its as_dict()
    autograd.show(autograd.matrix_view(loss, named={"X": X, "W": W}))   # the matrix lens page
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from autograd.matrix_lens import MatrixView
from autograd.see.flipbook import flipbook_page
from autograd.see.matrix_page import matrix_view_html
from autograd.see.page import live_page
from autograd.value import Value


class InlinePage:
    """A self-contained page that notebooks display inline; ``.html`` is the page itself."""

    def __init__(self, page: str, height: int = 760) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ccc;" '
            'title="chainrule page"></iframe>'
        )

    def save(self, path: str) -> str:
        """Write the page to ``path`` as a file of its own; returns the path."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)
        return path


def show(what: Any, height: int = 760, **options: Any) -> InlinePage:
    """The live page of a Value (which computes its own backward pass and changes nothing in the
    graph, as ``render_steps``), the flipbook of a recorded run, or the matrix lens page of a
    ``matrix_view`` (its grids, and the graph with the edges of each entry's sum).

    ``what`` is a ``Value`` (``options`` go to ``render_steps``: ``max_nodes=``, ``model=``,
    ``edge_labels=``, ``layout=``, ...: where Graphviz's ``dot`` cannot run, or with
    ``layout='browser'``, the page lays its graph out itself with viz-js) or a recorded run: a
    ``TrainingRecorder`` or its ``as_dict()`` (``options`` may give ``title=``), or a
    ``MatrixView`` (``options`` may give ``title=``).
    ``height`` is the inline frame's height in pixels.
    """
    if isinstance(height, bool) or not isinstance(height, int) or height < 100:
        raise ValueError(f"show: height must be an int >= 100 (pixels), got {height!r}")
    if isinstance(what, Value):
        return InlinePage(live_page(what, **options), height)
    if isinstance(what, MatrixView):
        return InlinePage(matrix_view_html(what, **options), height)
    run = what.as_dict() if callable(getattr(what, "as_dict", None)) else what
    if isinstance(run, Mapping) and "frames" in run:
        return InlinePage(flipbook_page(run, **options), height)
    raise TypeError(
        "show: expected a Value, a recorded training run (TrainingRecorder) or a matrix_view, "
        f"got {type(what).__name__}"
    )
