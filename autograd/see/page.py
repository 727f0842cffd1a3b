"""``render_steps(root, 'steps.html')``: the live graph page, to edit inputs and step through backward.

One self-contained HTML file: the graph as inline SVG (laid out by ``autograd/see/draw.py``),
the graph as JSON (each node's op, inputs, data and local derivatives), a JavaScript twin of
the op table (``ops_twin.js``, row for row like ``autograd/ops.py``) and the page's code
(``page_template.html``). In the page:

- every leaf's value can be typed, slid, or dragged (its box, sideways); the page reruns the
  forward rule of every op and its own backward pass at once, and every box shows its new data
  and grad. An input outside an op's domain gives Python's error, as a message at that node;
- the backward pass can be stepped through (buttons, slider, arrow keys); at each step the
  panel writes out that step's chain rule for every input x of the node n:

      x.grad += (∂n/∂x) × n.grad       local × upstream = contribution, before -> after

  and the edges of the steps not yet run are drawn dashed, with no number;
- the graph pans and zooms (wheel, drag, + - 0 keys); ``p`` toggles a presentation mode;
  ``predict`` (or ``g``) hides each step's results until the learner types them, and its
  second level (``predict ∂`` or ``l``) hides the local derivatives too;
- ``matrices=`` adds the matrix view: each named grid of Values (a layer's weights as PyTorch
  orients them, rows = neurons and columns = inputs, with its bias as a last column) is drawn
  as a table of data and grad, the same numbers as the graph's boxes; a cell's grad is shown
  once the step that makes it final has run ("pending" before), and pointing at a cell rings
  its node in the graph, pointing at a node marks its cells;
- ``window.chainrule`` scripts it: ``names() set(name, x) value(name) grad(name) steps()
  step(k) error() predicting() matrices() matrix(name) point(name) pointed()``; the page shows
  exactly the state these read.

**The page's own backward pass.** The page never reads ``.grad``: it starts every grad at 0,
seeds the root, and walks the recorded local derivatives, so a graph after ``backward()`` (or
drawn twice) gives the same page as a fresh one. Making the page changes nothing in the
user's graph: no grad, no label (the drawing is made from a copy of the graph that carries the
page's names and grads). Leaves holding grads from an earlier ``backward()`` are named on the
page's first step, without their numbers.

**Where ``dot`` cannot run** (not installed, or Python in a browser, Pyodide, where no program can
be started), the page is laid out in the browser instead: it carries the DOT text of each layout
``draw.page_layouts`` would make (``draw.page_dots``) and viz-js (Graphviz compiled to
WebAssembly, ``vendor/viz-global.js``, shipped inside the package, 1.3 MB), which lays the graph
out as the page opens; the page then works as the one laid out by ``dot``. ``layout='browser'``
asks for that page even where ``dot`` runs, ``layout='dot'`` refuses it (``GraphvizMissing``).
That DOT text is data in the page, so it is drawn from the twin graph with every grad and local
derivative set to 0: it carries the values and names the page shows anyway, and none of the
numbers predict mode can hide (the page writes every number into the drawing as it starts).

Nothing is fetched from the network and a Content-Security-Policy forbids it. User text
reaches the page through Graphviz's SVG (which escapes it), through ``html.escape`` (the
title) and through JSON in which ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on,
so a label such as ``</script><script>...`` stays text.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from autograd.backward import topological_order
from autograd.matrix import _rows
from autograd.ops import leaky_relu_slope
from autograd.see.draw import COLOURS, MAX_NODES, NEURON_COLOUR, GraphvizMissing, page_dots, page_layouts
from autograd.see.selection import NamedParameters, node_kind
from autograd.steps import node_names
from autograd.value import Value, to_float

# Borders of the step being shown. Red is kept for what is wrong (errors, wrong predictions).
STEP_COLOURS = {"current": "#a0148c", "input": "#8c564b"}  # magenta and brown: unused by the boxes


def json_number(x: float) -> float | str:
    """A float for the page's JSON. JSON has no NaN or infinity: those go as the strings
    JavaScript's Number() reads back ("NaN", "Infinity", "-Infinity"); a finite float goes as is."""
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def json_numbers(xs: Iterable[Any]) -> list[float | str]:
    """``json_number`` of each of ``xs``, taken as floats (numpy numbers and ints too)."""
    return [json_number(float(x)) for x in xs]


def safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def page_backward(order: list[Value], seed: float) -> list[float]:
    """d(root)/d(node) for every node of ``order`` (``topological_order(root)``), computed here.

    The chain rule as ``backward()`` runs it, ``grad[child] += local × grad[node]`` along the
    backward order, but into a list that starts at 0 everywhere (the root at ``seed``): the
    ``.grad`` fields of the graph are neither read nor written.
    """
    index = {node: k for k, node in enumerate(order)}
    grads = [0.0] * len(order)
    grads[0] = seed
    for k, node in enumerate(order):
        upstream = grads[k]
        for child, local in zip(node.inputs, node.local_grads):
            grads[index[child]] += local * upstream
    return grads


def graph_data(
    order: list[Value], grad: float = 1.0, params: set[Value] | None = None, names: list[str] | None = None
) -> dict[str, Any]:
    """The page's graph, BEFORE the backward pass: every node's op, inputs, data and local derivatives.

    ``order`` is ``topological_order(root)``; node k is the ``v<k>`` that ``draw_dot`` draws,
    and its name is ``names[k]`` (its label or ``v<k>`` by default). The first ``computed``
    nodes are the ones backward visits, in that order. ``leaky_relu`` nodes carry their slope
    (``ops.leaky_relu_slope``), so the page can redo them at any input. ``stale`` names the
    leaves whose ``.grad`` is not 0 (left by an earlier ``backward()``): the page does not use
    those numbers, and says so.
    """
    root = order[0]
    index = {node: k for k, node in enumerate(order)}
    params = params or set()
    names = names or list(node_names(root, order).values())
    nodes = []
    for k, node in enumerate(order):
        entry: dict[str, Any] = {
            "name": names[k],
            "op": node.op,
            "inputs": [index[c] for c in node.inputs],
            "data": json_number(node.data),
            "local": json_numbers(node.local_grads),
            "kind": node_kind(node, root, params),
        }
        if node.op == "leaky_relu":
            entry["slope"] = leaky_relu_slope(node)
        nodes.append(entry)
    stale = [names[k] for k, node in enumerate(order) if not node.inputs and _nonzero(node.grad)]
    return {
        "root": names[0],
        "seed": json_number(grad),
        "computed": sum(1 for node in order if node.inputs),  # the backward order, then the leaves
        "stale": stale,
        "nodes": nodes,
        "colours": {**COLOURS, "neuron": NEURON_COLOUR, **{f"step-{k}": v for k, v in STEP_COLOURS.items()}},
    }


Matrices = Mapping[str, Any]


def matrix_data(matrices: Matrices, order: list[Value], names: list[str]) -> list[dict[str, Any]]:
    """The matrix view's data: for each named matrix, its cells as node indices into ``order``.

    ``matrices`` maps a name to a grid, a list of rows of Values (a numpy object array too), or
    to a layer, ``{"weight": grid, "bias": [one Value per row], "columns": [a label per
    column]}`` (``bias`` and ``columns`` optional): PyTorch's ``nn.Linear`` orientation, row i
    = neuron i, column j = input j, so ``weight[i][j]`` multiplies input j in neuron i; the
    bias is drawn as a last column ``b``. Every cell must be a node of the graph (``order``).

    Each cell is ``{"node": k, "final": s}``: node k's grad is final once the first ``s`` steps
    of the backward pass have run (s = 1 + the last step, in ``order``, of a node that has k as
    an input; 0 for the root, whose grad is the seed). Bad input raises ``TypeError`` or
    ``ValueError`` naming the matrix and the cell.
    """
    if not isinstance(matrices, Mapping):
        raise TypeError(
            f"render_steps: matrices must be a dict of name -> grid of Values, got {type(matrices).__name__}"
        )
    index = {node: k for k, node in enumerate(order)}
    final = [0] * len(order)
    for s, node in enumerate(order):  # the backward order: the last consumer seen is the last step
        for child in node.inputs:
            final[index[child]] = s + 1
    out = []
    for name, given in matrices.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"render_steps: each matrix needs a non-empty str name, got {name!r}")
        where = f"matrices[{name!r}]"
        layer = isinstance(given, Mapping)
        if layer:
            unknown = sorted(set(map(str, given)) - {"weight", "bias", "columns"})
            if unknown or "weight" not in given:
                raise ValueError(
                    f"render_steps: {where} must be a grid, or a dict with 'weight' (and optional 'bias', "
                    f"'columns'), got the keys {sorted(map(str, given))}"
                )
        base = where + ("['weight']" if layer else "")
        grid = _rows(given["weight"] if layer else given, "render_steps", base)
        cells = [
            [_cell(v, f"{base}[{i}][{j}]", index, names) for j, v in enumerate(row)]
            for i, row in enumerate(grid)
        ]
        entry: dict[str, Any] = {
            "name": name,
            "layer": layer,
            "rows": [[{"node": k, "final": final[k]} for k in row] for row in cells],
        }
        if layer:
            entry["bias"] = _bias(given.get("bias"), len(grid), where, index, names, final)
            entry["columns"] = _columns(given.get("columns"), len(grid[0]), where)
        out.append(entry)
    return out


def _cell(v: object, where: str, index: dict[Value, int], names: list[str]) -> int:
    """Node ``v``'s index in the graph; a non-Value or a Value not in the graph is refused."""
    if not isinstance(v, Value):
        raise TypeError(f"render_steps: {where} must be a Value of the graph, got {type(v).__name__} {v!r}")
    if v not in index:
        raise ValueError(
            f"render_steps: {where} ({v.label or 'unlabelled'}, data {v.data:.4g}) is not a node of the "
            f"graph of {names[0]}: every cell must be a Value the root was computed from"
        )
    return index[v]


def _bias(
    bias: object, rows: int, where: str, index: dict[Value, int], names: list[str], final: list[int]
) -> list[dict[str, int]] | None:
    """A layer's bias, one cell per row of its weight (``None`` when it has none)."""
    if bias is None:
        return None
    if hasattr(bias, "tolist") and not isinstance(bias, Value):
        bias = bias.tolist()
    if not isinstance(bias, (list, tuple)):
        raise TypeError(
            f"render_steps: {where}['bias'] must be a list of Values, one per row, got {type(bias).__name__}"
        )
    if len(bias) != rows:
        raise ValueError(
            f"render_steps: {where}['bias'] has {len(bias)} entries, but 'weight' has {rows} rows (one each)"
        )
    cells = [_cell(v, f"{where}['bias'][{i}]", index, names) for i, v in enumerate(bias)]
    return [{"node": k, "final": final[k]} for k in cells]


def _columns(columns: object, count: int, where: str) -> list[str]:
    """The labels of a layer's columns (its inputs): given, or ``x1, x2, ...``."""
    if columns is None:
        return [f"x{j + 1}" for j in range(count)]
    if (
        isinstance(columns, str)
        or not isinstance(columns, (list, tuple))
        or not all(isinstance(c, str) for c in columns)
    ):
        raise TypeError(f"render_steps: {where}['columns'] must be a list of str, got {columns!r}")
    if len(columns) != count:
        raise ValueError(f"render_steps: {where}['columns'] has {len(columns)} labels for {count} columns")
    return list(columns)


def _nonzero(grad: object) -> bool:
    """A grad left in a Value: a number other than 0, or a Value (``create_graph=True``)."""
    return isinstance(grad, Value) or (isinstance(grad, float) and grad != 0.0)


class _TwinModel:
    """A model seen through the twin graph: its parameters are the twins of the model's."""

    def __init__(self, model: NamedParameters, twin: dict[Value, Value]) -> None:
        self._model = model
        self._twin = twin

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(name, self._twin.get(p, p)) for name, p in self._model.named_parameters()]

    def __getattr__(self, name: str) -> Any:  # layers, neurons, activation: read from the model
        return getattr(self._model, name)


def twin_graph(order: list[Value], names: list[str], grads: list[float]) -> dict[Value, Value]:
    """A copy of the graph to draw: node k's twin has node k's data, op, inputs' twins and local
    derivatives, ``names[k]`` as its label and ``grads[k]`` as its grad. The user's nodes are not
    touched. The copy has the same shape, so ``topological_order`` lists its nodes in the same
    order (node k is drawn as ``v<k>`` in both)."""
    twin: dict[Value, Value] = {}
    for k in range(len(order) - 1, -1, -1):  # inputs come after their consumers: from the end
        node = order[k]
        copy = Value(node.data, names[k], node.op, tuple(twin[c] for c in node.inputs), node.local_grads)
        copy.grad = grads[k]
        twin[node] = copy
    return twin


def _drawing(twin: Value, options: dict[str, Any], screen: tuple[int, int]) -> str:
    """The drawing of the twin graph, as HTML: with ``rankdir='auto'`` (the default) the layout
    readable in ``screen`` (the graph panel of a 1920 × 1080 screen) and, each in a
    ``<template>``, the page's other layouts (``draw.page_layouts``), from which the page keeps,
    as it opens, the one that suits the screen it is on."""
    options = {"rankdir": "auto", **options, "screen": screen}
    svgs = [svg[svg.index("<svg") :] for svg in page_layouts(twin, **options)]  # no XML declaration: HTML
    return svgs[0] + "".join(f'<template class="cr-layout">{svg}</template>' for svg in svgs[1:])


def _browser_drawing(twin: Value, options: dict[str, Any]) -> str:
    """The drawing for a page that lays itself out (``layout='browser'``), as HTML: viz-js in a
    script element, and the DOT text of each of the page's layouts (``draw.page_dots``) as JSON,
    which the page lays out as it opens. ``twin``'s grads and local derivatives must be 0: the DOT
    text is data in the page, and must carry no answer."""
    options = {"rankdir": "auto", **options}
    dots = page_dots(twin, **options)
    viz = f"<script>{viz_js()}</script>"
    return viz + f'\n<script id="cr-dot" type="application/json">{safe_json(dots)}</script>'


# viz-js, Graphviz compiled to WebAssembly, from the npm registry: @viz-js/viz's dist/viz-global.js,
# kept in the package (vendor/README.md says where from and how to update it) so that a page can be
# laid out offline with nothing installed.
VIZ_VERSION = "3.31.0"
VIZ_SHA256 = "c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e"
# viz-js instantiates its WebAssembly, which a Content-Security-Policy allows only with this source
WASM = "'wasm-unsafe-eval'"
LAYOUTS = ("auto", "dot", "browser")


@functools.cache
def viz_js() -> str:
    """The text of ``vendor/viz-global.js`` (viz-js ``VIZ_VERSION``), checked against ``VIZ_SHA256``."""
    data = resources.files("autograd.see").joinpath("vendor").joinpath("viz-global.js").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != VIZ_SHA256:
        raise RuntimeError(
            f"render_steps: autograd/see/vendor/viz-global.js is not viz-js {VIZ_VERSION} "
            f"(its sha256 is {digest}, not {VIZ_SHA256}): reinstall chainrule"
        )
    text = data.decode("utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):  # it could not sit in a <script> element
        raise RuntimeError("render_steps: viz-global.js holds '</script' or '<!--' and cannot be inlined")
    return text


def _allow_wasm(page: str) -> str:
    """``page`` with ``'wasm-unsafe-eval'`` added to its Content-Security-Policy's ``script-src``
    (and nothing else: still no network), so that viz-js can run its WebAssembly."""
    before = "script-src 'unsafe-inline'"
    if page.count(before) != 1:
        raise RuntimeError("render_steps: the page head's Content-Security-Policy was not found")
    return page.replace(before, f"{before} {WASM}", 1)


# The graph panel of the page on a 1920 x 1080 screen: the side panel takes 625 px (at most 600 px
# wide, 12 px padding each side, a 1 px border: page_template.html's #side) and the header 48 px.
GRAPH_PANEL = (1920 - 625, 1080 - 48)


def _template(name: str) -> str:
    return resources.files("autograd.see").joinpath(name).read_text(encoding="utf-8")


def fill_page(template_name: str, slots: dict[str, str]) -> str:
    """One of the two page templates with the head they share (``page_head.html``) put in and
    its ``{{SLOT}}`` s filled from ``slots`` in one pass, so that no text put into one slot (a
    label, say) is ever read as another slot."""
    text = _template(template_name).replace("{{HEAD}}", _template("page_head.html"))
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: slots[m.group(1)], text)


def render_steps(
    root: Value,
    path: str | Path,
    grad: float = 1.0,
    max_nodes: int = MAX_NODES,
    matrices: Matrices | None = None,
    layout: str = "auto",
    **options: Any,
) -> Path:
    """Write the live page of ``root``'s backward pass to ``path``. Returns the path.

    The page computes d(root)/d(node) itself, from ``grad`` (the root's seed) and the local
    derivatives recorded on the graph: it never reads the grads an earlier ``backward()`` left,
    and it changes nothing in the graph (call ``root.backward()`` yourself for the grads in
    Python). A graph of more than ``max_nodes`` nodes is refused with a ``ValueError``.
    ``matrices`` (``{"W1": grid, ...}``, see ``matrix_data``; ``MLP.matrices()`` gives a
    model's) adds the matrix view: the same nodes' data and grads as tables. ``options`` go
    to ``draw_dot`` (``model=``, ``params=``, ``edge_labels=``, ``rankdir=``, ...;
    ``show_grad`` is always on).

    ``layout`` says who lays the graph out: ``'auto'`` (the default) the ``dot`` program where it
    runs, else the page itself in the browser; ``'dot'`` only ``dot`` (``GraphvizMissing`` where it
    cannot run: a page of a few tens of kB); ``'browser'`` always the page itself, with viz-js
    (Graphviz compiled to WebAssembly, shipped in the package: the page is 1.3 MB larger, works
    offline, and needs no ``dot``). Either way the page shows the same steps and numbers.
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"render_steps: the file name must end in .html, got {str(path)!r}")
    text = live_page(root, grad, max_nodes, matrices, layout, **options)
    path.write_text(text, encoding="utf-8")
    return path


def live_page(
    root: Value,
    grad: float = 1.0,
    max_nodes: int = MAX_NODES,
    matrices: Matrices | None = None,
    layout: str = "auto",
    **options: Any,
) -> str:
    """The live page as HTML text (what ``render_steps`` writes and ``show`` displays); the
    graph is read, never changed. ``layout``: 'auto', 'dot' or 'browser', as for ``render_steps``."""
    if not isinstance(root, Value):
        raise TypeError(f"render_steps: root must be a Value, got {type(root).__name__}")
    if not isinstance(layout, str) or layout not in LAYOUTS:
        raise ValueError(f"render_steps: layout must be 'auto', 'dot' or 'browser', got {layout!r}")
    grad = to_float(grad, "render_steps")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"render_steps: max_nodes must be an int >= 1, got {max_nodes!r}")
    order = topological_order(root)  # the one graph walk: everything below reads this list
    if len(order) > max_nodes:
        raise ValueError(
            f"render_steps: the graph has {len(order)} nodes, more than max_nodes={max_nodes}; "
            "a page that large cannot be read. Step through a smaller piece (one neuron), or raise max_nodes."
        )
    if options.get("params") is not None:  # read once: a generator is drawn as it is coloured
        options["params"] = list(options["params"])
        for p in options["params"]:
            if not isinstance(p, Value):
                raise TypeError(f"render_steps: params must hold Values, got {type(p).__name__} {p!r}")
    params = set(options.get("params") or [])
    model: Any = options.get("model")
    named = getattr(model, "named_parameters", None)
    model_names: dict[Value, str] = {}
    if callable(named):
        model_names = {p: name for name, p in named()}
        params |= set(model_names)
    names = list(node_names(order[0], order, model_names).values())  # a parameter by its name in the model
    data = graph_data(order, grad, params, names)
    # the matrix view's cells, checked before the (slow) drawing
    data["matrices"] = [] if matrices is None else matrix_data(matrices, order, names)
    twin = twin_graph(order, names, page_backward(order, grad))
    if options.get("params") is not None:
        options["params"] = [twin.get(p, p) for p in options["params"]]
    if callable(named):
        options["model"] = _TwinModel(model, twin)
    if isinstance(options.get("focus"), Value):
        options["focus"] = twin.get(options["focus"], options["focus"])
    options["show_grad"] = True
    options.setdefault("max_nodes", max_nodes)
    options["live"] = True  # edge labels laid out with room for the numbers edits bring
    screen = options.pop("screen", GRAPH_PANEL)  # laid out for the part of the page the graph gets
    svg = laid_out_here = ""
    if layout != "browser":
        try:
            svg = _drawing(twin[root], options, screen)
        except GraphvizMissing:
            if layout == "dot":
                raise
            layout = "browser"
    if layout == "browser":
        for copy in twin.values():  # the DOT text is data in the page: no grad or derivative in it
            copy.grad = 0.0
            copy.local_grads = tuple(0.0 for _ in copy.local_grads)
        laid_out_here = _browser_drawing(twin[root], options)
    steps = data["computed"]
    title = f"Backward pass of {root.label or 'the graph'}: {steps} step{'' if steps == 1 else 's'}"
    slots = {
        "TITLE": html.escape(title),
        "SVG": svg,
        "LAYOUT": laid_out_here,
        "DATA": safe_json(data),
        "OPS": _template("ops_twin.js"),
    }
    page = fill_page("page_template.html", slots)
    return _allow_wasm(page) if layout == "browser" else page
