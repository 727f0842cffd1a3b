"""The matrix lens as a page: each named matrix's grads beside the factors of its regrouped product.

    view = autograd.matrix_view(loss, named={"X": X, "W": W, "b": b})
    autograd.render_matrix_view(view, "lens.html")

Pointing at (or tabbing to) an entry of a gradient highlights the entries of the factors its sum
is made of (row r of the first factor and column c of the second, for dW = Xᵀ · d(X·W); column c
for a bias's sum), writes the entry's chain-rule sum from the graph's edges under the grids, and,
in a drawing of the graph beside them (Graphviz's ``dot``; each edge labelled ``local × upstream
= contribution``), highlights the edges out of that entry: one per term of its sum, e.g. the
edge W[i][j] -> (X·W)[k][j] whose local derivative is X[k][i] and whose upstream grad is
d(X·W)[k][j], with the boxes of those two factors. A graph of more than ``WHOLE_GRAPH_VALUES``
values is drawn one entry's neighbourhood at a time (``focus=`` the entry, ``radius=1``: the
entry, the nodes it feeds and the edges between); without Graphviz the page says so and shows
the matrices only. One self-contained HTML file, no network.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from autograd.backward import topological_order
from autograd.matrix_lens import MatrixView, NamedMatrix
from autograd.see.draw import GraphvizMissing, to_svg
from autograd.value import Value

READABLE_PX = 14.5  # the graph's smallest text on screen, in px (a margin over 14 for rounding)
WHOLE_GRAPH_VALUES = 40  # a bigger graph is drawn one entry's neighbourhood at a time
FOCUS_MAX_ENTRIES = 60  # named matrices with more entries than this get no pictures of their edges

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
.page { display: flex; gap: 24px; align-items: flex-start; }
.mats { flex: 0 0 auto; max-width: 46%; }
.graph { flex: 1 1 auto; min-width: 0; position: sticky; top: 8px; max-height: calc(100vh - 16px);
  overflow: auto; border: 1px solid #ccc; padding: 4px; }
.graph h2 { margin-top: 4px; }
p.note { font-size: 16px; color: #444; max-width: 40em; }
g.edge.hl path { stroke: #d97a00; stroke-width: 4px; }
g.edge.hl polygon { stroke: #d97a00; fill: #d97a00; }
g.edge.hl text { fill: #8a4b00; font-weight: bold; }
g.node.hl polygon, g.node.hl path { stroke: #d97a00; stroke-width: 3px; }
g.node.on polygon, g.node.on path { stroke: #005fa3; stroke-width: 4px; }
"""

_SCRIPT = """
// scroll the graph's panel (never the page) so that the highlighted edges and boxes are in view
function reveal() {
  var box = document.getElementById('graph');
  var lit = [...box.querySelectorAll('g.hl, g.on')].map(function (g) { return g.getBoundingClientRect(); });
  if (!lit.length) return;
  var b = box.getBoundingClientRect();
  var left = Math.min(...lit.map(r => r.left)), right = Math.max(...lit.map(r => r.right));
  var top = Math.min(...lit.map(r => r.top)), bottom = Math.max(...lit.map(r => r.bottom));
  if (left >= b.left && right <= b.right && top >= b.top && bottom <= b.bottom) return;
  // centred, or from its left (top) edge when wider (taller) than the panel
  box.scrollLeft += right - left > b.width ? left - b.left - 8 : (left + right) / 2 - (b.left + b.right) / 2;
  box.scrollTop += bottom - top > b.height ? top - b.top - 8 : (top + bottom) / 2 - (b.top + b.bottom) / 2;
}
document.querySelectorAll('td.g').forEach(function (cell) {
  function show() {
    document.querySelectorAll('.hl, .on').forEach(function (c) { c.classList.remove('hl', 'on'); });
    cell.classList.add('on');
    JSON.parse(cell.dataset.cells).forEach(function (id) {
      var c = document.getElementById(id); if (c) c.classList.add('hl');
    });
    document.querySelectorAll('div.focus').forEach(function (d) { d.hidden = d.id !== cell.dataset.focus; });
    JSON.parse(cell.dataset.edges || '[]').forEach(function (id) {
      var c = document.getElementById(id); if (c) c.classList.add('hl');
    });
    JSON.parse(cell.dataset.nodes || '[]').forEach(function (id, k) {
      var c = document.getElementById(id); if (c) c.classList.add(k === 0 ? 'on' : 'hl');
    });
    document.getElementById(cell.dataset.pre).textContent = cell.dataset.sum;
    reveal();
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


Marks = dict[tuple[str, int, int], tuple[list[str], list[str], str]]


def _ids(svg: str, prefix: str) -> tuple[str, dict[str, int], set[str]]:
    """Graphviz's SVG with ids of our own: ``{prefix}edge-v5-v2_op`` for the edge v5 -> v2_op
    (``-2``, ``-3`` for the same edge again: a value used twice by one op), ``{prefix}node-v5``
    for a box; no XML prolog; enlarged to be legible. Returns it, how many times each edge id's
    base occurs, and the box ids."""
    seen: dict[str, int] = {}
    boxes: set[str] = set()

    def edge_id(match: re.Match[str]) -> str:
        tail, _, head = html.unescape(match.group(2)).partition("->")
        base = f"{prefix}edge-{tail}-{head}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base}-{seen[base]}"
        return f'<g id="{name}" class="edge">{match.group(1)}<title>{match.group(2)}</title>'

    def node_id(match: re.Match[str]) -> str:
        name = f"{prefix}node-{html.unescape(match.group(2))}"
        boxes.add(name)
        return f'<g id="{html.escape(name)}" class="node">{match.group(1)}<title>{match.group(2)}</title>'

    svg = re.sub(r'<g id="edge\d+" class="edge">(\s*)<title>([^<]*)</title>', edge_id, svg)
    svg = re.sub(r'<g id="node\d+" class="node">(\s*)<title>([^<]*)</title>', node_id, svg)
    return _legible(svg[svg.find("<svg") :]), seen, boxes


def _entry_marks(
    prefix: str, v: Value, index: dict[int, int], consumers: dict[int, list[tuple[Value, int]]],
    seen: dict[str, int], boxes: set[str],
) -> tuple[list[str], list[str]]:  # fmt: skip
    """The ids of the edges out of ``v`` (one per term of its grad's sum) and of the boxes to mark:
    ``v``'s own first, then each term's other factor (a dot node's) and the node it leads to."""
    edges: list[str] = []
    nodes = [f"{prefix}node-v{index[id(v)]}"]
    for node, k in consumers.get(id(v), []):
        # into the op's oval, or (a compact layout) straight into the node's box
        base = f"{prefix}edge-v{index[id(v)]}-v{index[id(node)]}_op"
        if base not in seen:
            base = base[: -len("_op")]
        if base in seen and base not in edges:
            edges += [base] + [f"{base}-{t}" for t in range(2, seen[base] + 1)]
        if node.op == "dot":
            n = len(node.inputs) // 2
            other = node.inputs[n + k] if k < n else node.inputs[k - n] if k < 2 * n else None
            if other is not None and id(other) in index:
                nodes.append(f"{prefix}node-v{index[id(other)]}")
        nodes.append(f"{prefix}node-v{index[id(node)]}")
    return edges, [n for n in dict.fromkeys(nodes) if n in boxes]


def _graph(view: MatrixView) -> tuple[str, Marks]:
    """The graph's picture (or why there is none) and, for each entry (name, i, j) of a named
    matrix, the SVG ids to highlight (``_entry_marks``) and the id of the picture they are in
    ("" for the whole graph's, drawn when it has at most ``WHOLE_GRAPH_VALUES`` values; else one
    picture per entry of its neighbourhood, ``focus=entry, radius=1``, shown when pointed at)."""
    if view.result is None or not view.values:
        return '<p class="note">No graph: this view does not hold the graph it was read from.</p>', {}
    order = topological_order(view.result)
    index = {id(n): k for k, n in enumerate(order)}
    consumers: dict[int, list[tuple[Value, int]]] = {}
    for node in order:
        for k, child in enumerate(node.inputs):
            consumers.setdefault(id(child), []).append((node, k))
    entries = [
        (name, i, j, v)
        for name, rows in view.values.items()
        for i, row in enumerate(rows)
        for j, v in enumerate(row)
        if id(v) in index
    ]
    marks: Marks = {}
    intro = (
        '<p class="note">Each edge reads <i>local derivative × upstream grad = what it adds</i>. '
        "Point at an entry of a gradient: its edges light up, one per term of its sum.</p>"
    )
    try:
        if len(order) <= WHOLE_GRAPH_VALUES:
            svg, seen, boxes = _ids(to_svg(view.result, rankdir="auto", edge_labels=True), "")
            for name, i, j, v in entries:
                marks[(name, i, j)] = (*_entry_marks("", v, index, consumers, seen, boxes), "")
            return f"<h2>the graph</h2>{intro}{svg}", marks
        if len(entries) > FOCUS_MAX_ENTRIES:
            return (
                f'<p class="note">The graph has {len(order)} values and the named matrices '
                f"{len(entries)} entries: too many to draw here. Draw one entry's neighbourhood with "
                "<code>autograd.draw_dot(loss, focus=W[i][j], radius=1, edge_labels=True)</code>.</p>",
                {},
            )
        parts = []
        for n, (name, i, j, v) in enumerate(entries):
            prefix = f"f{n}-"
            svg, seen, boxes = _ids(to_svg(view.result, focus=v, radius=1, edge_labels=True), prefix)
            marks[(name, i, j)] = (*_entry_marks(prefix, v, index, consumers, seen, boxes), f"focus{n}")
            said = html.escape(f"{name}[{i}][{j}] and the nodes it feeds")
            parts.append(f'<div class="focus" id="focus{n}" hidden><p class="note">{said}</p>{svg}</div>')
    except GraphvizMissing as err:
        return (
            '<p class="note">No graph drawing: Graphviz is not available here '
            f"({html.escape(str(err))}). The matrices are complete without it.</p>",
            {},
        )
    big = (
        f'<p class="note" id="focus-note">The graph has {len(order)} values, too many to read in one '
        "picture: pointing at an entry draws its own edges.</p>"
    )
    return f"<h2>the graph</h2>{intro}{big}{''.join(parts)}", marks


def _legible(svg: str) -> str:
    """The SVG enlarged so that its smallest text (edge labels) is ``READABLE_PX`` on screen:
    its width and height are in pt (4/3 px) and its viewBox in the same units as font-size."""
    sizes = [float(f) for f in re.findall(r'font-size="([0-9.]+)"', svg)]
    head = re.search(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    if not sizes or head is None:
        return svg
    zoom = max(1.0, READABLE_PX / (min(sizes) * 4 / 3))
    w, h = float(head.group(1)) * zoom, float(head.group(2)) * zoom
    return svg.replace(head.group(0), f'<svg width="{w:.1f}pt" height="{h:.1f}pt"', 1)


def _section(k: int, nm: NamedMatrix, marks: Marks | None = None) -> str:
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
            edges, nodes, focus = (marks or {}).get((nm.name, r, c), ([], [], ""))
            attrs = (
                f' data-cells="{html.escape(json.dumps(cells))}" data-pre="{key}p"'
                f' data-edges="{html.escape(json.dumps(edges))}"'
                f' data-nodes="{html.escape(json.dumps(nodes))}" data-focus="{focus}"'
                f' data-sum="{html.escape(nm.entry_text(r, c))}"'
            )
            body = body.replace(f'id="{key}g-{r}-{c}"', f'id="{key}g-{r}-{c}"{attrs}', 1)
    verdict = ""
    if nm.product:
        shapes, said = html.escape(nm.product_shapes), html.escape(nm.verdict)
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
    graph, marks = _graph(view)
    sections = "".join(_section(k, nm, marks) for k, nm in enumerate(view.matrices))
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><div class=page><div class=mats>{sections}</div>"
        f'<div class="graph" id="graph">{graph}</div></div><script>{_SCRIPT}</script></body></html>'
    )


def render_matrix_view(view: MatrixView, path: str | Path = "matrix_lens.html") -> Path:
    """Write ``matrix_view_html(view)`` to ``path``; return the path."""
    out = Path(path)
    out.write_text(matrix_view_html(view), encoding="utf-8")
    return out
