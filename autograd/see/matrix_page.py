"""The matrix lens as a page: each named matrix's grads beside the factors of its regrouped product.

    view = autograd.matrix_view(loss, named={"X": X, "W": W, "b": b})
    autograd.render_matrix_view(view, "lens.html")

Pointing at (or tabbing to) an entry of a gradient highlights the entries of the factors its sum
is made of (row r of the first factor and column c of the second, for dW = Xᵀ · d(X·W); column c
for a bias's sum) and writes the entry's chain-rule sum from the graph's edges under the grids.
One self-contained HTML file, no network. The graph's own edges are not drawn here.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from autograd.matrix_lens import MatrixView, NamedMatrix

_STYLE = """
body { font: 18px/1.4 system-ui, sans-serif; margin: 24px; color: #1a1a1a; background: #fff; }
h2 { font-size: 22px; margin: 28px 0 8px; }
.row { display: flex; gap: 28px; align-items: flex-start; flex-wrap: wrap; }
.op { font-size: 26px; align-self: center; }
table.m { border-collapse: collapse; }
table.m caption { font-weight: 600; padding-bottom: 4px; white-space: nowrap; }
table.m td { border: 1px solid #bbb; padding: 4px 8px; font: 16px ui-monospace, monospace;
  text-align: right; }
table.m td.g { cursor: pointer; }
table.m td.hl { background: #ffd84d; outline: 2px solid #b38600; }
table.m td.on { background: #7fc3ff; outline: 2px solid #005fa3; }
pre.sum { font: 16px ui-monospace, monospace; background: #f4f4f4; padding: 8px; min-height: 2.8em;
  white-space: pre-wrap; }
p.verdict { font-size: 16px; }
"""

_SCRIPT = """
document.querySelectorAll('td.g').forEach(function (cell) {
  function show() {
    document.querySelectorAll('.hl, .on').forEach(function (c) { c.classList.remove('hl', 'on'); });
    cell.classList.add('on');
    JSON.parse(cell.dataset.cells).forEach(function (id) {
      var c = document.getElementById(id); if (c) c.classList.add('hl');
    });
    document.getElementById(cell.dataset.pre).textContent = cell.dataset.sum;
  }
  cell.addEventListener('mouseenter', show);
  cell.addEventListener('focus', show);
  cell.addEventListener('click', show);
});
window.chainrule = {ready: true};
"""


def _grid(caption: str, values: list[list[float]], key: str, grads: bool = False) -> str:
    rows = []
    for i, row in enumerate(values):
        cells = "".join(
            f'<td id="{key}-{i}-{j}"{" class=g tabindex=0" if grads else ""}>{v:+.4f}</td>'
            for j, v in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="m" id="{key}"><caption>{html.escape(caption)}</caption>{"".join(rows)}</table>'


def _section(k: int, nm: NamedMatrix) -> str:
    key = f"m{k}"
    grid = _grid(f"d{nm.name}  ({nm.shape[0]}×{nm.shape[1]})", nm.grads, f"{key}g", grads=True)
    # each gradient entry: the factor cells its sum uses, and its sum written out
    parts = [grid]
    if len(nm.factors) == 2:
        (n1, f1), (n2, f2) = nm.factors
        times = '<span class="op">·</span>'
        parts += ['<span class="op">=</span>', _grid(n1, f1, f"{key}a"), times, _grid(n2, f2, f"{key}b")]
    elif len(nm.factors) == 1:
        (n1, f1) = nm.factors[0]
        parts += ['<span class="op">= Σ rows of</span>', _grid(n1, f1, f"{key}a")]
    body = "".join(parts)
    # data attributes filled in by a second pass over the grads grid's cells
    for r, row in enumerate(nm.grads):
        for c in range(len(row)):
            cells: list[str] = []
            if len(nm.factors) == 2:
                inner = len(nm.factors[0][1][0])
                cells = [f"{key}a-{r}-{s}" for s in range(inner)] + [f"{key}b-{s}-{c}" for s in range(inner)]
            elif len(nm.factors) == 1:
                cells = [f"{key}a-{i}-{c}" for i in range(len(nm.factors[0][1]))]
            attrs = (
                f' data-cells="{html.escape(json.dumps(cells))}" data-pre="{key}p"'
                f' data-sum="{html.escape(nm.entry_text(r, c))}"'
            )
            body = body.replace(f'id="{key}g-{r}-{c}"', f'id="{key}g-{r}-{c}"{attrs}', 1)
    verdict = ""
    if nm.product:
        said = "equal to the grads, entry by entry" if nm.product_matches else "NOT equal to the grads"
        shapes = html.escape(nm.product_shapes)
        verdict = f'<p class="verdict">{html.escape(nm.product)} · shapes {shapes}: {said}</p>'
    return (
        f"<h2>{html.escape(nm.name)}</h2><div class=row>{body}</div>{verdict}"
        f'<pre class="sum" id="{key}p">point at an entry of d{html.escape(nm.name)}</pre>'
    )


def matrix_view_html(view: MatrixView, title: str = "matrix lens") -> str:
    """The page's HTML: one section per named matrix (see the module docstring)."""
    if not isinstance(view, MatrixView):
        raise TypeError(
            f"matrix_view_html: expected what autograd.matrix_view returns, got {type(view).__name__}"
        )
    sections = "".join(_section(k, nm) for k, nm in enumerate(view.matrices))
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body>{sections}<script>{_SCRIPT}</script></body></html>"
    )


def render_matrix_view(view: MatrixView, path: str | Path = "matrix_lens.html") -> Path:
    """Write ``matrix_view_html(view)`` to ``path``; return the path."""
    out = Path(path)
    out.write_text(matrix_view_html(view), encoding="utf-8")
    return out
